"""PEM (PKCS#8) and PKCS#12 files of secp256k1 keys, with the ``cryptography`` package.

These are the formats OpenSSL, Java key stores and FISCO BCOS's SDKs read. SM2 keys
cannot be written or read here: ``cryptography`` has no SM2 curve.
"""

from __future__ import annotations

from typing import Any

from smartdev.errors import UsageError
from smartdev.keys.curves import KeyPair
from smartdev.keys.keystore import WrongPasswordError

_NO_SM2 = ("the Python 'cryptography' package has no SM2 curve, so smartdev cannot write or read "
           "SM2 keys as PEM or PKCS#12")
_NO_SM2_HINT = "Keep SM2 keys as smartdev keystores (keys export --format keystore)."
_SM2_OID = "1.2.156.10197.1.301"


def _password(password: Any, *, required: bool) -> bytes | None:
    if password is None:
        if required:
            raise UsageError("a password is required")
        return None
    if not isinstance(password, str):
        raise UsageError(f"the password must be text, not {type(password).__name__}")
    if password == "":
        raise UsageError("the password is empty",
                         hint="Give a password, or none at all for an unencrypted PEM." if not required else None)
    return password.encode("utf-8")


def _private_key_object(pair: KeyPair) -> Any:
    if pair.curve == "sm2":
        raise UsageError(_NO_SM2, hint=_NO_SM2_HINT)
    if pair.curve != "secp256k1":
        raise UsageError(f"unknown curve {pair.curve!r}")
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.derive_private_key(int.from_bytes(pair.private_key, "big"), ec.SECP256K1())


def _encryption(secret: bytes | None) -> Any:
    from cryptography.hazmat.primitives import serialization

    return serialization.BestAvailableEncryption(secret) if secret is not None else serialization.NoEncryption()


def to_pem(pair: KeyPair, password: str | None) -> bytes:
    """The key as PKCS#8 PEM, encrypted with the best available scheme when ``password``
    is given (unencrypted when it is None); secp256k1 only."""
    from cryptography.hazmat.primitives import serialization

    key = _private_key_object(pair)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             _encryption(_password(password, required=False)))


def _pair_from_key_object(key: Any, what: str) -> KeyPair:
    from cryptography.hazmat.primitives.asymmetric import ec

    from smartdev.keys.curves import from_private_key

    if key is None:
        raise UsageError(f"the {what} holds no private key")
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        kind = type(key).__name__.removeprefix("_").replace("PrivateKey", "") or "other"
        raise UsageError(f"the {what} holds a key of type {kind}, not an elliptic-curve key",
                         hint="smartdev keys are secp256k1 (or SM2) keys.")
    if not isinstance(key.curve, ec.SECP256K1):
        raise UsageError(f"the {what} holds a key on curve {key.curve.name}, not secp256k1",
                         hint="Ethereum-style accounts use secp256k1.")
    return from_private_key("secp256k1", key.private_numbers().private_value.to_bytes(32, "big"))


def from_pem(data: bytes, password: str | None) -> KeyPair:
    """The secp256k1 key pair in a PEM private key (PKCS#8 or SEC1 "EC PRIVATE KEY",
    encrypted or not). WrongPasswordError for a wrong password; UsageError when the data
    is not a private key, is encrypted and no password was given (or the reverse), or
    holds another kind of key."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise UsageError(f"PEM data must be bytes, not {type(data).__name__}")
    data = bytes(data)
    if b"-----BEGIN" not in data:
        raise UsageError("not a PEM file (no -----BEGIN line)", hint="Pass a PEM private key file.")
    if b"PRIVATE KEY-----" not in data:
        raise UsageError("the PEM file holds no private key (a certificate or public key?)",
                         hint="Pass the PEM private key file.")
    secret = _password(password, required=False)
    try:
        key = serialization.load_pem_private_key(data, password=secret)
    except TypeError as exc:  # cryptography: password given / missing for the wrong kind of file
        if secret is None:
            raise UsageError("the PEM private key is encrypted; a password is needed") from None
        raise UsageError("the PEM private key is not encrypted; give no password",
                         hint=None if "not encrypted" in str(exc) else str(exc)) from None
    except UnsupportedAlgorithm as exc:
        if _SM2_OID in str(exc) or "sm2" in str(exc).lower():
            raise UsageError(_NO_SM2, hint=_NO_SM2_HINT) from None
        raise UsageError(f"the PEM key uses an algorithm smartdev cannot read: {exc}") from None
    except ValueError as exc:
        text = str(exc)
        if secret is not None and ("decrypt" in text.lower() or "password" in text.lower()):
            raise WrongPasswordError("wrong password for the PEM private key",
                                     hint="Check the password (it is case-sensitive).") from None
        detail = text.rpartition("Details:")[2].strip() if "Details:" in text else None
        raise UsageError("the PEM data is not a readable private key (damaged or truncated?)",
                         hint=f"Details: {detail}" if detail else None) from None
    return _pair_from_key_object(key, "PEM file")


def to_pkcs12(pair: KeyPair, password: str, name: str) -> bytes:
    """A PKCS#12 file holding the key alone (no certificate), encrypted with ``password``
    and labelled ``name``; secp256k1 only."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    key = _private_key_object(pair)
    secret = _password(password, required=True)
    if not isinstance(name, str) or not name:
        raise UsageError("the PKCS#12 entry needs a name")
    return pkcs12.serialize_key_and_certificates(name.encode("utf-8"), key, None, None, _encryption(secret))


def from_pkcs12(data: bytes, password: str) -> KeyPair:
    """The secp256k1 key pair in a PKCS#12 file (for import). WrongPasswordError for a
    wrong password; UsageError for anything that is not a PKCS#12 file with a key."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise UsageError(f"PKCS#12 data must be bytes, not {type(data).__name__}")
    secret = _password(password, required=True)
    try:
        key, _cert, _extra = pkcs12.load_key_and_certificates(bytes(data), secret)
    except ValueError as exc:
        text = str(exc).lower()
        if "password" in text or "decrypt" in text or "mac" in text:
            raise WrongPasswordError("wrong password for the PKCS#12 file (or the file is damaged)",
                                     hint="Check the password (it is case-sensitive).") from None
        raise UsageError("the data is not a readable PKCS#12 file") from None
    except Exception as exc:  # e.g. UnsupportedAlgorithm for an SM2 key
        raise UsageError(f"cannot read the PKCS#12 file: {type(exc).__name__}: {exc}") from None
    return _pair_from_key_object(key, "PKCS#12 file")
