"""`smartdev certs init-ca|issue|csr|sign|verify|revoke|crl|list`: X.509 certificates in
FISCO BCOS's chain CA → agency → node/SDK layout. The work is in smartdev.certs.ca;
cryptography is imported only when a command runs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Callable, Optional

import typer

from smartdev.context import current

if TYPE_CHECKING:  # pragma: no cover
    from smartdev.certs.ca import CertStore
    from smartdev.context import Environment

app = typer.Typer(
    name="certs",
    help="X.509 certificates: CA, agency, node and SDK certs, CSR, CRL.",
    add_completion=False,
    no_args_is_help=True,
)

PASSWORD_ENV = "SMARTDEV_CERTS_PASSWORD"
ALGOS = "ec-secp256k1, ec-p256 or rsa-2048 (sm2 is not supported)"

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
AlgoOption = Annotated[str, typer.Option("--algo", help=f"Key algorithm: {ALGOS}.")]
OrgOption = Annotated[str, typer.Option("--org", help="Organization (O) of the subject.")]
SanOption = Annotated[Optional[list[str]], typer.Option(
    "--san", help="Subject alternative names: IP addresses and DNS names, comma-separated "
    "(default for node certs: DNS:NAME).", show_default=False)]
EncryptOption = Annotated[bool, typer.Option(
    "--encrypt", help=f"Encrypt the new private key: password from --password-file, ${PASSWORD_ENV}, "
    "or a prompt on a terminal.")]
PasswordFileOption = Annotated[Optional[Path], typer.Option(
    "--password-file", help="Encrypt the new private key with the password in this file (first line).",
    dir_okay=False, show_default=False)]
CaPasswordFileOption = Annotated[Optional[Path], typer.Option(
    "--ca-password-file", help=f"Password of an encrypted CA key (else ${PASSWORD_ENV}, or a prompt on a "
    "terminal).", dir_okay=False, show_default=False)]
CaOption = Annotated[str, typer.Option("--ca", help="The issuing CA's name.", show_default=False)]


# -- helpers --------------------------------------------------------------------------------
def _store(env: Environment) -> CertStore:
    """The certificates folder: [certs] dir of smartdev.toml (default "certs") under the
    project root; the current directory's certs/ without a project config."""
    from smartdev.certs.ca import CertsConfig, CertStore

    config = env.config
    return CertStore((config.root / config.section("certs", CertsConfig).dir).resolve())


def _shown(env: Environment, path: Any) -> str:
    try:
        return Path(path).relative_to(env.cwd.resolve()).as_posix()
    except ValueError:
        try:
            return Path(path).relative_to(env.cwd).as_posix()
        except ValueError:
            return str(path)


def _read_password_file(env: Environment, path: Path) -> bytes:
    from smartdev.errors import NotFoundError, UsageError

    full = env.cwd / path.expanduser()
    try:
        text = full.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(f"password file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the password file {path}: {exc}") from None
    lines = text.splitlines()
    password = lines[0] if lines else ""
    if not password:
        raise UsageError(f"the password file {path} is empty")
    return password.encode("utf-8")


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _new_key_password(env: Environment, encrypt: bool, password_file: Optional[Path]) -> bytes | None:
    """The password for a new key: None (unencrypted, the default) unless --encrypt or
    --password-file; --encrypt takes SMARTDEV_CERTS_PASSWORD, else prompts on a terminal."""
    from smartdev.errors import UsageError

    if password_file is not None:
        return _read_password_file(env, password_file)
    if not encrypt:
        return None
    if env.environ.get(PASSWORD_ENV):
        return env.environ[PASSWORD_ENV].encode("utf-8")
    if _stdin_is_terminal():
        import getpass

        first = getpass.getpass("Password for the new private key: ")
        if not first:
            raise UsageError("empty password", hint="Nothing was written.")
        if getpass.getpass("Repeat the password: ") != first:
            raise UsageError("the passwords differ", hint="Nothing was written.")
        return first.encode("utf-8")
    raise UsageError("--encrypt needs a password",
                     hint=f"Pass --password-file FILE or set {PASSWORD_ENV}; smartdev prompts only on a terminal.")


def _ca_password(env: Environment, password_file: Optional[Path], ca: str) -> Callable[[], bytes | None]:
    """The password of an encrypted CA key, asked for only when the key is encrypted."""

    def ask() -> bytes | None:
        if password_file is not None:
            return _read_password_file(env, password_file)
        if env.environ.get(PASSWORD_ENV):
            return env.environ[PASSWORD_ENV].encode("utf-8")
        if _stdin_is_terminal():
            import getpass

            return getpass.getpass(f"Password for the key of CA {ca}: ").encode("utf-8") or None
        return None

    return ask


