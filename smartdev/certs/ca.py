"""The certificate store behind ``smartdev certs``: a chain CA, agency CAs, node and SDK
certificates, CSRs, revocation and CRLs, in FISCO BCOS's chain CA → agency → node/SDK
layout. Usable from Python without the CLI::

    store = CertStore(Path("certs"))
    store.init_ca("chain-ca")
    store.issue("agency", ca="chain-ca")                  # an agency (intermediate) CA
    store.issue("node0", ca="agency", cert_type="node", sans=["127.0.0.1"])
    store.verify("node0")["ok"]

On disk (``<project>/certs`` by default) there is one folder per name:

``cert.pem``   the certificate (FISCO BCOS 3.x ``ssl.crt`` without the chain)
``key.pem``    its private key, PKCS#8, mode 0600 (FISCO ``node.key`` / ``sdk.key`` / ``ssl.key``)
``chain.pem``  the certificate followed by the intermediate (agency) CA certificates,
               root left out (FISCO 2.x ``node.crt`` / ``sdk.crt``)
``ca.pem``     the root (chain) CA certificate (FISCO ``ca.crt``)
``NAME.csr``   the CSR, for folders made by :meth:`CertStore.create_csr`

and, for a CA, its issuing state:

``serial``        the next serial number to issue, hex (like ``openssl ca``'s serial file;
                  starts at a random 63-bit value so a re-created CA never reuses serials)
``revoked.json``  the revocations it recorded and the number of its last CRL
``crl.pem``       its CRL (X.509 v2, with CRL number and authority key identifier)

Nothing is overwritten: a new name's folder is written complete in a hidden staging
folder and renamed into place; every file goes through :mod:`smartdev.files`.
"""

from __future__ import annotations

import ipaddress
import json
import math
import os
import re
import secrets
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pydantic import Field

from smartdev.certs.keys import (DEFAULT_ALGO, PasswordSource, PrivateKey, check_algo, generate_key,
                                 is_rsa, key_algo, key_pem, key_state, load_private_key, public_der,
                                 signature_hash)
from smartdev.config import Section
from smartdev.errors import NotFoundError, UsageError, VerificationError
from smartdev.files import atomic_write_bytes, atomic_write_json

CERT, KEY, CHAIN, ROOT = "cert.pem", "key.pem", "chain.pem", "ca.pem"
SERIAL, STATE, CRL = "serial", "revoked.json", "crl.pem"

TYPES = ("ca", "node", "sdk")
DEFAULT_ORG = "smartdev"
DEFAULT_CA_DAYS = 3650
DEFAULT_LEAF_DAYS = 365
DEFAULT_CRL_DAYS = 30
MAX_DAYS = 36500
EXPIRING_DAYS = 30
# notBefore is set a little in the past: the clocks of a consortium's machines differ.
BACKDATE = timedelta(minutes=5)

REASONS: dict[str, x509.ReasonFlags] = {
    "unspecified": x509.ReasonFlags.unspecified,
    "key-compromise": x509.ReasonFlags.key_compromise,
    "ca-compromise": x509.ReasonFlags.ca_compromise,
    "affiliation-changed": x509.ReasonFlags.affiliation_changed,
    "superseded": x509.ReasonFlags.superseded,
    "cessation-of-operation": x509.ReasonFlags.cessation_of_operation,
    "privilege-withdrawn": x509.ReasonFlags.privilege_withdrawn,
}

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"(?:\*\.)?{_LABEL}(?:\.{_LABEL})*")


class CertsConfig(Section):
    """``[certs]`` in smartdev.toml."""

    dir: str = Field("certs", description="the certificates folder, relative to the project root")


class CertificateError(UsageError):
    """A certificate, CSR, CA or CRL that cannot be used for what was asked (not a CA,
    an expired or revoked CA, not issued by the CA named, not a CSR). A certificate or CSR
    whose check fails (`verify`, a CSR's signature) is a :class:`VerificationError`."""


# -- small helpers ------------------------------------------------------------------------
def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _now(now: datetime | None) -> datetime:
    if now is None:
        return utcnow()
    return now if now.tzinfo else now.replace(tzinfo=timezone.utc)


def iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def serial_hex(serial: int) -> str:
    return f"0x{serial:X}"


def check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise UsageError(f"invalid certificate name {name!r}",
                         hint="Use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.")
    return name


def check_days(days: int, what: str = "--days") -> int:
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise UsageError(f"{what} must be between 1 and {MAX_DAYS} (got {days!r})")
    return days


def check_type(cert_type: str | None) -> str | None:
    if cert_type is None:
        return None
    value = cert_type.strip().lower()
    if value == "agency":
        value = "ca"
    if value not in TYPES:
        raise UsageError(f"unknown certificate type {cert_type!r}", hint=f"Choose one of: {', '.join(TYPES)}.")
    return value


def check_reason(reason: str | None) -> str:
    if not reason:
        return "unspecified"
    folded = reason.strip().replace("-", "").replace("_", "").lower()
    for name in REASONS:
        if name.replace("-", "") == folded:
            return name
    raise UsageError(f"unknown revocation reason {reason!r}", hint=f"Choose one of: {', '.join(REASONS)}.")


def parse_sans(values: Sequence[str] | None) -> list[x509.GeneralName]:
    """``--san`` values (comma-separated, repeatable) as DNS names and IP addresses."""
    names: list[x509.GeneralName] = []
    for value in values or ():
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            kind, _, rest = item.partition(":")
            general: x509.GeneralName | None = None
            if kind.upper() == "IP" and rest:
                try:
                    general = x509.IPAddress(ipaddress.ip_address(rest.strip()))
                except ValueError:
                    general = None
            elif kind.upper() == "DNS" and rest:
                general = x509.DNSName(rest.strip().lower()) if _HOSTNAME.fullmatch(rest.strip()) else None
            else:
                try:
                    general = x509.IPAddress(ipaddress.ip_address(item))
                except ValueError:
                    if _HOSTNAME.fullmatch(item) and len(item) <= 253:
                        general = x509.DNSName(item.lower())
            if general is None:
                raise UsageError(f"invalid subject alternative name {item!r}",
                                 hint="Give IP addresses and DNS names separated by commas, "
                                      "e.g. --san 127.0.0.1,node0.local.")
            if general not in names:
                names.append(general)
    return names


