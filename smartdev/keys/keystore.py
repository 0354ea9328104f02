"""Web3 Secret Storage v3 keystores (the JSON key files of geth, cast, MetaMask, web3.py).

Encryption and decryption are eth-keyfile's; this module checks the file's shape first
so a damaged or foreign file gives a one-line reason instead of a KeyError, and it
checks the decrypted key against the file's ``address``.

SM2 keys use the same format with one extra top-level field, ``"curve": "sm2"``
(other tools ignore it; their address would not match, which is why it is there).
secp256k1 keystores carry no extra field, so geth and eth-account read them as they are.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from smartdev.errors import NotFoundError, UsageError
from smartdev.keys.curves import CURVES, KeyPair

KDFS = ("scrypt", "pbkdf2")
CIPHER = "aes-128-ctr"
SCRYPT_DEFAULT_N = 262144  # geth's "standard" scrypt: n = 2**18, r = 8, p = 1
PBKDF2_DEFAULT_C = 1_000_000  # eth-keyfile's default iteration count

# Refuse work factors that would exhaust memory or take minutes: a hostile or broken
# file should not hang smartdev. geth's standard scrypt needs 256 MiB.
_SCRYPT_MAX_MEMORY = 1 << 30  # bytes: 128 * r * n
_SCRYPT_MAX_WORK = 1 << 32  # 128 * r * n * p
_PBKDF2_MAX_C = 50_000_000

_NOT_V3_HINT = "Pass a Web3 Secret Storage v3 JSON file, as written by geth, cast, MetaMask or smartdev."


class WrongPasswordError(UsageError):
    """The password does not open the keystore (or PEM / PKCS#12 file)."""


def _password_bytes(password: Any) -> bytes:
    if not isinstance(password, str):
        raise UsageError(f"the password must be text, not {type(password).__name__}")
    return password.encode("utf-8")  # as eth-account and geth do


# -- encrypt ----------------------------------------------------------------------------
def encrypt(pair: KeyPair, password: str, *, kdf: str = "scrypt", work_factor: int | None = None) -> dict:
    """A v3 keystore of ``pair``. ``kdf``: "scrypt" (n = 262144 unless ``work_factor``,
    a power of two) or "pbkdf2" (c = 1,000,000 unless ``work_factor``)."""
    from eth_keyfile import create_keyfile_json

    if kdf not in KDFS:
        raise UsageError(f"unknown key derivation function {kdf!r}", hint=f"Use one of: {', '.join(KDFS)}.")
    if work_factor is not None:
        if isinstance(work_factor, bool) or not isinstance(work_factor, int) or work_factor < 1:
            raise UsageError(f"the work factor must be a positive integer, not {work_factor!r}")
        if kdf == "scrypt" and (work_factor < 2 or work_factor & (work_factor - 1)):
            raise UsageError(f"the scrypt work factor n must be a power of two (2, 4, ... 262144), not {work_factor}")
        if kdf == "scrypt" and 128 * 8 * work_factor > _SCRYPT_MAX_MEMORY:
            raise UsageError(f"the scrypt work factor {work_factor} needs more than 1 GiB of memory",
                             hint=f"Use at most {_SCRYPT_MAX_MEMORY // 1024} (geth's standard is {SCRYPT_DEFAULT_N}).")
        if kdf == "pbkdf2" and work_factor > _PBKDF2_MAX_C:
            raise UsageError(f"the pbkdf2 iteration count {work_factor} is too large (at most {_PBKDF2_MAX_C})")
    if pair.curve not in CURVES:
        raise UsageError(f"unknown curve {pair.curve!r}", hint=f"Use one of: {', '.join(CURVES)}.")
    data = create_keyfile_json(pair.private_key, _password_bytes(password), version=3, kdf=kdf,
                               iterations=work_factor)
    # eth-keyfile writes the secp256k1 address of the key (checksummed); use the pair's own
    # address, in lower case as geth writes it.
    data["address"] = pair.address.removeprefix("0x").lower()
    if pair.curve != "secp256k1":
        data["curve"] = pair.curve
    return data


# -- decrypt ----------------------------------------------------------------------------
def _lower_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k.lower() if isinstance(k, str) else k: _lower_keys(v) for k, v in value.items()}
    return value


