"""`smartdev certs`: the FISCO BCOS chain CA → agency → node/SDK layout issued through the
CLI, checked with the real `openssl verify` (CRLs included) and by parsing the certificates
with cryptography; every bad input; expiry flags; JSON output; key passwords."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from clitools import Result, run_cli
from smartdev.certs.ca import CertStore

OPENSSL = shutil.which("openssl")
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="the openssl command-line tool is not on PATH")


# -- helpers --------------------------------------------------------------------------------
@pytest.fixture
def proj(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "smartdev.toml").write_text("")
    return root


def certs(proj: Path, *args: str, env_vars: dict[str, str] | None = None) -> Result:
    return run_cli("certs", *args, cwd=proj, env_vars=env_vars)


def ok(proj: Path, *args: str, env_vars: dict[str, str] | None = None) -> Result:
    result = certs(proj, *args, env_vars=env_vars)
    assert result.code == 0, result.output
    return result


def fails(proj: Path, code: int, *args: str, env_vars: dict[str, str] | None = None) -> str:
    """Run a command that must fail with ``code``: one `error:` line, no traceback. Returns it."""
    result = certs(proj, *args, env_vars=env_vars)
    assert result.code == code, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[-1]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden ones too) and its content."""
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def load(path: Path) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(path.read_bytes())


def ext(cert: x509.Certificate, cls: type) -> x509.Extension:
    return cert.extensions.get_extension_for_class(cls)