def _san_text(general: x509.GeneralName) -> str:
    if isinstance(general, x509.IPAddress):
        return f"IP:{general.value}"
    if isinstance(general, x509.DNSName):
        return f"DNS:{general.value}"
    return str(general.value)


def _ext(cert: x509.Certificate | x509.CertificateSigningRequest, cls: type) -> Any:
    try:
        return cert.extensions.get_extension_for_class(cls).value
    except x509.ExtensionNotFound:
        return None


def is_ca(cert: x509.Certificate) -> bool:
    basic = _ext(cert, x509.BasicConstraints)
    return bool(basic is not None and basic.ca)


def path_length(cert: x509.Certificate) -> int | None:
    basic = _ext(cert, x509.BasicConstraints)
    return basic.path_length if basic is not None else None


def is_self_signed(cert: x509.Certificate) -> bool:
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def cert_type(cert: x509.Certificate) -> str:
    """``root-ca``, ``ca``, ``node`` (serverAuth), ``sdk`` (clientAuth only) or ``leaf``."""
    if is_ca(cert):
        return "root-ca" if is_self_signed(cert) else "ca"
    eku = _ext(cert, x509.ExtendedKeyUsage)
    usages = set(eku) if eku is not None else set()
    if ExtendedKeyUsageOID.SERVER_AUTH in usages:
        return "node"
    if ExtendedKeyUsageOID.CLIENT_AUTH in usages:
        return "sdk"
    return "leaf"


def _cn(name: x509.Name) -> str:
    attrs = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else name.rfc4514_string()