def _field(section: dict, name: str, where: str) -> Any:
    if name not in section:
        raise UsageError(f"the keystore is incomplete: {where}{name} is missing", hint=_NOT_V3_HINT)
    return section[name]


def _hex_field(section: dict, name: str, where: str, *, size: int | None = None, min_size: int = 1) -> bytes:
    value = _field(section, name, where)
    if not isinstance(value, str):
        raise UsageError(f"the keystore is corrupt: {where}{name} is not a hex string")
    body = value[2:] if value[:2].lower() == "0x" else value
    try:
        raw = bytes.fromhex(body)
    except ValueError:
        raise UsageError(f"the keystore is corrupt: {where}{name} is not valid hex") from None
    if size is not None and len(raw) != size:
        raise UsageError(f"the keystore is corrupt: {where}{name} is {len(raw)} bytes, expected {size}")
    if len(raw) < min_size:
        raise UsageError(f"the keystore is corrupt: {where}{name} is too short ({len(raw)} bytes)")
    return raw


def _int_field(section: dict, name: str, where: str, *, minimum: int = 1) -> int:
    value = _field(section, name, where)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise UsageError(f"the keystore is corrupt: {where}{name} must be an integer >= {minimum}, not {value!r}")
    return value


def _check_shape(data: Any) -> dict:
    """The keystore with lower-case keys, after checking everything decryption reads."""
    if not isinstance(data, dict):
        raise UsageError(f"not a keystore: expected a JSON object, got {type(data).__name__}", hint=_NOT_V3_HINT)
    doc = _lower_keys(data)
    if "crypto" not in doc:
        raise UsageError("not a keystore: it has no 'crypto' section", hint=_NOT_V3_HINT)
    version = doc.get("version")
    if version != 3 or isinstance(version, bool):
        detail = "no version" if version is None else f"version {version!r}"
        hint = ("Version 4 files are EIP-2335 BLS keystores for Ethereum validators, not account keys."
                if version == 4 else _NOT_V3_HINT)
        raise UsageError(f"not a v3 keystore ({detail})", hint=hint)
    crypto = doc["crypto"]
    if not isinstance(crypto, dict):
        raise UsageError("the keystore is corrupt: 'crypto' is not an object", hint=_NOT_V3_HINT)
    cipher = _field(crypto, "cipher", "crypto.")
    if cipher != CIPHER:
        raise UsageError(f"unsupported keystore cipher {cipher!r}", hint=f"smartdev reads {CIPHER} keystores (v3).")
    cipherparams = _field(crypto, "cipherparams", "crypto.")
    if not isinstance(cipherparams, dict):
        raise UsageError("the keystore is corrupt: crypto.cipherparams is not an object")
    _hex_field(cipherparams, "iv", "crypto.cipherparams.", size=16)
    _hex_field(crypto, "ciphertext", "crypto.", size=32)
    _hex_field(crypto, "mac", "crypto.", size=32)
    kdf = _field(crypto, "kdf", "crypto.")
    if kdf not in KDFS:
        raise UsageError(f"unsupported key derivation function {kdf!r}", hint=f"smartdev reads {' and '.join(KDFS)} keystores.")
    params = _field(crypto, "kdfparams", "crypto.")
    if not isinstance(params, dict):
        raise UsageError("the keystore is corrupt: crypto.kdfparams is not an object")
    where = "crypto.kdfparams."
    _hex_field(params, "salt", where, min_size=0)
    if _int_field(params, "dklen", where) < 32:
        raise UsageError(f"the keystore is corrupt: {where}dklen must be at least 32")
    if kdf == "scrypt":
        n = _int_field(params, "n", where, minimum=2)
        r = _int_field(params, "r", where)
        p = _int_field(params, "p", where)
        if n & (n - 1):
            raise UsageError(f"the keystore is corrupt: scrypt n = {n} is not a power of two")
        if 128 * r * n > _SCRYPT_MAX_MEMORY or 128 * r * n * p > _SCRYPT_MAX_WORK:
            raise UsageError(f"the keystore's scrypt parameters (n={n}, r={r}, p={p}) need too much memory or time",
                             hint="smartdev refuses more than 1 GiB; re-encrypt the key with standard parameters.")
    else:
        prf = _field(params, "prf", where)
        if prf != "hmac-sha256":
            raise UsageError(f"unsupported pbkdf2 function {prf!r}", hint="Web3 Secret Storage uses hmac-sha256.")
        c = _int_field(params, "c", where)
        if c > _PBKDF2_MAX_C:
            raise UsageError(f"the keystore's pbkdf2 iteration count {c} is too large (at most {_PBKDF2_MAX_C})")
    return doc


