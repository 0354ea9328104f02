"""smartdev.keys.export: PKCS#8 PEM and PKCS#12 files, checked with OpenSSL when it is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from smartdev.errors import UsageError
from smartdev.keys import curves, export
from smartdev.keys.keystore import WrongPasswordError

OPENSSL = shutil.which("openssl")
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="openssl is not installed")

# Throwaway keys made with `openssl genpkey` for the wrong-curve cases.
SM2_PEM = b"""-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQgo6/poFi7s3dTo89f
K9+nY7H5sCrfmaZh8BuvVWrEWfyhRANCAARjUQxtFIcAo189b3i97wYFVOKRLwI2
OsoUs7OKvGxfHWsDSTbRxIsFbt0UN5ZRIS2/pQpn+dsSjhW2574lMBpL
-----END PRIVATE KEY-----
"""
P256_PEM = b"""-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgE1jMOGkGbDvBp4ef
ovD8Sf2y7t/K6gSV8elrZNyPgNKhRANCAAQhqgWHQ1wlEUftwrUEC80ZeDVCfDEK
Yq9JsCRM/4G5aXhVVFOM/wsTYpeVpJI2UxnYvjra+mKP8jrh2S8JDv81
-----END PRIVATE KEY-----
"""


@pytest.fixture(scope="module")
def pair() -> curves.KeyPair:
    return curves.generate("secp256k1")


def openssl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([OPENSSL, *args], capture_output=True, timeout=60)  # type: ignore[list-item]


# -- PEM -------------------------------------------------------------------------------
def test_pem_round_trips(pair: curves.KeyPair) -> None:
    encrypted = export.to_pem(pair, "s3cret")
    assert encrypted.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert export.from_pem(encrypted, "s3cret") == pair
    plain = export.to_pem(pair, None)
    assert plain.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert export.from_pem(plain, None) == pair
    assert export.from_pem(plain.decode(), None) == pair  # text is accepted too


def test_pem_is_a_secp256k1_pkcs8_key(pair: curves.KeyPair) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    key = load_pem_private_key(export.to_pem(pair, "pw"), b"pw")
    assert isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256K1)
    assert key.private_numbers().private_value == int.from_bytes(pair.private_key, "big")


def test_sec1_pem_is_read(pair: curves.KeyPair) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.derive_private_key(int.from_bytes(pair.private_key, "big"), ec.SECP256K1())
    sec1 = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption())
    assert sec1.startswith(b"-----BEGIN EC PRIVATE KEY-----")
    assert export.from_pem(sec1, None) == pair


@needs_openssl
def test_openssl_reads_the_encrypted_pem(tmp_path: Path, pair: curves.KeyPair) -> None:
    pem = tmp_path / "key.pem"
    pem.write_bytes(export.to_pem(pair, "s3cret"))
    result = openssl("pkey", "-in", str(pem), "-passin", "pass:s3cret")
    assert result.returncode == 0, result.stderr
    assert export.from_pem(result.stdout, None) == pair  # OpenSSL decrypted the same key
    text = openssl("pkey", "-in", str(pem), "-passin", "pass:s3cret", "-noout", "-text")
    assert b"secp256k1" in text.stdout
    wrong = openssl("pkey", "-in", str(pem), "-passin", "pass:nope")
    assert wrong.returncode != 0


@needs_openssl
def test_smartdev_reads_an_openssl_pem(tmp_path: Path, pair: curves.KeyPair) -> None:
    plain = tmp_path / "plain.pem"
    plain.write_bytes(export.to_pem(pair, None))
    out = tmp_path / "enc.pem"
    result = openssl("pkcs8", "-topk8", "-in", str(plain), "-out", str(out), "-passout", "pass:osl",
                     "-v2", "aes-128-cbc")
    assert result.returncode == 0, result.stderr
    assert export.from_pem(out.read_bytes(), "osl") == pair


def test_pem_password_errors(pair: curves.KeyPair) -> None:
    encrypted = export.to_pem(pair, "s3cret")
    with pytest.raises(WrongPasswordError, match="wrong password for the PEM"):
        export.from_pem(encrypted, "S3cret")
    with pytest.raises(UsageError, match="encrypted; a password is needed"):
        export.from_pem(encrypted, None)
    with pytest.raises(UsageError, match="not encrypted; give no password"):
        export.from_pem(export.to_pem(pair, None), "s3cret")
    with pytest.raises(UsageError, match="password is empty"):
        export.to_pem(pair, "")


def test_pem_data_errors(pair: curves.KeyPair) -> None:
    plain = export.to_pem(pair, None)
    with pytest.raises(UsageError, match="not a PEM file"):
        export.from_pem(b"\x30\x81\x87\x02\x01\x00", None)
    with pytest.raises(UsageError, match="holds no private key"):
        export.from_pem(b"-----BEGIN PUBLIC KEY-----\nMFYw\n-----END PUBLIC KEY-----\n", None)
    lines = plain.splitlines()
    with pytest.raises(UsageError, match="not a readable private key"):
        export.from_pem(b"\n".join(lines[:2] + lines[-1:]), None)  # body cut short
    with pytest.raises(UsageError, match="must be bytes"):
        export.from_pem(12, None)  # type: ignore[arg-type]


def test_pem_wrong_curves() -> None:
    with pytest.raises(UsageError, match="curve secp256r1, not secp256k1"):
        export.from_pem(P256_PEM, None)
    with pytest.raises(UsageError, match="no SM2 curve"):
        export.from_pem(SM2_PEM, None)
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    ed = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    with pytest.raises(UsageError, match="not an elliptic-curve key"):
        export.from_pem(ed, None)


def test_sm2_keys_cannot_be_exported() -> None:
    sm2 = curves.generate("sm2")
    with pytest.raises(UsageError, match="no SM2 curve") as info:
        export.to_pem(sm2, "pw")
    assert "keystore" in info.value.hint
    with pytest.raises(UsageError, match="no SM2 curve"):
        export.to_pkcs12(sm2, "pw", "gm")


# -- PKCS#12 ------------------------------------------------------------------------------
def test_pkcs12_round_trip(pair: curves.KeyPair) -> None:
    data = export.to_pkcs12(pair, "s3cret", "alice")
    assert export.from_pkcs12(data, "s3cret") == pair
    from cryptography.hazmat.primitives.serialization import pkcs12

    loaded = pkcs12.load_pkcs12(data, b"s3cret")
    assert loaded.cert is None and not loaded.additional_certs
    assert loaded.key is not None


@needs_openssl
def test_openssl_reads_the_pkcs12(tmp_path: Path, pair: curves.KeyPair) -> None:
    p12 = tmp_path / "key.p12"
    p12.write_bytes(export.to_pkcs12(pair, "s3cret", "alice"))
    result = openssl("pkcs12", "-in", str(p12), "-nocerts", "-passin", "pass:s3cret", "-passout", "pass:out")
    assert result.returncode == 0, result.stderr
    assert b"friendlyName: alice" in result.stdout
    assert export.from_pem(result.stdout, "out") == pair
    wrong = openssl("pkcs12", "-in", str(p12), "-nocerts", "-passin", "pass:nope", "-passout", "pass:out")
    assert wrong.returncode != 0


def test_pkcs12_errors(pair: curves.KeyPair) -> None:
    data = export.to_pkcs12(pair, "s3cret", "alice")
    with pytest.raises(WrongPasswordError, match="wrong password for the PKCS#12"):
        export.from_pkcs12(data, "S3CRET")
    with pytest.raises(UsageError, match="not a readable PKCS#12"):
        export.from_pkcs12(b"not pkcs12 at all", "s3cret")
    with pytest.raises(UsageError, match="password is required"):
        export.to_pkcs12(pair, None, "alice")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="password is empty"):
        export.to_pkcs12(pair, "", "alice")
    with pytest.raises(UsageError, match="needs a name"):
        export.to_pkcs12(pair, "pw", "")
