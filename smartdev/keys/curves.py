"""Key pairs on the two curves smartdev signs with: secp256k1 (Ethereum and most EVM
chains) and SM2 (the Chinese national standard GB/T 32918, used by FISCO BCOS "guomi"
chains).

* secp256k1: address = last 20 bytes of keccak256(x || y); messages are signed as
  EIP-191 ``personal_sign`` (65 bytes r || s || v, v = 27/28) and EIP-712 typed data,
  through eth-account.
* SM2: address = last 20 bytes of SM3(x || y), as FISCO BCOS computes it (java-sdk
  ``CryptoKeyPair.getAddress`` with ``SM3Hash``, python-sdk ``GM_Account``); messages
  are signed per GB/T 32918.2 over SM3(Z_A || message) with the default user id
  ``1234567812345678``; the signature is 64 bytes r || s. SM2 has no public key
  recovery, so verifying needs the signer's public key. The curve arithmetic is
  gmssl's.

Both kinds of address are EIP-55 checksummed (keccak of the hex address), as the
FISCO BCOS SDKs print them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from smartdev.errors import UsageError

CURVES = ("secp256k1", "sm2")

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141

# SM2 recommended curve parameters (GB/T 32918.5 / GM/T 0003.5).
SM2_P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
SM2_A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC
SM2_B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
SM2_N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
SM2_GX = 0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7
SM2_GY = 0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0
SM2_DEFAULT_ID = b"1234567812345678"

# The largest valid private key. SM2 signing needs (1 + d) invertible mod n, so
# d = n - 1 is excluded (GB/T 32918.1: d in [1, n-2]).
_MAX_KEY = {"secp256k1": SECP256K1_N - 1, "sm2": SM2_N - 2}


@dataclass(frozen=True)
class KeyPair:
    """A private key with its public key and address. ``repr`` never shows the key."""

    curve: str
    private_key: bytes = field(repr=False)  # 32 bytes
    public_key: bytes  # 64 bytes: x || y
    address: str  # EIP-55 checksummed 0x...

    def __repr__(self) -> str:
        return f"KeyPair(curve={self.curve!r}, address={self.address!r})"


# -- validation helpers ---------------------------------------------------------------
def check_curve(curve: Any) -> str:
    """``curve`` as one of CURVES (any case), else a UsageError listing them."""
    if isinstance(curve, str) and curve.strip().lower() in CURVES:
        return curve.strip().lower()
    raise UsageError(f"unknown curve {curve!r}", hint=f"Use one of: {', '.join(CURVES)}.")


def _as_bytes(value: Any, what: str) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise UsageError(f"{what} must be bytes, not {type(value).__name__}")


def private_key_from_hex(text: str) -> bytes:
    """32 bytes from a hex private key ('0x' optional, surrounding whitespace ignored)."""
    if not isinstance(text, str):
        raise UsageError(f"a hex private key must be text, not {type(text).__name__}")
    body = text.strip()
    body = body[2:] if body[:2].lower() == "0x" else body
    try:
        key = bytes.fromhex(body)
    except ValueError:
        raise UsageError("the private key is not hexadecimal",
                         hint="Give 64 hex digits, with or without a 0x prefix.") from None
    if len(key) != 32:
        raise UsageError(f"a private key is 32 bytes (64 hex digits), this one is {len(key)} bytes")
    return key


def _public_key_bytes(public_key: Any) -> bytes:
    pub = _as_bytes(public_key, "the public key")
    if len(pub) == 65 and pub[0] == 4:  # SEC1 uncompressed form: 04 || x || y
        pub = pub[1:]
    if len(pub) != 64:
        raise UsageError(f"a public key is 64 bytes (x || y), this one is {len(pub)} bytes",
                         hint="Pass the uncompressed point without, or with a 04, prefix.")
    return pub


def parse_address(address: Any) -> str:
    """``address`` as an EIP-55 checksummed address; UsageError if it is not one."""
    from eth_utils import is_checksum_address, to_checksum_address

    if not isinstance(address, str):
        raise UsageError(f"an address must be text, not {type(address).__name__}")
    text = address.strip()
    body = text[2:] if text[:2] in ("0x", "0X") else text
    if len(body) != 40 or any(c not in "0123456789abcdefABCDEF" for c in body):
        raise UsageError(f"'{address}' is not an address", hint="Give 0x and 40 hex digits.")
    checksummed = to_checksum_address("0x" + body)
    if body != body.lower() and body != body.upper() and not is_checksum_address("0x" + body):
        raise UsageError(f"'{address}' has a wrong EIP-55 checksum (mixed case)",
                         hint=f"Did you mean {checksummed}? Or write it in lower case.")
    return checksummed


# -- hashing and SM2 arithmetic --------------------------------------------------------
def sm3(data: bytes) -> bytes:
    """SM3 digest (GB/T 32905) of ``data``."""
    from gmssl import sm3 as _sm3

    return bytes.fromhex(_sm3.sm3_hash(list(data)))


def _sm2_engine(public_key: bytes | None = None) -> Any:
    from gmssl import sm2

    engine = sm2.CryptSM2(private_key="", public_key="")
    if public_key is not None:
        # Set directly: the constructor's lstrip("04") would also eat leading 0/4
        # digits of x.
        engine.public_key = public_key.hex()
    return engine


def _sm2_public_key(d: int) -> bytes:
    from gmssl import sm2

    return bytes.fromhex(_sm2_engine()._kg(d, sm2.default_ecc_table["g"]))


def _sm2_on_curve(public_key: bytes) -> bool:
    x = int.from_bytes(public_key[:32], "big")
    y = int.from_bytes(public_key[32:], "big")
    if not (0 <= x < SM2_P and 0 <= y < SM2_P) or (x == 0 and y == 0):
        return False
    return (y * y - (x * x * x + SM2_A * x + SM2_B)) % SM2_P == 0


def sm2_z(public_key: bytes, user_id: bytes = SM2_DEFAULT_ID) -> bytes:
    """Z_A = SM3(ENTL || ID || a || b || xG || yG || xA || yA) of GB/T 32918.2."""
    pub = _public_key_bytes(public_key)
    entl = (len(user_id) * 8).to_bytes(2, "big")
    parts = [entl, user_id] + [v.to_bytes(32, "big") for v in (SM2_A, SM2_B, SM2_GX, SM2_GY)] + [pub]
    return sm3(b"".join(parts))


def _sm2_sign(private_key: bytes, public_key: bytes, message: bytes, *, k: int | None = None) -> bytes:
    """r || s over SM3(Z_A || message). ``k`` fixes the nonce (test vectors only)."""
    e = sm3(sm2_z(public_key) + message)
    engine = _sm2_engine(public_key)
    engine.private_key = private_key.hex()
    while True:
        nonce = k if k is not None else secrets.randbelow(SM2_N - 1) + 1
        signature = engine.sign(e, "%064x" % nonce)
        if signature is not None:
            return bytes.fromhex(signature)
        if k is not None:
            raise UsageError("this fixed nonce gives no SM2 signature (r = 0, r + k = n or s = 0)")


def _sm2_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:], "big")
    if not (1 <= r < SM2_N and 1 <= s < SM2_N):
        return False
    e = sm3(sm2_z(public_key) + message)
    try:
        return bool(_sm2_engine(public_key).verify(signature.hex(), e))
    except Exception:  # gmssl fails on a sum at infinity: not a valid signature
        return False


# -- key pairs ---------------------------------------------------------------------------
def address_from_public_key(curve: str, public_key: bytes) -> str:
    """The checksummed address of a 64-byte public key: keccak256 (secp256k1) or SM3 (sm2),
    last 20 bytes."""
    from eth_utils import keccak, to_checksum_address

    curve = check_curve(curve)
    pub = _public_key_bytes(public_key)
    digest = keccak(pub) if curve == "secp256k1" else sm3(pub)
    return to_checksum_address(digest[12:])


def from_private_key(curve: str, key: bytes) -> KeyPair:
    """The key pair of a 32-byte private key; UsageError unless 1 <= key <= max for the curve."""
    curve = check_curve(curve)
    key = _as_bytes(key, "the private key")
    if len(key) != 32:
        raise UsageError(f"a {curve} private key is 32 bytes, this one is {len(key)} bytes")
    d = int.from_bytes(key, "big")
    if not 1 <= d <= _MAX_KEY[curve]:
        limit = "n - 1" if curve == "secp256k1" else "n - 2"
        raise UsageError(f"the private key is out of range for {curve}",
                         hint=f"A {curve} private key is a number from 1 to {limit} (the curve order n).")
    if curve == "secp256k1":
        from eth_keys import keys

        public = keys.PrivateKey(key).public_key.to_bytes()
    else:
        public = _sm2_public_key(d)
    return KeyPair(curve, key, public, address_from_public_key(curve, public))


def generate(curve: str = "secp256k1") -> KeyPair:
    """A new random key pair (from the OS's CSPRNG)."""
    curve = check_curve(curve)
    d = secrets.randbelow(_MAX_KEY[curve]) + 1
    return from_private_key(curve, d.to_bytes(32, "big"))


# -- messages -----------------------------------------------------------------------------
def _message_bytes(message: Any) -> bytes:
    if isinstance(message, str):
        return message.encode("utf-8")
    return _as_bytes(message, "the message")


def sign_message(pair: KeyPair, message: bytes) -> bytes:
    """secp256k1: EIP-191 personal_sign, 65 bytes r || s || v (v = 27/28).
    sm2: GB/T 32918.2 signature with the default user id, 64 bytes r || s."""
    data = _message_bytes(message)
    if pair.curve == "sm2":
        return _sm2_sign(pair.private_key, pair.public_key, data)
    from eth_account import Account
    from eth_account.messages import encode_defunct

    return bytes(Account.sign_message(encode_defunct(primitive=data), pair.private_key).signature)


def _recover(signable: Any, signature: bytes) -> str | None:
    from eth_account import Account

    try:
        return Account.recover_message(signable, signature=signature)
    except Exception:  # an unrecoverable (r, s, v) is simply not a valid signature
        return None


def _secp_signature(signature: Any) -> bytes:
    sig = _as_bytes(signature, "the signature")
    if len(sig) != 65:
        raise UsageError(f"a secp256k1 signature is 65 bytes (r || s || v), this one is {len(sig)} bytes")
    return sig


def verify_message(curve: str, signer: str, message: bytes, signature: bytes,
                   public_key: bytes | None = None) -> bool:
    """Whether ``signature`` over ``message`` was made by the key of address ``signer``.

    secp256k1 recovers the signer from the signature; sm2 needs ``public_key`` (x || y),
    which must belong to ``signer``. A public key that does not hash to ``signer`` is a
    UsageError (the wrong key was given), not a failed verification."""
    curve = check_curve(curve)
    address = parse_address(signer)
    data = _message_bytes(message)
    if public_key is not None:
        owner = address_from_public_key(curve, public_key)
        if owner != address:
            raise UsageError(f"the public key given belongs to {owner}, not to the signer {address}",
                             hint="Pass the signer's own public key.")
    if curve == "secp256k1":
        from eth_account.messages import encode_defunct

        return _recover(encode_defunct(primitive=data), _secp_signature(signature)) == address
    if public_key is None:
        raise UsageError("verifying an SM2 signature needs the signer's public key",
                         hint="SM2 signatures carry no recoverable key: pass the 64-byte public key (x || y).")
    pub = _public_key_bytes(public_key)
    if not _sm2_on_curve(pub):
        raise UsageError("the public key is not a point on the SM2 curve")
    sig = _as_bytes(signature, "the signature")
    if len(sig) != 64:
        raise UsageError(f"an SM2 signature is 64 bytes (r || s), this one is {len(sig)} bytes")
    return _sm2_verify(pub, data, sig)


def _typed_signable(typed_data: Any) -> Any:
    if not isinstance(typed_data, dict):
        raise UsageError("EIP-712 typed data must be a JSON object with types, primaryType, domain and message")
    from eth_account.messages import encode_typed_data

    try:
        return encode_typed_data(full_message=typed_data)
    except Exception as exc:  # eth-account raises many kinds on malformed typed data
        if isinstance(exc, KeyError):
            detail = f"missing {exc.args[0]!r}" if exc.args else "a field is missing"
        else:
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"not valid EIP-712 typed data: {detail}",
                         hint="Give the full message: types (with EIP712Domain), primaryType, domain, message.") from None


def sign_typed_data(pair: KeyPair, typed_data: dict) -> bytes:
    """EIP-712 signature (65 bytes r || s || v) over a full typed-data message; secp256k1 only."""
    if pair.curve != "secp256k1":
        raise UsageError(f"EIP-712 typed data is signed with secp256k1 keys only, this key is {pair.curve}")
    signable = _typed_signable(typed_data)
    from eth_account import Account

    return bytes(Account.sign_message(signable, pair.private_key).signature)


def verify_typed_data(signer: str, typed_data: dict, signature: bytes) -> bool:
    """Whether ``signature`` is ``signer``'s EIP-712 signature of ``typed_data``."""
    address = parse_address(signer)
    sig = _secp_signature(signature)
    return _recover(_typed_signable(typed_data), sig) == address
