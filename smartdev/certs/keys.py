"""Key algorithms of ``smartdev certs``: generating, naming, writing and reading keys.

Keys are written as PKCS#8 PEM (``-----BEGIN PRIVATE KEY-----``, what FISCO BCOS's
``openssl genpkey`` writes), or, with a password, as encrypted PKCS#8
(``-----BEGIN ENCRYPTED PRIVATE KEY-----``, readable by ``openssl pkey -passin``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Union

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from smartdev.errors import NotFoundError, UsageError

# name -> description; the first is the default.
ALGORITHMS: dict[str, str] = {
    "ec-secp256k1": "ECDSA on secp256k1 (FISCO BCOS's non-guomi curve)",
    "ec-p256": "ECDSA on NIST P-256 (prime256v1)",
    "rsa-2048": "RSA 2048-bit",
}
DEFAULT_ALGO = "ec-secp256k1"

SM2_MESSAGE = ("SM2 certificates are not supported: the cryptography package smartdev builds on has no "
               "SM2 curve and no SM2-with-SM3 signature, so it can neither make nor check SM2 (guomi) "
               "certificates")
SM2_HINT = ("Make guomi certificates with FISCO BCOS's own tooling (build_chain.sh -g), or choose "
            "ec-secp256k1, ec-p256 or rsa-2048.")

PrivateKey = Union[ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey]
PublicKey = Union[ec.EllipticCurvePublicKey, rsa.RSAPublicKey]
# A password: the bytes, or a function asked only when an encrypted key is met
# (it may prompt), returning None when there is none.
PasswordSource = Union[bytes, Callable[[], Union[bytes, None]], None]


def check_algo(algo: str) -> str:
    """The canonical name of ``algo``; :class:`UsageError` for SM2 and unknown names."""
    name = (algo or "").strip().lower()
    if name in ("sm2", "sm-2", "ec-sm2", "sm2p256v1", "guomi"):
        raise UsageError(SM2_MESSAGE, hint=SM2_HINT)
    aliases = {"secp256k1": "ec-secp256k1", "p256": "ec-p256", "ec-prime256v1": "ec-p256",
               "prime256v1": "ec-p256", "ec-secp256r1": "ec-p256", "secp256r1": "ec-p256",
               "rsa": "rsa-2048", "rsa2048": "rsa-2048"}
    name = aliases.get(name, name)
    if name not in ALGORITHMS:
        raise UsageError(f"unknown key algorithm {algo!r}",
                         hint=f"Choose one of: {', '.join(ALGORITHMS)} (sm2 is not supported).")
    return name


def generate_key(algo: str) -> PrivateKey:
    algo = check_algo(algo)
    if algo == "ec-secp256k1":
        return ec.generate_private_key(ec.SECP256K1())
    if algo == "ec-p256":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def key_algo(key: PublicKey | PrivateKey | object) -> str:
    """The algorithm name of a key (``rsa-4096`` for other RSA sizes); :class:`UsageError`
    for key types smartdev cannot sign for or with (Ed25519, other curves, SM2, DSA)."""
    if isinstance(key, (ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey)):
        if isinstance(key.curve, ec.SECP256K1):
            return "ec-secp256k1"
        if isinstance(key.curve, ec.SECP256R1):
            return "ec-p256"
        raise UsageError(f"unsupported elliptic curve {key.curve.name}",
                         hint="smartdev certs works with secp256k1 and P-256 EC keys and RSA keys.")
    if isinstance(key, (rsa.RSAPublicKey, rsa.RSAPrivateKey)):
        if key.key_size < 2048:
            raise UsageError(f"RSA key of {key.key_size} bits is too small", hint="Use 2048 bits or more.")
        return f"rsa-{key.key_size}"
    raise UsageError(f"unsupported key type {type(key).__name__.lstrip('_')}",
                     hint="smartdev certs works with secp256k1 and P-256 EC keys and RSA keys (not SM2).")


def is_rsa(key: object) -> bool:
    return isinstance(key, (rsa.RSAPublicKey, rsa.RSAPrivateKey))


def signature_hash() -> hashes.HashAlgorithm:
    return hashes.SHA256()


def key_pem(key: PrivateKey, password: bytes | None = None) -> bytes:
    """PKCS#8 PEM, encrypted when ``password`` is given."""
    encryption: serialization.KeySerializationEncryption
    if password:
        encryption = serialization.BestAvailableEncryption(password)
    else:
        encryption = serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def public_der(key: PublicKey | PrivateKey) -> bytes:
    public = key.public_key() if hasattr(key, "private_bytes") else key
    return public.public_bytes(serialization.Encoding.DER,  # type: ignore[union-attr]
                               serialization.PublicFormat.SubjectPublicKeyInfo)


def is_encrypted_pem(data: bytes) -> bool:
    return b"ENCRYPTED" in data.split(b"\n", 1)[0] or b"Proc-Type: 4,ENCRYPTED" in data


def key_state(path: Path) -> str:
    """``plain``, ``encrypted`` or ``missing``."""
    try:
        data = path.read_bytes()
    except OSError:
        return "missing"
    return "encrypted" if is_encrypted_pem(data) else "plain"


def _resolve_password(password: PasswordSource) -> bytes | None:
    return password() if callable(password) else password


def load_private_key(path: Path, password: PasswordSource = None, *, what: str = "the key") -> PrivateKey:
    """Read a PEM private key; ``password`` is consulted only when the key is encrypted."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"{what} ({path}) does not exist") from None
    except OSError as exc:
        raise UsageError(f"cannot read {what} ({path}): {exc.strerror}") from None
    secret = None
    if is_encrypted_pem(data):
        secret = _resolve_password(password)
        if not secret:
            raise UsageError(f"{what} ({path}) is encrypted and no password was given",
                             hint="Pass --ca-password-file FILE or set SMARTDEV_CERTS_PASSWORD "
                                  "(smartdev prompts for it only on a terminal).")
    try:
        key = serialization.load_pem_private_key(data, secret)
    except (ValueError, TypeError) as exc:
        if secret is not None:
            # A wrong password usually fails the padding check ("bad decrypt"), but about one
            # time in 256 it decrypts to garbage that then fails to parse.
            raise UsageError(f"wrong password for {what} ({path})",
                             hint="Or the key file is damaged.") from None
        raise UsageError(f"{path} is not a readable private key: {exc}") from None
    except Exception as exc:  # cryptography raises UnsupportedAlgorithm for e.g. SM2 keys
        raise UsageError(f"{path}: unsupported private key ({exc})", hint=SM2_HINT) from None
    key_algo(key)
    return key  # type: ignore[return-value]