def openssl_verify(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([OPENSSL, "verify", *args], capture_output=True, text=True, timeout=30)


def verify_args(folder: Path, *extra: str) -> list[str]:
    return [*extra, "-CAfile", str(folder / "ca.pem"), "-untrusted", str(folder / "chain.pem"),
            str(folder / "cert.pem")]


def fisco(proj: Path) -> Path:
    """chain-ca → agency → node0 (SAN) / sdk0, and node1 from a CSR; returns the certs folder."""
    ok(proj, "init-ca", "--name", "chain-ca")
    ok(proj, "issue", "agency", "--ca", "chain-ca")  # default type from a root CA: an agency CA
    ok(proj, "issue", "node0", "--ca", "agency", "--type", "node", "--san", "127.0.0.1,node0.local")
    ok(proj, "issue", "sdk0", "--ca", "agency", "--type", "sdk")
    ok(proj, "csr", "node1", "--san", "10.0.0.1")
    ok(proj, "sign", "node1.csr", "--ca", "agency")
    return proj / "certs"


@pytest.fixture(scope="module")
def layout(tmp_path_factory) -> Path:
    """One FISCO layout for the read-only tests."""
    root = tmp_path_factory.mktemp("fisco")
    (root / "smartdev.toml").write_text("")
    fisco(root)
    return root


# -- the layout, checked by openssl ----------------------------------------------------------
@needs_openssl
def test_openssl_verifies_the_fisco_layout(layout: Path) -> None:
    store = layout / "certs"
    for name in ("agency", "node0", "sdk0", "node1"):
        done = openssl_verify(*verify_args(store / name, "-x509_strict"))
        assert done.returncode == 0 and f"{name}/cert.pem: OK" in done.stdout, (name, done.stdout, done.stderr)
    # Node certs serve TLS and connect to other nodes; SDK certs are client certs only.
    assert openssl_verify(*verify_args(store / "node0", "-purpose", "sslserver")).returncode == 0
    assert openssl_verify(*verify_args(store / "node1", "-purpose", "sslclient")).returncode == 0
    assert openssl_verify(*verify_args(store / "sdk0", "-purpose", "sslclient")).returncode == 0
    refused = openssl_verify(*verify_args(store / "sdk0", "-purpose", "sslserver"))
    assert refused.returncode != 0 and "unsuitable certificate purpose" in refused.stdout + refused.stderr
    # The agency certificate is needed: the root alone does not verify a node.
    alone = openssl_verify("-CAfile", str(store / "node0" / "ca.pem"), str(store / "node0" / "cert.pem"))
    assert alone.returncode != 0
    # Fresh CRLs of both CAs pass the full check.
    full = openssl_verify(*verify_args(store / "node0", "-crl_check_all", "-CRLfile", str(store / "agency" / "crl.pem"),
                                       "-CRLfile", str(store / "chain-ca" / "crl.pem")))
    assert full.returncode == 0, full.stdout + full.stderr


def test_layout_on_disk(layout: Path) -> None:
    store = layout / "certs"
    assert sorted(p.name for p in store.iterdir() if not p.name.startswith(".")) == \
        ["agency", "chain-ca", "node0", "node1", "sdk0"]
    assert not [p for p in store.iterdir() if p.name.startswith(".")]  # no staging left behind
    for name in ("chain-ca", "agency"):
        assert {"cert.pem", "key.pem", "chain.pem", "ca.pem", "serial", "revoked.json", "crl.pem"} <= \
            {p.name for p in (store / name).iterdir()}
        int((store / name / "serial").read_text(), 16)
        assert json.loads((store / name / "revoked.json").read_text())["revoked"] == []
    assert {p.name for p in (store / "node0").iterdir()} == {"cert.pem", "key.pem", "chain.pem", "ca.pem"}
    assert {p.name for p in (store / "node1").iterdir()} == {"cert.pem", "key.pem", "chain.pem", "ca.pem", "node1.csr"}
    for name in ("chain-ca", "agency", "node0", "sdk0", "node1"):
        key = store / name / "key.pem"
        assert stat.S_IMODE(key.stat().st_mode) == 0o600, name
        assert key.read_text().startswith("-----BEGIN PRIVATE KEY-----")  # PKCS#8, like openssl genpkey
        private = serialization.load_pem_private_key(key.read_bytes(), None)
        assert private.public_key() == load(store / name / "cert.pem")[0].public_key()
    root = load(store / "chain-ca" / "cert.pem")[0]
    agency = load(store / "agency" / "cert.pem")[0]
    node0 = load(store / "node0" / "cert.pem")[0]
    # chain.pem: the certificate and the agency (FISCO node.crt); ca.pem: the root (ca.crt).
    assert load(store / "node0" / "chain.pem") == [node0, agency]
    assert load(store / "agency" / "chain.pem") == [agency]
    assert load(store / "chain-ca" / "chain.pem") == [root]
    for name in ("chain-ca", "agency", "node0", "sdk0", "node1"):
        assert load(store / name / "ca.pem") == [root]


def test_extensions(layout: Path) -> None:
    store = layout / "certs"
    root, agency, node0, sdk0, node1 = (load(store / n / "cert.pem")[0]
                                        for n in ("chain-ca", "agency", "node0", "sdk0", "node1"))
    assert isinstance(node0.public_key(), ec.EllipticCurvePublicKey)
    assert isinstance(node0.public_key().curve, ec.SECP256K1)  # the default algorithm

    basic = ext(root, x509.BasicConstraints)
    assert basic.critical and basic.value.ca and basic.value.path_length is None
    basic = ext(agency, x509.BasicConstraints)
    assert basic.critical and basic.value.ca and basic.value.path_length == 0
    for cert in (root, agency):
        usage = ext(cert, x509.KeyUsage)
        assert usage.critical and usage.value.key_cert_sign and usage.value.crl_sign
        assert not usage.value.digital_signature and not usage.value.key_encipherment
        with pytest.raises(x509.ExtensionNotFound):
            ext(cert, x509.ExtendedKeyUsage)
    for cert in (node0, sdk0, node1):
        basic = ext(cert, x509.BasicConstraints)
        assert basic.critical and not basic.value.ca
        usage = ext(cert, x509.KeyUsage)
        assert usage.critical and usage.value.digital_signature
        assert not usage.value.key_cert_sign and not usage.value.crl_sign
        assert not usage.value.key_encipherment  # an EC key cannot encipher keys
    assert list(ext(node0, x509.ExtendedKeyUsage).value) == [ExtendedKeyUsageOID.SERVER_AUTH,
                                                             ExtendedKeyUsageOID.CLIENT_AUTH]
    assert list(ext(sdk0, x509.ExtendedKeyUsage).value) == [ExtendedKeyUsageOID.CLIENT_AUTH]

    import ipaddress
    san = ext(node0, x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("127.0.0.1")]
    assert san.get_values_for_type(x509.DNSName) == ["node0.local"]
    # node1's SAN came from its CSR
    assert ext(node1, x509.SubjectAlternativeName).value.get_values_for_type(x509.IPAddress) == \
        [ipaddress.ip_address("10.0.0.1")]

    # SKI from each key, AKI = the issuer's SKI; issuers and signatures line up.
    for cert, issuer in ((root, root), (agency, root), (node0, agency), (sdk0, agency), (node1, agency)):
        ski = ext(cert, x509.SubjectKeyIdentifier).value
        assert ski == x509.SubjectKeyIdentifier.from_public_key(cert.public_key())
        aki = ext(cert, x509.AuthorityKeyIdentifier).value
        assert aki.key_identifier == ext(issuer, x509.SubjectKeyIdentifier).value.digest
        assert cert.issuer == issuer.subject
        cert.verify_directly_issued_by(issuer)
    # Serials from one CA are distinct and counted up.
    serials = sorted(c.serial_number for c in (node0, sdk0, node1))
    assert serials[2] - serials[0] == 2


def test_rsa_leaf_has_key_encipherment(proj: Path) -> None:
    ok(proj, "init-ca", "--name", "root", "--algo", "ec-p256")
    ok(proj, "issue", "n", "--ca", "root", "--type", "node", "--algo", "rsa-2048")
    cert = load(proj / "certs" / "n" / "cert.pem")[0]
    assert isinstance(cert.public_key(), rsa.RSAPublicKey) and cert.public_key().key_size == 2048
    usage = ext(cert, x509.KeyUsage).value
    assert usage.digital_signature and usage.key_encipherment
    assert isinstance(load(proj / "certs" / "root" / "cert.pem")[0].public_key().curve, ec.SECP256R1)
    # issued straight from the root (FISCO BCOS 3.x): chain.pem is the certificate alone
    assert load(proj / "certs" / "n" / "chain.pem") == [cert]
    assert ext(cert, x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName) == ["n"]
    assert certs(proj, "verify", "n").code == 0


# -- verify, list, JSON --------------------------------------------------------------------------
def test_verify_ok_and_json(layout: Path) -> None:
    result = ok(layout, "verify", "node0")
    assert "node0 -> agency -> chain-ca" in result.stdout
    assert "node0: OK" in result.stderr
    report = json.loads(ok(layout, "verify", "node0", "--json").stdout)
    assert report["ok"] is True and report["problems"] == []
    assert [c["name"] for c in report["chain"]] == ["node0", "agency", "chain-ca"]
    assert [c["type"] for c in report["chain"]] == ["node", "ca", "root-ca"]
    # a path to a PEM file works too
    assert ok(layout, "verify", "certs/sdk0/cert.pem").code == 0


def test_list_and_json(layout: Path) -> None:
    result = ok(layout, "list")
    for name in ("chain-ca", "agency", "node0", "sdk0", "node1"):
        assert name in result.stdout
    assert "root-ca" in result.stdout and "valid" in result.stdout
    rows = {r["name"]: r for r in json.loads(ok(layout, "list", "--json").stdout)}
    assert set(rows) == {"chain-ca", "agency", "node0", "sdk0", "node1"}
    assert rows["node0"]["type"] == "node" and rows["sdk0"]["type"] == "sdk"
    assert rows["agency"]["type"] == "ca" and rows["chain-ca"]["type"] == "root-ca"
    assert all(r["status"] == "valid" for r in rows.values())
    assert rows["node0"]["issuer"] == rows["agency"]["subject"]
    assert "CN=node0" in rows["node0"]["subject"]
    assert rows["node0"]["sans"] == ["IP:127.0.0.1", "DNS:node0.local"]
    assert 364 <= rows["node0"]["days_left"] <= 365
    assert rows["chain-ca"]["days_left"] >= 3649


def test_issue_json(proj: Path) -> None:
    data = json.loads(ok(proj, "init-ca", "--name", "root", "--json").stdout)
    assert data["name"] == "root" and data["type"] == "root-ca" and data["key"] == "plain"
    assert Path(data["files"]["crl"]).is_file()
    data = json.loads(ok(proj, "issue", "n0", "--ca", "root", "--type", "sdk", "--days", "7", "--json").stdout)
    assert data["type"] == "sdk" and data["serial"].startswith("0x")
    assert set(data["files"]) == {"cert", "key", "chain", "ca"}
    not_after = datetime.fromisoformat(data["not_after"].replace("Z", "+00:00"))
    assert timedelta(days=6.9) < not_after - datetime.now(timezone.utc) <= timedelta(days=7)


def test_expiry_flags(proj: Path) -> None:
    # Through the library: a root made 400 days ago, and a certificate it issued then for 30 days.
    store = CertStore(proj / "certs")
    past = datetime.now(timezone.utc) - timedelta(days=400)
    store.init_ca("root", now=past)
    store.issue("old", ca="root", cert_type="sdk", days=30, now=past)
    ok(proj, "issue", "soon", "--ca", "root", "--type", "node", "--days", "10")
    ok(proj, "issue", "later", "--ca", "root", "--type", "node", "--days", "31")
    rows = {r["name"]: r for r in json.loads(ok(proj, "list", "--json").stdout)}
    assert rows["soon"]["status"] == "expiring" and rows["soon"]["days_left"] == 10
    assert rows["later"]["status"] == "valid"
    assert rows["old"]["status"] == "expired"
    table = ok(proj, "list").stdout
    line = next(line for line in table.splitlines() if " soon " in line)
    assert "EXPIRING in 10 day(s)" in line
    assert "EXPIRED" in next(line for line in table.splitlines() if " old " in line)
    message = fails(proj, 10, "verify", "old")
    assert "old does not verify: old expired on" in message


def test_issue_is_capped_at_the_ca_expiry(proj: Path) -> None:
    ok(proj, "init-ca", "--name", "root", "--days", "20")
    result = ok(proj, "issue", "n", "--ca", "root", "--type", "node", "--days", "365")
    assert "only, when CA root expires" in result.stderr
    cert = load(proj / "certs" / "n" / "cert.pem")[0]
    assert cert.not_valid_after_utc == load(proj / "certs" / "root" / "cert.pem")[0].not_valid_after_utc
    assert json.loads(ok(proj, "list", "--json").stdout)[0]["status"] == "expiring"


# -- revocation and CRLs ----------------------------------------------------------------------
@needs_openssl
def test_revoke_crl_and_openssl_crl_check(proj: Path) -> None:
    store = fisco(proj)
    crl_before = x509.load_pem_x509_crl((store / "agency" / "crl.pem").read_bytes())
    result = ok(proj, "revoke", "node0", "--ca", "agency", "--reason", "keyCompromise")
    assert result.stdout.strip() == "certs/agency/crl.pem"
    assert "revoked node0" in result.stderr

    crl = x509.load_pem_x509_crl((store / "agency" / "crl.pem").read_bytes())
    node0 = load(store / "node0" / "cert.pem")[0]
    agency = load(store / "agency" / "cert.pem")[0]
    assert crl.is_signature_valid(agency.public_key()) and crl.issuer == agency.subject
    entry = crl.get_revoked_certificate_by_serial_number(node0.serial_number)
    assert entry is not None
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == x509.ReasonFlags.key_compromise
    number = crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    assert number == crl_before.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number + 1
    assert timedelta(days=29) < crl.next_update_utc - datetime.now(timezone.utc) <= timedelta(days=30)
    assert len(list(crl)) == 1

    crl_file = str(store / "agency" / "crl.pem")
    revoked = openssl_verify(*verify_args(store / "node0", "-crl_check", "-CRLfile", crl_file))
    assert revoked.returncode != 0 and "certificate revoked" in revoked.stdout + revoked.stderr
    sibling = openssl_verify(*verify_args(store / "node1", "-crl_check", "-CRLfile", crl_file))
    assert sibling.returncode == 0, sibling.stdout + sibling.stderr
    full = openssl_verify(*verify_args(store / "sdk0", "-crl_check_all", "-CRLfile", crl_file,
                                       "-CRLfile", str(store / "chain-ca" / "crl.pem")))
    assert full.returncode == 0, full.stdout + full.stderr
    # Without the revocation check openssl still accepts it: the CRL is what carries it.
    assert openssl_verify(*verify_args(store / "node0")).returncode == 0

    message = fails(proj, 10, "verify", "node0")
    assert "node0 is revoked by agency" in message and "key-compromise" in message
    checked = certs(proj, "verify", "node0", "--json")
    assert checked.code == 10
    report = json.loads(checked.stdout)
    assert report["ok"] is False and "revoked" in report["problems"][0]
    rows = {r["name"]: r for r in json.loads(ok(proj, "list", "--json").stdout)}
    assert rows["node0"]["status"] == "revoked" and rows["node0"]["reason"] == "key-compromise"
    assert rows["node1"]["status"] == "valid"
    assert "REVOKED" in ok(proj, "list").stdout

    # Revoking an agency revokes, for `verify`, everything below it.
    ok(proj, "revoke", "agency", "--ca", "chain-ca", "--reason", "cessation-of-operation")
    assert "agency is revoked by chain-ca" in fails(proj, 10, "verify", "node1")
    full = openssl_verify(*verify_args(store / "node1", "-crl_check_all", "-CRLfile", crl_file,
                                       "-CRLfile", str(store / "chain-ca" / "crl.pem")))
    assert full.returncode != 0 and "certificate revoked" in full.stdout + full.stderr
    # A revoked CA issues nothing more.
    assert "agency is revoked" in fails(proj, 2, "issue", "node9", "--ca", "agency", "--type", "node")


def test_crl_command(proj: Path) -> None:
    ok(proj, "init-ca", "--name", "root")
    first = json.loads(ok(proj, "crl", "root", "--json").stdout)
    result = ok(proj, "crl", "root", "--days", "7")
    assert result.stdout.strip() == "certs/root/crl.pem"
    assert "next update" in result.stderr
    crl = x509.load_pem_x509_crl((proj / "certs" / "root" / "crl.pem").read_bytes())
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == first["number"] + 1
    assert timedelta(days=6.9) < crl.next_update_utc - datetime.now(timezone.utc) <= timedelta(days=7)
    assert first["revoked"] == 0 and first["next_update"].endswith("Z")
    ok(proj, "issue", "n", "--ca", "root", "--type", "node")
    assert "n is not a CA" in fails(proj, 2, "crl", "n")
    assert "no CA named 'nope'" in fails(proj, 4, "crl", "nope")


# -- bad input: one line, nothing written ---------------------------------------------------------
def test_bad_algorithms(proj: Path) -> None:
    message = fails(proj, 2, "init-ca", "--name", "root", "--algo", "sm2")
    assert "SM2 certificates are not supported" in message and "cryptography" in message
    assert "unknown key algorithm 'dsa-1024'" in fails(proj, 2, "init-ca", "--name", "root", "--algo", "dsa-1024")
    assert not (proj / "certs").exists()
    ok(proj, "init-ca", "--name", "root")
    before = snapshot(proj / "certs")
    assert "SM2" in fails(proj, 2, "issue", "n", "--ca", "root", "--algo", "SM2")
    assert "SM2" in fails(proj, 2, "csr", "n", "--algo", "sm2")
    assert "unknown certificate type" in fails(proj, 2, "issue", "n", "--ca", "root", "--type", "server")
    assert "invalid subject alternative name" in fails(proj, 2, "issue", "n", "--ca", "root", "--san", "bad host!")
    assert "--days must be between" in fails(proj, 2, "issue", "n", "--ca", "root", "--days", "0")
    assert "invalid certificate name" in fails(proj, 2, "issue", "../evil", "--ca", "root")
    assert snapshot(proj / "certs") == before


def test_ca_missing_key_missing_non_ca(proj: Path) -> None:
    ok(proj, "init-ca", "--name", "root")
    ok(proj, "issue", "agency", "--ca", "root")
    ok(proj, "issue", "node0", "--ca", "agency", "--type", "node")
    before = snapshot(proj / "certs")
    assert "no CA named 'nope'" in fails(proj, 4, "issue", "n", "--ca", "nope")
    message = fails(proj, 2, "issue", "n", "--ca", "node0")
    assert "node0 is a node certificate, not a CA" in message
    assert "path length 0" in fails(proj, 2, "issue", "sub", "--ca", "agency", "--type", "ca")
    assert snapshot(proj / "certs") == before

    (proj / "certs" / "agency" / "key.pem").rename(proj / "agency-key.pem")
    before = snapshot(proj / "certs")
    message = fails(proj, 4, "issue", "n", "--ca", "agency", "--type", "node")
    assert "CA agency has no private key" in message
    assert "CA agency has no private key" in fails(proj, 4, "revoke", "node0", "--ca", "agency")
    assert "no private key" in fails(proj, 4, "crl", "agency")
    assert snapshot(proj / "certs") == before  # no folder, no serial consumed, no CRL change


def test_duplicate_name(proj: Path) -> None:
    ok(proj, "init-ca", "--name", "root")
    ok(proj, "issue", "n", "--ca", "root", "--type", "node")
    before = snapshot(proj / "certs")
    assert "n already exists" in fails(proj, 2, "issue", "n", "--ca", "root", "--type", "sdk")
    assert "root already exists" in fails(proj, 2, "init-ca", "--name", "root")
    assert "n already exists" in fails(proj, 2, "csr", "n")
    ok(proj, "csr", "other", "--out", "other.csr")
    assert "n already exists" in fails(proj, 2, "sign", "other.csr", "--ca", "root", "--name", "n")
    after = snapshot(proj / "certs")
    assert {k: v for k, v in after.items() if not k.startswith("other/")} == before
    # Once the folder is removed, the name can be issued again.
    shutil.rmtree(proj / "certs" / "n")
    ok(proj, "issue", "n", "--ca", "root", "--type", "sdk")


def test_bad_csrs(proj: Path) -> None:
    ok(proj, "init-ca", "--name", "root")
    ok(proj, "csr", "node9", "--out", "node9.csr")
    pem = (proj / "node9.csr").read_bytes()
    assert pem.startswith(b"-----BEGIN CERTIFICATE REQUEST-----")
    assert pem == (proj / "certs" / "node9" / "node9.csr").read_bytes()
    # Tamper with the subject: the CSR still parses, its signature no longer verifies.
    der = x509.load_pem_x509_csr(pem).public_bytes(serialization.Encoding.DER)
    assert der.count(b"node9") == 1
    forged = x509.load_der_x509_csr(der.replace(b"node9", b"nodeX"))
    assert not forged.is_signature_valid
    (proj / "forged.csr").write_bytes(forged.public_bytes(serialization.Encoding.PEM))
    (proj / "junk.csr").write_text("-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgY3Ny\n-----END CERTIFICATE REQUEST-----\n")
    (proj / "cert.csr").write_bytes((proj / "certs" / "root" / "cert.pem").read_bytes())
    before = snapshot(proj / "certs")
    assert "signature of CSR" in fails(proj, 10, "sign", "forged.csr", "--ca", "root")
    assert "is not a certificate signing request" in fails(proj, 2, "sign", "junk.csr", "--ca", "root")
    assert "is not a certificate signing request" in fails(proj, 2, "sign", "cert.csr", "--ca", "root")
    assert "does not exist" in fails(proj, 4, "sign", "missing.csr", "--ca", "root")
    assert snapshot(proj / "certs") == before
    row = next(r for r in json.loads(ok(proj, "list", "--json").stdout) if r["name"] == "node9")
    assert row["status"] == "csr" and row["key"] == "plain"
    assert "CSR, not signed yet" in ok(proj, "list").stdout
    assert "has a CSR but no certificate yet" in fails(proj, 4, "verify", "node9")
    # The good one signs into the folder that holds its key.
    ok(proj, "sign", "node9.csr", "--ca", "root", "--type", "sdk")
    cert = load(proj / "certs" / "node9" / "cert.pem")[0]
    key = serialization.load_pem_private_key((proj / "certs" / "node9" / "key.pem").read_bytes(), None)
    assert cert.public_key() == key.public_key()
    assert list(ext(cert, x509.ExtendedKeyUsage).value) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    assert "node9 already exists" in fails(proj, 2, "sign", "node9.csr", "--ca", "root")


@needs_openssl
def test_sign_a_csr_made_by_openssl(proj: Path) -> None:
    ok(proj, "init-ca", "--name", "root", "--algo", "rsa-2048")
    subprocess.run([OPENSSL, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", str(proj / "peer.key"), "-out", str(proj / "peer.csr"), "-subj", "/CN=peer/O=org2"],
                   check=True, capture_output=True, timeout=30)
    data = json.loads(ok(proj, "sign", "peer.csr", "--ca", "root", "--san", "peer.example", "--json").stdout)
    assert data["name"] == "peer" and data["key"] == "missing" and data["sans"] == ["DNS:peer.example"]
    folder = proj / "certs" / "peer"
    assert {p.name for p in folder.iterdir()} == {"cert.pem", "chain.pem", "ca.pem"}
    done = openssl_verify(*verify_args(folder, "-x509_strict", "-purpose", "sslserver"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert ok(proj, "verify", "peer").code == 0


def test_revoke_errors(proj: Path) -> None:
    ok(proj, "init-ca", "--name", "root")
    ok(proj, "issue", "agency", "--ca", "root")
    ok(proj, "issue", "node0", "--ca", "agency", "--type", "node")
    ok(proj, "revoke", "node0", "--ca", "agency", "--reason", "superseded")
    before = snapshot(proj / "certs")
    assert "node0 (serial 0x" in (message := fails(proj, 2, "revoke", "node0", "--ca", "agency"))
    assert "already revoked by agency" in message
    message = fails(proj, 2, "revoke", "node0", "--ca", "root")
    assert "node0 was not issued by root" in message
    assert "unknown revocation reason" in fails(proj, 2, "revoke", "agency", "--ca", "root", "--reason", "bored")
    assert "root cannot revoke itself" in fails(proj, 2, "revoke", "root", "--ca", "root")
    assert "no CA named 'nope'" in fails(proj, 4, "revoke", "node0", "--ca", "nope")
    assert "no certificate named 'ghost'" in fails(proj, 4, "revoke", "ghost", "--ca", "agency")
    assert "not a CA" in fails(proj, 2, "revoke", "agency", "--ca", "node0")
    assert snapshot(proj / "certs") == before
    state = json.loads((proj / "certs" / "agency" / "revoked.json").read_text())
    assert [e["name"] for e in state["revoked"]] == ["node0"] and state["revoked"][0]["reason"] == "superseded"


def test_expired_ca(proj: Path) -> None:
    store = CertStore(proj / "certs")
    past = datetime.now(timezone.utc) - timedelta(days=100)
    store.init_ca("old-root", days=30, now=past)
    before = snapshot(proj / "certs")
    message = fails(proj, 2, "issue", "n", "--ca", "old-root", "--type", "node")
    assert "CA old-root expired on" in message
    ok(proj, "csr", "n2")
    assert "CA old-root expired on" in fails(proj, 2, "sign", "n2.csr", "--ca", "old-root")
    assert {k: v for k, v in snapshot(proj / "certs").items() if not k.startswith("n2/")} == before
    assert not (proj / "certs" / "n2" / "cert.pem").exists()
    # An agency that expired with its root.
    store.init_ca("short-root", days=30, now=past)
    store.issue("agency2", ca="short-root", days=20, now=past)
    assert "CA agency2 expired" in fails(proj, 2, "issue", "n4", "--ca", "agency2")


def test_expired_root_blocks_its_agency(proj: Path) -> None:
    store = CertStore(proj / "certs")
    past = datetime.now(timezone.utc) - timedelta(days=100)
    store.init_ca("root", days=30, now=past)
    # An agency valid for longer than its root (written by hand: issue caps it at the CA's expiry).
    root_cert = load(proj / "certs" / "root" / "cert.pem")[0]
    root_key = serialization.load_pem_private_key((proj / "certs" / "root" / "key.pem").read_bytes(), None)
    from smartdev.certs.ca import _Signer
    signer = _Signer("root", proj / "certs" / "root", root_cert, root_key, [])
    key = ec.generate_private_key(ec.SECP256K1())
    cert = store._build(kind="ca", subject=x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "agency")]),
                        public_key=key.public_key(), serial=7, not_before=past,
                        not_after=past + timedelta(days=1000), signer=signer, signing_key=root_key)
    folder = proj / "certs" / "agency"
    folder.mkdir()
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    message = fails(proj, 2, "issue", "n", "--ca", "agency", "--type", "node")
    assert "CA agency does not verify: root expired on" in message
    assert not (proj / "certs" / "n").exists()


# -- passwords, config, start-up --------------------------------------------------------------
@needs_openssl
def test_encrypted_keys(proj: Path) -> None:
    (proj / "pw.txt").write_text("s3cret\n")
    ok(proj, "init-ca", "--name", "root", "--password-file", "pw.txt")
    key_file = proj / "certs" / "root" / "key.pem"
    assert key_file.read_text().startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert serialization.load_pem_private_key(key_file.read_bytes(), b"s3cret")
    done = subprocess.run([OPENSSL, "pkey", "-in", str(key_file), "-passin", "pass:s3cret", "-noout"],
                          capture_output=True, timeout=30)
    assert done.returncode == 0, done.stderr
    before = snapshot(proj / "certs")
    message = fails(proj, 2, "issue", "n", "--ca", "root", "--type", "node")
    assert "is encrypted and no password was given" in message and "SMARTDEV_CERTS_PASSWORD" in message
    assert "wrong password" in fails(proj, 2, "issue", "n", "--ca", "root",
                                     env_vars={"SMARTDEV_CERTS_PASSWORD": "nope"})
    assert "--encrypt needs a password" in fails(proj, 2, "issue", "n", "--ca", "root", "--encrypt",
                                                 "--ca-password-file", "pw.txt")
    assert snapshot(proj / "certs") == before
    ok(proj, "issue", "n", "--ca", "root", "--type", "node", "--ca-password-file", "pw.txt")
    assert (proj / "certs" / "n" / "key.pem").read_text().startswith("-----BEGIN PRIVATE KEY-----")
    ok(proj, "issue", "m", "--ca", "root", "--type", "sdk", "--encrypt",
       env_vars={"SMARTDEV_CERTS_PASSWORD": "s3cret"})
    assert (proj / "certs" / "m" / "key.pem").read_text().startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    rows = {r["name"]: r for r in json.loads(ok(proj, "list", "--json").stdout)}
    assert rows["m"]["key"] == "encrypted" and rows["n"]["key"] == "plain"
    ok(proj, "revoke", "n", "--ca", "root", env_vars={"SMARTDEV_CERTS_PASSWORD": "s3cret"})


def test_certs_dir_from_config_and_without_project(tmp_path: Path) -> None:
    proj = tmp_path / "p"
    (proj / "sub").mkdir(parents=True)
    (proj / "smartdev.toml").write_text('[certs]\ndir = "pki"\n')
    result = run_cli("certs", "init-ca", "--name", "root", cwd=proj / "sub")
    assert result.code == 0, result.output
    assert (proj / "pki" / "root" / "cert.pem").is_file() and not (proj / "sub" / "certs").exists()
    assert "warning" not in result.stderr  # [certs] is a known section
    (proj / "smartdev.toml").write_text('[certs]\ndri = "pki"\n')
    bad = run_cli("certs", "list", cwd=proj)
    assert bad.code == 3 and "certs.dri" in bad.stderr
    bare = tmp_path / "bare"
    bare.mkdir()
    result = run_cli("certs", "init-ca", "--name", "root", cwd=bare)
    assert result.code == 0, result.output
    assert (bare / "certs" / "root" / "key.pem").is_file()


def test_cli_module_stays_light() -> None:
    code = ("import sys, smartdev.certs.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('cryptography', 'pydantic')"
            " or m.startswith('smartdev.certs.ca')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