def _target(env: Environment, target: str) -> str:
    """A name stays a name; a path to a file is made absolute against the working directory."""
    if ("/" in target or target.endswith((".pem", ".crt", ".cer"))) and (env.cwd / target).is_file():
        return str(env.cwd / target)
    return target


def _report_written(env: Environment, result: dict[str, Any], what: str) -> None:
    env.output.success(f"{what} {result['name']}: {result['subject']}, serial {result['serial']}, "
                       f"valid until {result['not_after']}")
    for note in result.get("notes", []):
        env.output.warn(note)
    rows = [(kind, _shown(env, path)) for kind, path in result["files"].items()]
    env.output.fields(rows)


# -- commands ---------------------------------------------------------------------------------
@app.command("init-ca")
def init_ca(
    name: Annotated[str, typer.Option("--name", help="The CA's name (its folder and CN).", show_default=False)],
    algo: AlgoOption = "ec-secp256k1",
    days: Annotated[int, typer.Option("--days", help="Validity in days.")] = 3650,
    org: OrgOption = "smartdev",
    encrypt: EncryptOption = False,
    password_file: PasswordFileOption = None,
    json_out: JsonOption = False,
) -> None:
    """Create the chain (root) CA: a self-signed certificate, its key and an empty CRL."""
    env = current()
    store = _store(env)
    password = _new_key_password(env, encrypt, password_file)
    result = store.init_ca(name, algo=algo, days=days, org=org, password=password)
    if json_out:
        env.output.json(result)
        return
    _report_written(env, result, "created chain CA")


@app.command()
def issue(
    name: Annotated[str, typer.Argument(help="The new certificate's name (its folder and CN).")],
    ca: CaOption,
    cert_type: Annotated[Optional[str], typer.Option(
        "--type", help="ca (an agency: intermediate CA, path length 0), node or sdk. "
        "Default: ca when --ca is the root CA, node otherwise.", show_default=False)] = None,
    algo: AlgoOption = "ec-secp256k1",
    days: Annotated[Optional[int], typer.Option(
        "--days", help="Validity in days (default 3650 for a CA, 365 for node and sdk).", show_default=False)] = None,
    san: SanOption = None,
    org: OrgOption = "smartdev",
    encrypt: EncryptOption = False,
    password_file: PasswordFileOption = None,
    ca_password_file: CaPasswordFileOption = None,
    json_out: JsonOption = False,
) -> None:
    """Make a key and a certificate signed by a CA: an agency CA, a node or an SDK cert."""
    env = current()
    store = _store(env)
    password = _new_key_password(env, encrypt, password_file)
    result = store.issue(name, ca=ca, cert_type=cert_type, algo=algo, days=days, sans=san, org=org,
                         password=password, ca_password=_ca_password(env, ca_password_file, ca))
    if json_out:
        env.output.json(result)
        return
    _report_written(env, result, f"issued {result['type']} certificate")


@app.command()
def csr(
    name: Annotated[str, typer.Argument(help="The name (its folder and the CSR's CN).")],
    algo: AlgoOption = "ec-secp256k1",
    san: SanOption = None,
    org: OrgOption = "smartdev",
    out: Annotated[Optional[Path], typer.Option(
        "--out", help="Also write the CSR to this file (never overwritten).", dir_okay=False,
        show_default=False)] = None,
    encrypt: EncryptOption = False,
    password_file: PasswordFileOption = None,
    json_out: JsonOption = False,
) -> None:
    """Make a key and a certificate signing request (NAME/NAME.csr) to send to a CA."""
    env = current()
    store = _store(env)
    password = _new_key_password(env, encrypt, password_file)
    result = store.create_csr(name, algo=algo, sans=san, org=org, password=password,
                              out=env.cwd / out if out is not None else None)
    if json_out:
        env.output.json(result)
        return
    env.output.success(f"made CSR {name}: {result['subject']} ({result['algo']})")
    env.output.fields([(kind, _shown(env, path)) for kind, path in result["files"].items()])
    env.output.info(f"sign it with: smartdev certs sign {name}.csr --ca CA")


@app.command()
def sign(
    csr_file: Annotated[str, typer.Argument(
        metavar="FILE.csr", help="The CSR: a path, or NAME.csr for the one `certs csr NAME` made.")],
    ca: CaOption,
    cert_type: Annotated[str, typer.Option("--type", help="node, sdk or ca (an agency CA).")] = "node",
    days: Annotated[Optional[int], typer.Option(
        "--days", help="Validity in days (default 365; 3650 for a CA).", show_default=False)] = None,
    name: Annotated[Optional[str], typer.Option(
        "--name", help="The certificate's name (default: the file name without .csr).", show_default=False)] = None,
    san: SanOption = None,
    ca_password_file: CaPasswordFileOption = None,
    json_out: JsonOption = False,
) -> None:
    """Check a CSR's signature and issue a certificate for it, signed by a CA."""
    env = current()
    store = _store(env)
    path = store.find_csr(csr_file, env.cwd)
    result = store.sign(path, ca=ca, cert_type=cert_type, days=days, name=name, sans=san,
                        ca_password=_ca_password(env, ca_password_file, ca))
    if json_out:
        env.output.json(result)
        return
    _report_written(env, result, f"signed {result['type']} certificate")