def _subject(cn: str, org: str | None, unit: str | None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    if unit:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    return x509.Name(attrs)


def _pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def describe(cert: x509.Certificate, name: str | None = None) -> dict[str, Any]:
    """The facts of a certificate, JSON-ready."""
    san = _ext(cert, x509.SubjectAlternativeName)
    try:
        algo = key_algo(cert.public_key())
    except (UsageError, ValueError, TypeError):
        algo = "unsupported"
    return {
        "name": name,
        "type": cert_type(cert),
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "serial": serial_hex(cert.serial_number),
        "not_before": iso(cert.not_valid_before_utc),
        "not_after": iso(cert.not_valid_after_utc),
        "algo": algo,
        "sans": [_san_text(g) for g in san] if san is not None else [],
    }


def _read_certs(path: Path) -> list[x509.Certificate]:
    """The PEM certificates in ``path`` ([] when it is missing)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    try:
        return x509.load_pem_x509_certificates(data)
    except ValueError:
        raise CertificateError(f"{path} is not a PEM certificate file") from None


@dataclass
class _Node:
    """A certificate in a chain, with the store folder it came from (None: from a file)."""

    cert: x509.Certificate
    name: str | None

    @property
    def label(self) -> str:
        return self.name or _cn(self.cert.subject)


@dataclass
class _Signer:
    name: str
    folder: Path
    cert: x509.Certificate
    key: PrivateKey
    path: list[_Node]  # the CA's chain, itself first, root last


# -- the store ------------------------------------------------------------------------------
class CertStore:
    """The certificates folder: one sub-folder per name (see the module docstring)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # -- reading ----------------------------------------------------------------------------
    def folder(self, name: str) -> Path:
        return self.root / check_name(name)

    def names(self) -> list[str]:
        """The names in the store (hidden staging folders left out), sorted."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir()
                      if p.is_dir() and not p.name.startswith(".") and _NAME.fullmatch(p.name))

    def read_cert(self, name: str) -> x509.Certificate:
        folder = self.folder(name)
        if not folder.is_dir():
            raise NotFoundError(f"no certificate named {name!r} in {self.root}",
                                hint="See `smartdev certs list`.")
        certs = _read_certs(folder / CERT)
        if not certs:
            if any(folder.glob("*.csr")):
                raise NotFoundError(f"{name} has a CSR but no certificate yet ({folder / CERT} is missing)",
                                    hint=f"Sign it: smartdev certs sign {name}.csr --ca CA.")
            raise NotFoundError(f"{folder / CERT} does not exist")
        return certs[0]

    def _ca_nodes(self) -> list[_Node]:
        """Every CA certificate of the store, by folder."""
        nodes = []
        for name in self.names():
            try:
                certs = _read_certs(self.root / name / CERT)
            except UsageError:
                continue
            if certs and is_ca(certs[0]):
                nodes.append(_Node(certs[0], name))
        return nodes

    def _resolve(self, target: str) -> tuple[str | None, Path | None, x509.Certificate]:
        """A name in the store, or a path to a PEM certificate: (name, folder, cert)."""
        path = Path(target)
        if _NAME.fullmatch(target) and (self.root / target).is_dir():
            return target, self.root / target, self.read_cert(target)
        if path.suffix in (".pem", ".crt", ".cer") or "/" in target or os.sep in target:
            if not path.is_file():
                raise NotFoundError(f"{target} does not exist")
            certs = _read_certs(path)
            if not certs:
                raise CertificateError(f"{target} holds no certificate")
            return None, None, certs[0]
        check_name(target)
        return target, self.root / target, self.read_cert(target)

    # -- chains -------------------------------------------------------------------------------
    def _find_issuer(self, node: _Node, candidates: list[_Node]) -> tuple[_Node | None, str | None]:
        cert = node.cert
        same_name = [c for c in candidates if c.cert.subject == cert.issuer and c.cert != cert]
        for candidate in same_name:
            try:
                cert.verify_directly_issued_by(candidate.cert)
            except (InvalidSignature, ValueError, TypeError):
                continue
            return candidate, None
        if same_name:
            return None, (f"the signature of {node.label} does not verify with the key of its issuer "
                          f"{same_name[0].label}")
        return None, (f"the issuer of {node.label} ({cert.issuer.rfc4514_string()}) is not in {self.root}")

    def _chain(self, node: _Node, extra: Sequence[x509.Certificate] = ()) -> tuple[list[_Node], list[str]]:
        """The path from ``node`` up to a self-signed root, and the problems met building it."""
        candidates = self._ca_nodes()
        known = {c.cert for c in candidates}
        candidates += [_Node(c, None) for c in extra if c not in known]
        path, problems = [node], []
        while True:
            current = path[-1]
            if current.cert.issuer == current.cert.subject:
                if not is_self_signed(current.cert):
                    problems.append(f"the self-signature of {current.label} does not verify")
                break
            issuer, problem = self._find_issuer(current, candidates)
            if issuer is None:
                problems.append(problem or f"no issuer for {current.label}")
                break
            if any(n.cert == issuer.cert for n in path):
                problems.append(f"the chain of {node.label} loops at {issuer.label}")
                break
            path.append(issuer)
        return path, problems

    def _revocation(self, node: _Node, issuer: _Node, now: datetime,
                    problems: list[str], warnings: list[str]) -> dict[str, Any] | None:
        """Check ``node`` against its issuer's CRL and revocation state; the revocation
        record (serial, revoked_at, reason) when it is revoked."""
        if issuer.name is None:
            warnings.append(f"revocation of {node.label} not checked: its issuer {issuer.label} "
                            f"is not a CA in {self.root}")
            return None
        folder = self.root / issuer.name
        serial = node.cert.serial_number
        record = None
        crl = self._read_crl(issuer.name)
        if crl is None:
            warnings.append(f"CA {issuer.name} has no CRL ({folder / CRL}); run `smartdev certs crl {issuer.name}`")
        else:
            if crl.issuer != issuer.cert.subject or not crl.is_signature_valid(issuer.cert.public_key()):
                problems.append(f"the CRL of {issuer.name} ({folder / CRL}) is not signed by {issuer.name}")
            else:
                if crl.next_update_utc is not None and crl.next_update_utc < now:
                    warnings.append(f"the CRL of {issuer.name} is out of date since {iso(crl.next_update_utc)}; "
                                    f"run `smartdev certs crl {issuer.name}`")
                revoked = crl.get_revoked_certificate_by_serial_number(serial)
                if revoked is not None:
                    reason = _ext(revoked, x509.CRLReason)
                    record = {"serial": serial_hex(serial), "revoked_at": iso(revoked.revocation_date_utc),
                              "reason": _reason_name(reason.reason) if reason is not None else "unspecified"}
        for entry in self._read_state(folder)["revoked"]:
            if entry.get("serial") == serial_hex(serial):
                record = record or {"serial": entry["serial"], "revoked_at": entry.get("revoked_at"),
                                    "reason": entry.get("reason", "unspecified")}
        if record is not None:
            problems.append(f"{node.label} is revoked by {issuer.name} since {record['revoked_at']} "
                            f"({record['reason']})")
        return record

    def _check_path(self, path: list[_Node], now: datetime, problems: list[str], warnings: list[str]) -> None:
        for i, node in enumerate(path):
            cert = node.cert
            if now < cert.not_valid_before_utc:
                problems.append(f"{node.label} is not valid before {iso(cert.not_valid_before_utc)}")
            if now > cert.not_valid_after_utc:
                problems.append(f"{node.label} expired on {iso(cert.not_valid_after_utc)}")
            if i == 0:
                continue
            if not is_ca(cert):
                problems.append(f"{node.label} issued {path[i - 1].label} but is not a CA (basic constraints)")
                continue
            usage = _ext(cert, x509.KeyUsage)
            if usage is not None and not usage.key_cert_sign:
                problems.append(f"{node.label} issued {path[i - 1].label} but its key usage lacks keyCertSign")
            limit = path_length(cert)
            below = sum(1 for n in path[1:i] if is_ca(n.cert))
            if limit is not None and below > limit:
                problems.append(f"{node.label} allows {limit} CA(s) below it (path length) but has {below}")
        for node, issuer in zip(path, path[1:]):
            self._revocation(node, issuer, now, problems, warnings)

    def verify(self, target: str, *, now: datetime | None = None) -> dict[str, Any]:
        """Check ``target`` (a name, or a PEM file) up to its root: signatures, validity
        dates, CA constraints (basic constraints, key usage, path length), revocation
        against each issuer's CRL and state; for a name, also that key.pem matches and that
        chain.pem and ca.pem hold its chain. ``ok`` is true when there are no problems
        (warnings, e.g. a CRL past its nextUpdate, do not count)."""
        report, _path = self._verify(target, _now(now))
        return report

    def _verify(self, target: str, now: datetime) -> tuple[dict[str, Any], list[_Node]]:
        name, folder, cert = self._resolve(target)
        extra: list[x509.Certificate] = []
        if folder is not None:
            extra = _read_certs(folder / CHAIN)[1:] + _read_certs(folder / ROOT)
        path, problems = self._chain(_Node(cert, name), extra)
        warnings: list[str] = []
        self._check_path(path, now, problems, warnings)
        root = path[-1]
        if root.cert.issuer == root.cert.subject and root.name is None:
            warnings.append(f"the root {root.label} comes from {folder / ROOT if folder else target}, "
                            f"not from a CA in {self.root}")
        if folder is not None:
            self._check_folder(name or "", folder, cert, path, problems, warnings)
        report = {
            "name": name or target,
            "ok": not problems,
            "problems": problems,
            "warnings": warnings,
            "chain": [describe(n.cert, n.name) for n in path],
        }
        return report, path

    def _check_folder(self, name: str, folder: Path, cert: x509.Certificate, path: list[_Node],
                      problems: list[str], warnings: list[str]) -> None:
        state = key_state(folder / KEY)
        if state == "plain":
            try:
                key = load_private_key(folder / KEY)
            except UsageError as exc:
                problems.append(str(exc))
            else:
                if public_der(key) != public_der(cert.public_key()):
                    problems.append(f"{folder / KEY} does not match the public key of {name}'s certificate")
        elif state == "encrypted":
            warnings.append(f"{folder / KEY} is encrypted: not checked against the certificate")
        if path[-1].cert.issuer != path[-1].cert.subject:
            return  # the chain is incomplete: already a problem
        chain = _read_certs(folder / CHAIN)
        wanted = [n.cert for n in path if not (n.cert.issuer == n.cert.subject)] or [cert]
        if not chain:
            problems.append(f"{folder / CHAIN} is missing")
        elif chain != wanted:
            problems.append(f"{folder / CHAIN} does not hold {name}'s chain ("
                            + ", ".join(_cn(c.subject) for c in wanted) + ")")
        roots = _read_certs(folder / ROOT)
        if not roots:
            problems.append(f"{folder / ROOT} is missing")
        elif path[-1].cert.issuer == path[-1].cert.subject and roots[0] != path[-1].cert:
            problems.append(f"{folder / ROOT} is not the root CA of {name} ({path[-1].label})")

    # -- CA state -------------------------------------------------------------------------------
    def _read_state(self, folder: Path) -> dict[str, Any]:
        path = folder / STATE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"crl_number": 0, "revoked": []}
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read {path}: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("revoked"), list):
            raise UsageError(f"{path} is not a revocation state file")
        data.setdefault("crl_number", 0)
        return data

    def _read_crl(self, ca: str) -> x509.CertificateRevocationList | None:
        path = self.root / ca / CRL
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror}") from None
        try:
            return x509.load_pem_x509_crl(data)
        except ValueError:
            raise CertificateError(f"{path} is not a PEM CRL") from None

    @contextmanager
    def _locked(self, folder: Path) -> Iterator[None]:
        """Serialize changes to one CA's serial and revocation state between processes."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not on POSIX
            yield
            return
        fd = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _next_serial(self, folder: Path) -> int:
        path = folder / SERIAL
        try:
            text = path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            serial = _first_serial()
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror}") from None
        else:
            try:
                serial = int(text, 16)
            except ValueError:
                raise UsageError(f"{path} does not hold a hexadecimal serial number (got {text[:40]!r})") from None
            if serial < 1:
                raise UsageError(f"{path}: serial numbers must be positive")
        atomic_write_bytes(path, f"{serial + 1:X}\n".encode())
        return serial

    def _signer(self, ca: str, password: PasswordSource, now: datetime) -> _Signer:
        """The CA ``ca`` ready to sign: a valid CA certificate whose chain verifies, and its key."""
        folder = self.root / check_name(ca)
        if not folder.is_dir():
            raise NotFoundError(f"no CA named {ca!r} in {self.root}",
                                hint="Create one with `smartdev certs init-ca --name NAME`; "
                                     "see `smartdev certs list`.")
        certs = _read_certs(folder / CERT)
        if not certs:
            raise NotFoundError(f"CA {ca} has no certificate ({folder / CERT} is missing)")
        cert = certs[0]
        if not is_ca(cert):
            raise CertificateError(f"{ca} is a {cert_type(cert)} certificate, not a CA (basic constraints CA:FALSE): "
                                   "it cannot issue certificates",
                                   hint="Issue from the chain CA or an agency CA (issue NAME --type ca).")
        usage = _ext(cert, x509.KeyUsage)
        if usage is not None and not usage.key_cert_sign:
            raise CertificateError(f"CA {ca}'s key usage does not allow signing certificates (keyCertSign)")
        if now > cert.not_valid_after_utc:
            raise CertificateError(f"CA {ca} expired on {iso(cert.not_valid_after_utc)}: it cannot issue, sign or "
                                   "renew certificates",
                                   hint="Nothing was written. Make a new CA and reissue its certificates.")
        if now < cert.not_valid_before_utc:
            raise CertificateError(f"CA {ca} is not valid before {iso(cert.not_valid_before_utc)}")
        if not (folder / KEY).is_file():
            raise NotFoundError(f"CA {ca} has no private key ({folder / KEY} is missing): it cannot sign",
                                hint="Put the CA's key.pem there, or have the CA's owner sign a CSR. "
                                     "Nothing was written.")
        report, path = self._verify(ca, now)
        chain_problems = [p for p in report["problems"] if not p.startswith(str(folder))]
        if chain_problems:
            raise CertificateError(f"CA {ca} does not verify: {chain_problems[0]}",
                                   hint="Run `smartdev certs verify " + ca + "`. Nothing was written.")
        key = load_private_key(folder / KEY, password, what=f"the key of CA {ca}")
        if public_der(key) != public_der(cert.public_key()):
            raise CertificateError(f"{folder / KEY} does not match CA {ca}'s certificate")
        return _Signer(ca, folder, cert, key, path)

    # -- building -------------------------------------------------------------------------------
    def _build(self, *, kind: str, subject: x509.Name, public_key: Any, serial: int, not_before: datetime,
               not_after: datetime, signer: _Signer | None, signing_key: PrivateKey,
               sans: Sequence[x509.GeneralName] = ()) -> x509.Certificate:
        ski = x509.SubjectKeyIdentifier.from_public_key(public_key)
        if signer is None:
            aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)
            issuer = subject
        else:
            issuer_ski = _ext(signer.cert, x509.SubjectKeyIdentifier)
            aki = (x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(issuer_ski)
                   if issuer_ski is not None else
                   x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.cert.public_key()))
            issuer = signer.cert.subject
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
                   .serial_number(serial).not_valid_before(not_before).not_valid_after(not_after)
                   .add_extension(ski, critical=False).add_extension(aki, critical=False))
        if kind in ("root", "ca"):
            builder = builder.add_extension(
                x509.BasicConstraints(ca=True, path_length=None if kind == "root" else 0), critical=True)
            builder = builder.add_extension(_key_usage(cert_sign=True), critical=True)
        else:
            builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            builder = builder.add_extension(_key_usage(encipher=is_rsa(public_key)), critical=True)
            usages = [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH] if kind == "node" \
                else [ExtendedKeyUsageOID.CLIENT_AUTH]
            builder = builder.add_extension(x509.ExtendedKeyUsage(usages), critical=False)
        if sans:
            builder = builder.add_extension(x509.SubjectAlternativeName(list(sans)), critical=False)
        return builder.sign(signing_key, signature_hash())

    def _build_crl(self, cert: x509.Certificate, key: PrivateKey, revoked: list[dict[str, Any]], number: int,
                   now: datetime, days: int) -> x509.CertificateRevocationList:
        ski = _ext(cert, x509.SubjectKeyIdentifier)
        aki = (x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski) if ski is not None
               else x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()))
        builder = (x509.CertificateRevocationListBuilder().issuer_name(cert.subject)
                   .last_update(now).next_update(now + timedelta(days=days))
                   .add_extension(aki, critical=False).add_extension(x509.CRLNumber(number), critical=False))
        for entry in revoked:
            item = (x509.RevokedCertificateBuilder().serial_number(int(entry["serial"], 16))
                    .revocation_date(datetime.fromisoformat(entry["revoked_at"].replace("Z", "+00:00"))))
            reason = entry.get("reason", "unspecified")
            if reason != "unspecified":  # RFC 5280: omit the reasonCode rather than use unspecified
                item = item.add_extension(x509.CRLReason(REASONS[reason]), critical=False)
            builder = builder.add_revoked_certificate(item.build())
        return builder.sign(key, signature_hash())

    def _publish(self, name: str, files: dict[str, tuple[bytes, int]]) -> Path:
        """Create the folder ``name`` with ``files`` (file name -> (data, mode)), all or
        nothing: written in a hidden staging folder, then renamed into place."""
        target = self.folder(name)
        if target.exists():
            raise _duplicate(name, target)
        self.root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=self.root, prefix=f".{name}.", suffix=".tmp"))
        try:
            for file_name, (data, mode) in files.items():
                atomic_write_bytes(staging / file_name, data, mode=mode, exclusive=True)
            os.chmod(staging, 0o755)
            if target.exists():
                raise _duplicate(name, target)
            os.rename(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return target

    def _ca_files(self, cert: x509.Certificate, key: PrivateKey, now: datetime) -> dict[str, tuple[bytes, int]]:
        crl = self._build_crl(cert, key, [], 1, now, DEFAULT_CRL_DAYS)
        state = {"crl_number": 1, "revoked": []}
        return {
            SERIAL: (f"{_first_serial():X}\n".encode(), 0o644),
            STATE: ((json.dumps(state, indent=2) + "\n").encode(), 0o644),
            CRL: (crl.public_bytes(serialization.Encoding.PEM), 0o644),
        }

    def _result(self, name: str, folder: Path, cert: x509.Certificate, notes: list[str]) -> dict[str, Any]:
        files = {kind: str(folder / file) for kind, file in
                 (("cert", CERT), ("key", KEY), ("chain", CHAIN), ("ca", ROOT), ("crl", CRL))
                 if (folder / file).is_file()}
        return {**describe(cert, name), "dir": str(folder), "files": files,
                "key": key_state(folder / KEY), "notes": notes}

    # -- commands -------------------------------------------------------------------------------
    def init_ca(self, name: str, *, algo: str = DEFAULT_ALGO, days: int = DEFAULT_CA_DAYS,
                org: str | None = DEFAULT_ORG, password: bytes | None = None,
                now: datetime | None = None) -> dict[str, Any]:
        """A new self-signed chain (root) CA: basic constraints CA:TRUE without a path
        length limit, key usage keyCertSign + cRLSign, an empty CRL."""
        check_name(name)
        algo = check_algo(algo)
        check_days(days)
        now = _now(now)
        if self.folder(name).exists():
            raise _duplicate(name, self.folder(name))
        key = generate_key(algo)
        cert = self._build(kind="root", subject=_subject(name, org, "chain"), public_key=key.public_key(),
                           serial=x509.random_serial_number(), not_before=now - BACKDATE,
                           not_after=now + timedelta(days=days), signer=None, signing_key=key)
        files = {CERT: (_pem(cert), 0o644), KEY: (key_pem(key, password), 0o600),
                 CHAIN: (_pem(cert), 0o644), ROOT: (_pem(cert), 0o644), **self._ca_files(cert, key, now)}
        folder = self._publish(name, files)
        return self._result(name, folder, cert, [])

    def issue(self, name: str, *, ca: str, cert_type: str | None = None, algo: str = DEFAULT_ALGO,
              days: int | None = None, sans: Sequence[str] | None = None, org: str | None = DEFAULT_ORG,
              password: bytes | None = None, ca_password: PasswordSource = None,
              now: datetime | None = None) -> dict[str, Any]:
        """A new key and a certificate for it signed by CA ``ca``. ``cert_type``: ``ca`` (an
        agency: CA:TRUE, pathlen 0), ``node`` (serverAuth + clientAuth, SAN) or ``sdk``
        (clientAuth); default ``ca`` when ``ca`` is a root, else ``node``."""
        check_name(name)
        kind = check_type(cert_type)
        algo = check_algo(algo)
        if days is not None:
            check_days(days)
        general = parse_sans(sans)
        now = _now(now)
        if self.folder(name).exists():
            raise _duplicate(name, self.folder(name))
        signer = self._signer(ca, ca_password, now)
        kind = kind or ("ca" if is_self_signed(signer.cert) else "node")
        self._check_can_issue(signer, kind)
        if kind == "ca" and general:
            raise UsageError("--san is for node and sdk certificates, not CAs")
        notes: list[str] = []
        if kind == "node" and not general:
            general = _default_sans(name, notes)
        key = generate_key(algo)
        subject = _subject(name, org, "agency" if kind == "ca" else kind)
        with self._locked(signer.folder):
            cert = self._sign(signer, kind, subject, key.public_key(), days, general, now, notes)
            files = {CERT: (_pem(cert), 0o644), KEY: (key_pem(key, password), 0o600),
                     **self._chain_files(cert, signer)}
            if kind == "ca":
                files.update(self._ca_files(cert, key, now))
            folder = self._publish(name, files)
        return self._result(name, folder, cert, notes)

    def _check_can_issue(self, signer: _Signer, kind: str) -> None:
        if kind == "ca" and path_length(signer.cert) == 0:
            raise CertificateError(f"CA {signer.name} has path length 0: it issues node and sdk "
                                   "certificates, not CAs",
                                   hint="Issue agency CAs from the chain (root) CA.")

    def _sign(self, signer: _Signer, kind: str, subject: x509.Name, public_key: Any, days: int | None,
              sans: Sequence[x509.GeneralName], now: datetime, notes: list[str]) -> x509.Certificate:
        days = days if days is not None else (DEFAULT_CA_DAYS if kind == "ca" else DEFAULT_LEAF_DAYS)
        not_after = now + timedelta(days=days)
        if not_after > signer.cert.not_valid_after_utc:
            cut = not_after - signer.cert.not_valid_after_utc
            not_after = signer.cert.not_valid_after_utc
            if cut > timedelta(days=1):  # not worth a warning: the default validities of CA and agency
                notes.append(f"valid until {iso(not_after)} only, when CA {signer.name} expires")
        serial = self._next_serial(signer.folder)
        return self._build(kind=kind, subject=subject, public_key=public_key, serial=serial,
                           not_before=now - BACKDATE, not_after=not_after, signer=signer,
                           signing_key=signer.key, sans=sans)

    def _chain_files(self, cert: x509.Certificate, signer: _Signer) -> dict[str, tuple[bytes, int]]:
        intermediates = [n.cert for n in signer.path if n.cert.issuer != n.cert.subject]
        root = signer.path[-1].cert
        return {CHAIN: (_pem(cert, *intermediates), 0o644), ROOT: (_pem(root), 0o644)}

    def create_csr(self, name: str, *, algo: str = DEFAULT_ALGO, sans: Sequence[str] | None = None,
                   org: str | None = DEFAULT_ORG, password: bytes | None = None,
                   out: Path | None = None) -> dict[str, Any]:
        """A new key and a CSR for it (subject CN=name), in the folder ``name`` as
        ``key.pem`` and ``NAME.csr``; also written to ``out`` when given."""
        check_name(name)
        algo = check_algo(algo)
        general = parse_sans(sans)
        folder = self.folder(name)
        if folder.exists():
            raise _duplicate(name, folder)
        if out is not None and out.exists():
            raise UsageError(f"{out} already exists", hint="Nothing was written. Choose another --out path.")
        key = generate_key(algo)
        builder = x509.CertificateSigningRequestBuilder().subject_name(_subject(name, org, None))
        if general:
            builder = builder.add_extension(x509.SubjectAlternativeName(general), critical=False)
        csr = builder.sign(key, signature_hash())
        data = csr.public_bytes(serialization.Encoding.PEM)
        if out is not None:
            atomic_write_bytes(out, data, exclusive=True)
        try:
            self._publish(name, {KEY: (key_pem(key, password), 0o600), f"{name}.csr": (data, 0o644)})
        except BaseException:
            if out is not None:
                out.unlink(missing_ok=True)
            raise
        return {"name": name, "type": "csr", "subject": csr.subject.rfc4514_string(), "algo": algo,
                "sans": [_san_text(g) for g in general], "dir": str(folder),
                "files": {"csr": str(folder / f"{name}.csr"), "key": str(folder / KEY),
                          **({"out": str(out)} if out is not None else {})},
                "key": "encrypted" if password else "plain"}

    def find_csr(self, csr_file: str, cwd: Path) -> Path:
        """``csr_file`` as a path (relative to ``cwd``), else ``<store>/<stem>/<stem>.csr``."""
        path = cwd / csr_file
        if path.is_file():
            return path
        stem = Path(csr_file).name
        for suffix in (".csr", ".pem"):
            stem = stem.removesuffix(suffix)
        if _NAME.fullmatch(stem) and (self.root / stem / f"{stem}.csr").is_file() and "/" not in csr_file:
            return self.root / stem / f"{stem}.csr"
        raise NotFoundError(f"CSR file {csr_file} does not exist",
                            hint=f"Make one with `smartdev certs csr NAME`; it is written to {self.root}/NAME/NAME.csr.")

    def sign(self, csr_path: Path, *, ca: str, cert_type: str | None = "node", days: int | None = None,
             name: str | None = None, sans: Sequence[str] | None = None, ca_password: PasswordSource = None,
             now: datetime | None = None) -> dict[str, Any]:
        """Check a CSR's signature and issue a certificate for its key and subject, into the
        folder ``name`` (default: the CSR file's name without ``.csr``). A folder made by
        :meth:`create_csr` gets its certificate next to its key; else a new folder is
        made (without key.pem: the key stays with whoever made the CSR)."""
        kind = check_type(cert_type) or "node"
        if days is not None:
            check_days(days)
        general = parse_sans(sans)
        now = _now(now)
        csr = _load_csr(csr_path)
        if name is None:
            name = csr_path.name
            for suffix in (".csr", ".pem", ".req"):
                name = name.removesuffix(suffix)
            if not _NAME.fullmatch(name):
                raise UsageError(f"cannot name the certificate after {csr_path.name}", hint="Pass --name NAME.")
        check_name(name)
        folder = self.folder(name)
        existing = folder.is_dir()
        if (folder / CERT).exists() or (folder.exists() and not existing):
            raise _duplicate(name, folder)
        public_key = csr.public_key()
        if existing and key_state(folder / KEY) == "plain":
            if public_der(load_private_key(folder / KEY)) != public_der(public_key):
                raise UsageError(f"the CSR's key is not {folder / KEY}",
                                 hint="Nothing was written. Pass --name to issue it under another name.")
        signer = self._signer(ca, ca_password, now)
        self._check_can_issue(signer, kind)
        if kind == "ca" and general:
            raise UsageError("--san is for node and sdk certificates, not CAs")
        notes: list[str] = []
        if not general and kind != "ca":
            requested = _ext(csr, x509.SubjectAlternativeName)
            general = list(requested) if requested is not None else []
            if not general and kind == "node":
                general = _default_sans(_cn(csr.subject) if len(csr.subject) else name, notes)
        subject = csr.subject if len(csr.subject) else _subject(name, None, None)
        with self._locked(signer.folder):
            cert = self._sign(signer, kind, subject, public_key, days, general, now, notes)
            files = {CERT: (_pem(cert), 0o644), **self._chain_files(cert, signer)}
            if kind == "ca" and existing and (folder / KEY).is_file():
                state = {"crl_number": 0, "revoked": []}
                files[SERIAL] = (f"{_first_serial():X}\n".encode(), 0o644)
                files[STATE] = ((json.dumps(state, indent=2) + "\n").encode(), 0o644)
                notes.append(f"write its first CRL with `smartdev certs crl {name}`")
            elif kind == "ca":
                notes.append(f"{name} is a CA whose key is not here: its owner keeps {KEY}, serial and CRL")
            if existing:
                _fill(folder, files)
            else:
                folder = self._publish(name, files)
        return self._result(name, folder, cert, notes)

    def revoke(self, target: str, *, ca: str, reason: str | None = None, crl_days: int = DEFAULT_CRL_DAYS,
               ca_password: PasswordSource = None, now: datetime | None = None) -> dict[str, Any]:
        """Record the revocation of ``target`` (a name or a PEM file) by CA ``ca`` and
        rewrite the CA's CRL. Errors: not issued by ``ca``, already revoked."""
        reason = check_reason(reason)
        check_days(crl_days, "--crl-days")
        now = _now(now)
        name, _folder, cert = self._resolve(target)
        label = name or _cn(cert.subject)
        ca_folder = self.root / check_name(ca)
        ca_certs = _read_certs(ca_folder / CERT) if ca_folder.is_dir() else []
        if not ca_certs:
            raise NotFoundError(f"no CA named {ca!r} in {self.root}", hint="See `smartdev certs list`.")
        ca_cert = ca_certs[0]
        if not is_ca(ca_cert):
            raise CertificateError(f"{ca} is not a CA: it cannot revoke certificates")
        if cert == ca_cert:
            raise UsageError(f"{ca} cannot revoke itself",
                             hint="A CA's certificate is revoked by the CA that issued it.")
        if not _issued_by(cert, ca_cert):
            raise CertificateError(f"{label} was not issued by {ca} (its issuer is {cert.issuer.rfc4514_string()})",
                                   hint="Pass the CA that signed it as --ca. Nothing was written.")
        serial = serial_hex(cert.serial_number)
        for entry in self._read_state(ca_folder)["revoked"]:
            if entry.get("serial") == serial:
                raise UsageError(f"{label} (serial {serial}) is already revoked by {ca} since {entry.get('revoked_at')}",
                                 hint="Nothing was written.")
        if not (ca_folder / KEY).is_file():
            raise NotFoundError(f"CA {ca} has no private key ({ca_folder / KEY} is missing): it cannot sign its CRL",
                                hint="Nothing was written.")
        key = load_private_key(ca_folder / KEY, ca_password, what=f"the key of CA {ca}")
        if public_der(key) != public_der(ca_cert.public_key()):
            raise CertificateError(f"{ca_folder / KEY} does not match CA {ca}'s certificate")
        with self._locked(ca_folder):
            state = self._read_state(ca_folder)
            if any(e.get("serial") == serial for e in state["revoked"]):
                raise UsageError(f"{label} (serial {serial}) is already revoked by {ca}")
            entry = {"serial": serial, "name": name, "subject": cert.subject.rfc4514_string(),
                     "revoked_at": iso(now), "reason": reason}
            state = {"crl_number": int(state["crl_number"]) + 1, "revoked": [*state["revoked"], entry]}
            crl = self._build_crl(ca_cert, key, state["revoked"], state["crl_number"], now, crl_days)
            # The state is the record; the CRL is derived from it (`crl` rewrites it).
            atomic_write_json(ca_folder / STATE, state)
            atomic_write_bytes(ca_folder / CRL, crl.public_bytes(serialization.Encoding.PEM))
        return {**entry, "ca": ca, "crl": _crl_info(ca, ca_folder / CRL, crl)}

    def write_crl(self, ca: str, *, days: int = DEFAULT_CRL_DAYS, ca_password: PasswordSource = None,
                  now: datetime | None = None) -> dict[str, Any]:
        """(Re)write CA ``ca``'s CRL from its revocation state, with the next CRL number and
        nextUpdate ``days`` from now."""
        check_days(days)
        now = _now(now)
        folder = self.root / check_name(ca)
        certs = _read_certs(folder / CERT) if folder.is_dir() else []
        if not certs:
            raise NotFoundError(f"no CA named {ca!r} in {self.root}", hint="See `smartdev certs list`.")
        cert = certs[0]
        if not is_ca(cert):
            raise CertificateError(f"{ca} is not a CA: it has no CRL")
        if not (folder / KEY).is_file():
            raise NotFoundError(f"CA {ca} has no private key ({folder / KEY} is missing): it cannot sign its CRL")
        key = load_private_key(folder / KEY, ca_password, what=f"the key of CA {ca}")
        if public_der(key) != public_der(cert.public_key()):
            raise CertificateError(f"{folder / KEY} does not match CA {ca}'s certificate")
        with self._locked(folder):
            state = self._read_state(folder)
            state["crl_number"] = int(state["crl_number"]) + 1
            crl = self._build_crl(cert, key, state["revoked"], state["crl_number"], now, days)
            atomic_write_json(folder / STATE, state)
            atomic_write_bytes(folder / CRL, crl.public_bytes(serialization.Encoding.PEM))
        return _crl_info(ca, folder / CRL, crl)

    def list_certs(self, *, now: datetime | None = None) -> list[dict[str, Any]]:
        """Every name in the store with its status: ``valid``, ``expiring`` (within
        EXPIRING_DAYS days), ``expired``, ``not-yet-valid``, ``revoked`` (by its issuer in
        the store), or ``csr`` (a CSR not signed yet)."""
        now = _now(now)
        cas = self._ca_nodes()
        rows = []
        for name in self.names():
            folder = self.root / name
            try:
                certs = _read_certs(folder / CERT)
            except UsageError as exc:
                rows.append({"name": name, "type": "unreadable", "status": "unreadable", "error": str(exc)})
                continue
            if not certs:
                csrs = sorted(folder.glob("*.csr"))
                if csrs:
                    try:
                        csr = _load_csr(csrs[0])
                        subject = csr.subject.rfc4514_string()
                    except UsageError:
                        subject = None
                    rows.append({"name": name, "type": "csr", "subject": subject, "issuer": None, "serial": None,
                                 "not_before": None, "not_after": None, "status": "csr", "days_left": None,
                                 "key": key_state(folder / KEY), "csr": str(csrs[0])})
                continue
            cert = certs[0]
            row = {**describe(cert, name), "key": key_state(folder / KEY)}
            left = (cert.not_valid_after_utc - now).total_seconds()
            row["days_left"] = math.ceil(left / 86400) if left > 0 else math.floor(left / 86400)
            revoked = None
            if not (cert.issuer == cert.subject):
                issuer, _problem = self._find_issuer(_Node(cert, name), cas)
                if issuer is not None:
                    revoked = self._revocation(_Node(cert, name), issuer, now, [], [])
            if revoked is not None:
                row.update(status="revoked", revoked_at=revoked["revoked_at"], reason=revoked["reason"])
            elif left <= 0:
                row["status"] = "expired"
            elif now < cert.not_valid_before_utc:
                row["status"] = "not-yet-valid"
            elif left <= EXPIRING_DAYS * 86400:
                row["status"] = "expiring"
            else:
                row["status"] = "valid"
            rows.append(row)
        return rows


# -- module helpers ---------------------------------------------------------------------------
def _key_usage(*, cert_sign: bool = False, encipher: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=not cert_sign, content_commitment=False, key_encipherment=encipher,
                         data_encipherment=False, key_agreement=False, key_cert_sign=cert_sign,
                         crl_sign=cert_sign, encipher_only=False, decipher_only=False)


def _first_serial() -> int:
    return secrets.randbits(63) | (1 << 62)


def _duplicate(name: str, folder: Path) -> UsageError:
    return UsageError(f"{name} already exists ({folder})",
                      hint="Names are never overwritten: remove the folder to reissue (revoke the old "
                           "certificate first). Nothing was written.")


def _default_sans(name: str, notes: list[str]) -> list[x509.GeneralName]:
    if _HOSTNAME.fullmatch(name) and "*" not in name:
        return [x509.DNSName(name.lower())]
    notes.append(f"no subject alternative name: {name!r} is not a DNS name (pass --san)")
    return []


def _reason_name(flag: x509.ReasonFlags) -> str:
    for name, value in REASONS.items():
        if value == flag:
            return name
    return flag.name


def _issued_by(cert: x509.Certificate, ca_cert: x509.Certificate) -> bool:
    aki = _ext(cert, x509.AuthorityKeyIdentifier)
    ski = _ext(ca_cert, x509.SubjectKeyIdentifier)
    if aki is not None and ski is not None and aki.key_identifier is not None \
            and aki.key_identifier != ski.digest:
        return False
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _load_csr(path: Path) -> x509.CertificateSigningRequest:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"CSR file {path} does not exist") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    try:
        csr = (x509.load_pem_x509_csr(data) if b"-----BEGIN" in data else x509.load_der_x509_csr(data))
    except ValueError:
        raise CertificateError(f"{path} is not a certificate signing request (PKCS#10 CSR)",
                               hint="Pass the .csr file `smartdev certs csr` or `openssl req -new` wrote.") from None
    try:
        public_key = csr.public_key()
    except Exception as exc:  # cryptography: UnsupportedAlgorithm for SM2 and other unknown keys
        raise CertificateError(f"{path}: the CSR's key type is not supported ({exc})",
                               hint="smartdev certs signs secp256k1, P-256 and RSA keys; SM2 is not supported.") from None
    key_algo(public_key)
    try:
        valid = csr.is_signature_valid
    except Exception:  # an unsupported signature algorithm
        valid = False
    if not valid:
        raise VerificationError(f"the signature of CSR {path} is invalid: the request was altered or was not "
                               "signed with its own key", hint="Nothing was written. Ask for a new CSR.")
    return csr


def _fill(folder: Path, files: dict[str, tuple[bytes, int]]) -> None:
    """Add ``files`` to an existing folder: cert.pem last and never over an existing one;
    the others removed again if it cannot be written."""
    written = []
    try:
        for file_name, (data, mode) in files.items():
            if file_name == CERT:
                continue
            atomic_write_bytes(folder / file_name, data, mode=mode)
            written.append(folder / file_name)
        data, mode = files[CERT]
        try:
            atomic_write_bytes(folder / CERT, data, mode=mode, exclusive=True)
        except FileExistsError:
            raise _duplicate(folder.name, folder) from None
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def _crl_info(ca: str, path: Path, crl: x509.CertificateRevocationList) -> dict[str, Any]:
    number = _ext(crl, x509.CRLNumber)
    return {"ca": ca, "path": str(path), "number": number.crl_number if number is not None else None,
            "this_update": iso(crl.last_update_utc), "next_update": iso(crl.next_update_utc),
            "revoked": len(list(crl))}