def declared_address(data: Any) -> str | None:
    """The checksummed address a keystore declares (no password needed), if it has one."""
    if not isinstance(data, dict):
        return None
    doc = _lower_keys(data)
    address = doc.get("address")
    if not isinstance(address, str):
        return None
    body = address[2:] if address[:2].lower() == "0x" else address
    if len(body) != 40 or any(c not in "0123456789abcdefABCDEF" for c in body):
        return None
    from eth_utils import to_checksum_address

    return to_checksum_address("0x" + body)


def decrypt(data: dict, password: str) -> KeyPair:
    """The key pair in a v3 keystore (scrypt or pbkdf2, aes-128-ctr), after checking the
    MAC and the declared address. Raises WrongPasswordError (a UsageError) for a wrong
    password and UsageError for anything else wrong with the file."""
    from eth_keyfile import decode_keyfile_json

    from smartdev.keys.curves import from_private_key

    doc = _check_shape(data)
    curve = doc.get("curve", "secp256k1")
    if curve not in CURVES:
        raise UsageError(f"the keystore's curve {curve!r} is not supported", hint=f"Known curves: {', '.join(CURVES)}.")
    if "address" in doc and declared_address(doc) is None:
        raise UsageError(f"the keystore is corrupt: its address {doc['address']!r} is not 40 hex digits")
    secret = _password_bytes(password)
    try:
        key = decode_keyfile_json(doc, secret)
    except ValueError as exc:  # EthKeyfileValueError is a ValueError
        if "MAC mismatch" in str(exc):
            raise WrongPasswordError("wrong password: the keystore's MAC does not match",
                                     hint="Check the password (it is case-sensitive).") from None
        raise UsageError(f"cannot decrypt the keystore: {exc}") from None
    except Exception as exc:  # anything the shape check missed: report, never a traceback
        raise UsageError(f"cannot decrypt the keystore: {type(exc).__name__}: {exc}") from None
    try:
        pair = from_private_key(curve, key)
    except UsageError:
        raise UsageError(f"the keystore holds no valid {curve} key (its MAC matched, so the file itself is odd)") from None
    declared = declared_address(doc)
    if declared is not None and declared != pair.address:
        hint = "The file is damaged or was edited."
        if curve == "secp256k1":
            try:
                if from_private_key("sm2", key).address == declared:
                    hint = 'This is an SM2 key: add "curve": "sm2" to the keystore.'
            except UsageError:
                pass
        raise UsageError(f"the keystore's address {declared} does not match its key ({pair.address})", hint=hint)
    return pair


# -- files ------------------------------------------------------------------------------
def load(path: Path) -> dict:
    """The parsed keystore JSON in ``path``: NotFoundError if missing, UsageError if
    unreadable, empty, not JSON (e.g. truncated) or not a JSON object."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"keystore file {path} does not exist") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a directory, not a keystore file") from None
    except OSError as exc:
        raise UsageError(f"cannot read the keystore file {path}: {exc.strerror or exc}") from None
    if not raw.strip():
        raise UsageError(f"the keystore file {path} is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not a keystore file (not UTF-8 text)", hint=_NOT_V3_HINT) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # Parsing stopped at the end of the text, or inside a string that never closed
        # (a raw newline in a string is a different error): the file was cut short.
        truncated = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        what = "is truncated" if truncated else "is not valid JSON"
        raise UsageError(f"the keystore file {path} {what} (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                         hint=_NOT_V3_HINT) from None
    if not isinstance(data, dict):
        raise UsageError(f"{path} is not a keystore file: it holds a JSON {type(data).__name__}, not an object",
                         hint=_NOT_V3_HINT)
    return data