@app.command()
def verify(
    name: Annotated[str, typer.Argument(help="A certificate name, or a PEM certificate file.")],
    json_out: JsonOption = False,
) -> None:
    """Check a certificate up to its root: signatures, dates, CA constraints, revocation."""
    from smartdev.errors import VerificationError

    env = current()
    store = _store(env)
    report = store.verify(_target(env, name))
    if json_out:
        env.output.json(report)
    else:
        env.output.plain("chain: " + " -> ".join(c["name"] or c["subject"] for c in report["chain"]))
        for problem in report["problems"]:
            env.output.plain(f"  problem: {problem}")
    for warning in report["warnings"]:
        env.output.warn(warning)
    if not report["ok"]:
        count = len(report["problems"])
        more = f" (and {count - 1} more problem(s))" if count > 1 else ""
        raise VerificationError(f"{report['name']} does not verify: {report['problems'][0]}{more}")
    if not json_out:
        env.output.success(f"{report['name']}: OK")


@app.command()
def revoke(
    name: Annotated[str, typer.Argument(help="A certificate name, or a PEM certificate file.")],
    ca: CaOption,
    reason: Annotated[str, typer.Option(
        "--reason", help="unspecified, key-compromise, ca-compromise, affiliation-changed, superseded, "
        "cessation-of-operation or privilege-withdrawn.")] = "unspecified",
    crl_days: Annotated[int, typer.Option("--crl-days", help="Days until the new CRL's nextUpdate.")] = 30,
    ca_password_file: CaPasswordFileOption = None,
    json_out: JsonOption = False,
) -> None:
    """Revoke a certificate issued by a CA and rewrite the CA's CRL."""
    env = current()
    store = _store(env)
    result = store.revoke(_target(env, name), ca=ca, reason=reason, crl_days=crl_days,
                          ca_password=_ca_password(env, ca_password_file, ca))
    if json_out:
        env.output.json(result)
        return
    label = result["name"] or result["subject"]
    env.output.success(f"revoked {label} (serial {result['serial']}, {result['reason']}) by {ca}")
    env.output.plain(_shown(env, result["crl"]["path"]))
    env.output.info(f"CRL #{result['crl']['number']}: {result['crl']['revoked']} revoked, "
                    f"next update {result['crl']['next_update']}")


@app.command()
def crl(
    ca: Annotated[str, typer.Argument(help="The CA's name.")],
    days: Annotated[int, typer.Option("--days", help="Days until nextUpdate.")] = 30,
    ca_password_file: CaPasswordFileOption = None,
    json_out: JsonOption = False,
) -> None:
    """(Re)write a CA's CRL and print its path."""
    env = current()
    store = _store(env)
    result = store.write_crl(ca, days=days, ca_password=_ca_password(env, ca_password_file, ca))
    if json_out:
        env.output.json(result)
        return
    env.output.plain(_shown(env, result["path"]))
    env.output.info(f"CRL #{result['number']} of {ca}: {result['revoked']} revoked, "
                    f"next update {result['next_update']}")


def _status_text(row: dict[str, Any]) -> str:
    status = row["status"]
    if status == "expiring":
        return f"EXPIRING in {row['days_left']} day(s)"
    if status == "expired":
        return f"EXPIRED {row['not_after']}"
    if status == "revoked":
        return f"REVOKED {row['revoked_at']} ({row['reason']})"
    if status == "csr":
        return "CSR, not signed yet"
    return status


@app.command("list")
def list_(json_out: JsonOption = False) -> None:
    """List the certificates: subject, issuer, expiry, status (expiring in 30 days, expired, revoked)."""
    env = current()
    store = _store(env)
    rows = store.list_certs()
    if json_out:
        env.output.json(rows)
        return
    if not rows:
        env.output.info(f"no certificates in {_shown(env, store.root)}; start with "
                        "`smartdev certs init-ca --name chain-ca`")
        return
    env.output.table(
        ["name", "type", "subject", "issuer", "expires", "status"],
        [[r["name"], r["type"], r.get("subject"), r.get("issuer"),
          (r.get("not_after") or "")[:10], _status_text(r)] for r in rows],
    )
