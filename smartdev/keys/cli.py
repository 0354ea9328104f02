"""`smartdev keys`: named, encrypted keys; mnemonics, Shamir shares, signatures, rotation."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from smartdev.context import current

app = typer.Typer(
    name="keys",
    help="Key management: new, import, export, mnemonics, Shamir shares, sign/verify, rotate.",
    add_completion=False,
    no_args_is_help=True,
)
mnemonic_app = typer.Typer(help="BIP39 mnemonics.", add_completion=False, no_args_is_help=True)
app.add_typer(mnemonic_app, name="mnemonic")

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
PasswordFile = Annotated[Optional[Path], typer.Option(
    "--password-file", help="Read the password from this file (else SMARTDEV_PASSWORD, else a prompt).",
    show_default=False)]
Curve = Annotated[str, typer.Option("--curve", help="secp256k1 (Ethereum) or sm2 (FISCO BCOS guomi).")]


def _store():
    from smartdev.keys.store import KeyStore

    return KeyStore.for_env(current())


def _unlock(env, store, name: str, password_file: Optional[Path]):
    """Key ``name`` decrypted with the password from --password-file, SMARTDEV_PASSWORD or a prompt."""
    from smartdev.keys.store import read_password

    return store.unlock(name, read_password(env, f"the key '{name}'", password_file=password_file))


def _confirm(env, question: str, yes: bool) -> None:
    from smartdev.errors import UsageError

    if yes:
        return
    if sys.stdin is None or not sys.stdin.isatty():
        raise UsageError(f"{question} Refusing without confirmation", hint="Pass --yes to confirm.")
    if not typer.confirm(question, default=False):
        raise UsageError("cancelled; nothing was written")


def _show(env, info, json_out: bool) -> None:
    if json_out:
        env.output.json(info.public())
        return
    rows = [("name", info.name), ("address", info.address), ("curve", info.curve),
            ("created", info.created), ("source", info.source)]
    if info.path:
        rows.append(("path", info.path))
    rows.append(("rotations", str(len(info.rotations))))
    for rotation in info.rotations:
        txs = rotation.get("txs") or ([rotation["tx"]] if rotation.get("tx") else [])
        rows.append(("", f"{rotation.get('time', '?')}  {rotation.get('old')} -> {rotation.get('new')}"
                         + (f"  tx {txs[0]}" if len(txs) == 1 else f"  {len(txs)} txs" if txs else "")))
    rows.append(("file", str(info.file)))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        env.output.stdout.write(f"{key:<{width}}  {value}\n")


# -- create, import, list ---------------------------------------------------------------
@app.command("new")
def new(
    name: Annotated[str, typer.Argument(help="Name of the key in the key store.")],
    curve: Curve = "secp256k1",
    password_file: PasswordFile = None,
    json_out: JsonOption = False,
) -> None:
    """Create a key and store it encrypted (Web3 Secret Storage v3)."""
    from smartdev.keys import curves
    from smartdev.keys.store import check_name, read_password
    from smartdev.errors import UsageError

    env = current()
    store = _store()
    check_name(name)
    if store.exists(name):
        raise UsageError(f"a key named '{name}' already exists in {store.root}",
                         hint="Pick another name; smartdev never overwrites a key.")
    pair = curves.generate(curve)
    password = read_password(env, f"the new key '{name}'", password_file=password_file, confirm=True)
    info = store.add(name, pair, password, source="new")
    if json_out:
        env.output.json(info.public())
    else:
        env.output.success(f"created key '{name}' {info.address} ({info.curve}) in {info.file}")


@app.command("import")
def import_(
    name: Annotated[str, typer.Argument(help="Name for the imported key.")],
    private_key_file: Annotated[Optional[Path], typer.Option("--private-key-file", help="File with the private key in hex.", show_default=False)] = None,
    keystore_file: Annotated[Optional[Path], typer.Option("--keystore", help="A v3 keystore file (kept with its own encryption).", show_default=False)] = None,
    mnemonic: Annotated[Optional[str], typer.Option("--mnemonic", help="A BIP39 phrase (visible to other local users in the process list: prefer --mnemonic-file).", show_default=False)] = None,
    mnemonic_file: Annotated[Optional[Path], typer.Option("--mnemonic-file", help="File holding a BIP39 phrase.", show_default=False)] = None,
    pem_file: Annotated[Optional[Path], typer.Option("--pem", help="A PKCS#8 PEM private key (as `keys export --format pem` writes).", show_default=False)] = None,
    path: Annotated[Optional[str], typer.Option("--path", help="Derivation path for a mnemonic (default m/44'/60'/0'/0/INDEX).", show_default=False)] = None,
    index: Annotated[int, typer.Option("--index", min=0, help="Account index for a mnemonic.")] = 0,
    curve: Curve = "secp256k1",
    password_file: PasswordFile = None,
    json_out: JsonOption = False,
) -> None:
    """Import a key from a private-key file, a keystore, a mnemonic or a PEM file."""
    from smartdev.errors import UsageError
    from smartdev.keys import curves
    from smartdev.keys.store import check_name, read_password

    env = current()
    store = _store()
    check_name(name)
    sources = [s for s in (private_key_file, keystore_file, mnemonic, mnemonic_file, pem_file) if s is not None]
    if len(sources) != 1:
        raise UsageError("say where the key comes from, once",
                         hint="Pass exactly one of --private-key-file, --keystore, --mnemonic, --mnemonic-file, --pem.")
    if store.exists(name):
        raise UsageError(f"a key named '{name}' already exists in {store.root}",
                         hint="Pick another name; smartdev never overwrites a key.")
    kept: dict[str, Any] | None = None
    derivation = None
    if keystore_file is not None:
        from smartdev.keys import keystore

        kept = keystore.load(env.cwd / keystore_file)
        password = read_password(env, f"the keystore {keystore_file}", password_file=password_file)
        pair = keystore.decrypt(kept, password)
        source = "keystore"
    else:
        if private_key_file is not None:
            pair = curves.from_private_key(curve, _read_hex_key(private_key_file))
            source = "private-key"
        elif pem_file is not None:
            from smartdev.keys import export

            pem_password = None
            data = _read_file(pem_file)
            if b"ENCRYPTED" in data:
                pem_password = read_password(env, f"the PEM file {pem_file}", password_file=password_file)
            pair = export.from_pem(data, pem_password)
            source = "pem"
        else:
            from smartdev.keys import mnemonic as bip39

            phrase = mnemonic if mnemonic is not None else _read_file(mnemonic_file).decode("utf-8").strip()
            if curve != "secp256k1":
                raise UsageError("mnemonic derivation (BIP32/BIP44) is defined for secp256k1 keys only")
            derivation, pair = bip39.derive(phrase, path=path, index=index, count=1)[0]
            source = "mnemonic"
        password = read_password(env, f"the key '{name}'", password_file=password_file, confirm=True)
    info = store.add(name, pair, password, source=source, path=derivation, keystore_json=kept)
    if json_out:
        env.output.json(info.public())
    else:
        env.output.success(f"imported key '{name}' {info.address} ({info.curve}) from {source}")


@app.command("list")
def list_(json_out: JsonOption = False) -> None:
    """List stored keys: name, address, curve, created, rotations."""
    env = current()
    store = _store()
    infos = [store.info(n) for n in store.names()]
    if json_out:
        env.output.json([i.public() for i in infos])
        return
    if not infos:
        env.output.info(f"no keys in {store.root}; create one with `smartdev keys new NAME`")
        return
    env.output.table(["name", "address", "curve", "created", "rotations"],
                     [[i.name, i.address, i.curve, i.created, str(len(i.rotations))] for i in infos])


@app.command("show")
def show(name: Annotated[str, typer.Argument(help="Key name.")], json_out: JsonOption = False) -> None:
    """Show one key: address, curve, origin, rotations (never the key itself)."""
    env = current()
    _show(env, _store().info(name), json_out)


# -- export, password ---------------------------------------------------------------------
@app.command("export")
def export_(
    name: Annotated[str, typer.Argument(help="Key name.")],
    fmt: Annotated[str, typer.Option("--format", help="keystore, pem or pkcs12.")] = "keystore",
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output file (default NAME.json/.pem/.p12 here).", show_default=False)] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    password_file: PasswordFile = None,
) -> None:
    """Write the key out as a keystore, an encrypted PEM or a PKCS#12 file (explicit, with confirmation)."""
    from smartdev.errors import UsageError
    from smartdev.files import atomic_write_bytes
    from smartdev.keys.store import read_password

    env = current()
    store = _store()
    if fmt not in ("keystore", "pem", "pkcs12"):
        raise UsageError(f"unknown export format '{fmt}'", hint="Use --format keystore, pem or pkcs12.")
    info = store.info(name)
    suffix = {"keystore": ".json", "pem": ".pem", "pkcs12": ".p12"}[fmt]
    target = (env.cwd / (out or Path(name + suffix))).resolve()
    if target.exists():
        raise UsageError(f"{target} already exists", hint="Choose another --out; smartdev never overwrites key files.")
    _confirm(env, f"Export key '{name}' ({info.address}) to {target}?", yes)
    if fmt == "keystore":
        data = (json.dumps(store.load_keystore(name), indent=2) + "\n").encode()
    else:
        from smartdev.keys import export

        password = read_password(env, f"the key '{name}'", password_file=password_file)
        pair = store.unlock(name, password)
        # The export is protected by the same password as the stored key.
        data = export.to_pem(pair, password) if fmt == "pem" else export.to_pkcs12(pair, password, name)
    try:
        atomic_write_bytes(target, data, mode=0o600, exclusive=True)
    except FileExistsError:
        raise UsageError(f"{target} already exists", hint="Choose another --out.") from None
    store.audit("export", name, address=info.address, format=fmt, file=str(target))
    env.output.success(f"exported key '{name}' as {fmt} to {target} (mode 0600, encrypted with the key's password)")


@app.command("password")
def password(
    name: Annotated[str, typer.Argument(help="Key name.")],
    password_file: PasswordFile = None,
    new_password_file: Annotated[Optional[Path], typer.Option("--new-password-file", help="Read the new password from this file (else SMARTDEV_NEW_PASSWORD, else a prompt).", show_default=False)] = None,
) -> None:
    """Re-encrypt a key with a new password (same key, same address)."""
    from smartdev.errors import UsageError
    from smartdev.keys.store import read_password

    env = current()
    store = _store()
    old = read_password(env, f"the key '{name}' (current)", password_file=password_file)
    pair = store.unlock(name, old)
    if new_password_file is None and env.environ.get("SMARTDEV_NEW_PASSWORD") is not None:
        new = env.environ["SMARTDEV_NEW_PASSWORD"]
    else:
        from smartdev.context import Environment

        # The new password must not come from SMARTDEV_PASSWORD (that is the old one).
        shadow = Environment(cwd=env.cwd, environ={k: v for k, v in env.environ.items() if k != "SMARTDEV_PASSWORD"},
                             output=env.output, debug=env.debug, config_file=env.config_file)
        new = read_password(shadow, f"the key '{name}' (new)", password_file=new_password_file, confirm=True)
    if new == old:
        raise UsageError("the new password is the same as the current one; nothing was changed")
    store.rewrap(name, pair, new)
    env.output.success(f"key '{name}' re-encrypted with the new password")


# -- mnemonics ------------------------------------------------------------------------------
@mnemonic_app.command("new")
def mnemonic_new(
    words: Annotated[int, typer.Option("--words", help="12, 15, 18, 21 or 24 words.")] = 12,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the phrase to this file (0600) instead of printing it.", show_default=False)] = None,
) -> None:
    """Generate a BIP39 mnemonic phrase."""
    from smartdev.errors import UsageError
    from smartdev.files import atomic_write_text
    from smartdev.keys import mnemonic as bip39

    env = current()
    phrase = bip39.new_mnemonic(words)
    if out is None:
        env.output.stdout.write(phrase + "\n")
        return
    target = env.cwd / out
    try:
        atomic_write_text(target, phrase + "\n", mode=0o600, exclusive=True)
    except FileExistsError:
        raise UsageError(f"{target} already exists", hint="Choose another --out.") from None
    env.output.success(f"wrote a {words}-word mnemonic to {target} (mode 0600)")


@app.command("derive")
def derive(
    mnemonic_file: Annotated[Path, typer.Option("--mnemonic-file", help="File holding a BIP39 phrase.")],
    count: Annotated[int, typer.Option("--count", min=1, max=1000, help="How many accounts.")] = 5,
    start: Annotated[int, typer.Option("--start", min=0, help="First account index.")] = 0,
    path: Annotated[Optional[str], typer.Option("--path", help="Path template with {index} (default m/44'/60'/0'/0/{index}).", show_default=False)] = None,
    json_out: JsonOption = False,
) -> None:
    """Show the addresses a mnemonic derives (BIP32/BIP44); no key is printed or stored."""
    from smartdev.keys import mnemonic as bip39

    env = current()
    phrase = _read_file(mnemonic_file).decode("utf-8").strip()
    rows = [(p, pair.address) for p, pair in bip39.derive(phrase, path=path, index=start, count=count)]
    if json_out:
        env.output.json([{"path": p, "address": a} for p, a in rows])
    else:
        env.output.table(["path", "address"], [list(r) for r in rows])


# -- Shamir shares --------------------------------------------------------------------------
@app.command("split")
def split(
    name: Annotated[str, typer.Argument(help="Key name.")],
    shares: Annotated[int, typer.Option("--shares", min=1, max=16, help="Number of shares.")],
    threshold: Annotated[int, typer.Option("--threshold", min=1, max=16, help="Shares needed to restore.")],
    out: Annotated[Path, typer.Option("--out", help="Directory for the share files (created; must not hold shares).")],
    password_file: PasswordFile = None,
) -> None:
    """Split a key into SLIP-39 Shamir shares: any THRESHOLD of SHARES files restore it."""
    from smartdev.errors import UsageError
    from smartdev.files import atomic_write_json
    from smartdev.keys import shamir
    from smartdev.keys.store import now_iso

    env = current()
    store = _store()
    info = store.info(name)
    pair = _unlock(env, store, name, password_file)
    mnemonics = shamir.split(pair.private_key, shares=shares, threshold=threshold)
    target = env.cwd / out
    existing = [target / str(i) for i in range(1, shares + 1) if (target / str(i)).exists()]
    if existing:
        raise UsageError(f"{existing[0]} already exists", hint="Use an empty --out directory; shares are never overwritten.")
    target.mkdir(parents=True, exist_ok=True)
    for i, words in enumerate(mnemonics, start=1):
        atomic_write_json(target / str(i), {
            "format": "smartdev-key-share/1", "name": name, "address": info.address, "curve": info.curve,
            "share": i, "shares": shares, "threshold": threshold, "created": now_iso(), "slip39": words,
        }, mode=0o600, exclusive=True)
    store.audit("split", name, address=info.address, shares=shares, threshold=threshold, out=str(target))
    env.output.success(f"split key '{name}' into {shares} shares (any {threshold} restore it) in {target}/1..{shares}")


@app.command("combine")
def combine(
    files: Annotated[list[Path], typer.Argument(help="Share files written by `keys split`.")],
    name: Annotated[str, typer.Option("--name", help="Name for the restored key.")],
    password_file: PasswordFile = None,
    json_out: JsonOption = False,
) -> None:
    """Restore a key from THRESHOLD Shamir share files into the key store."""
    from smartdev.errors import UsageError
    from smartdev.keys import curves, shamir
    from smartdev.keys.store import check_name, read_password

    env = current()
    store = _store()
    check_name(name)
    if store.exists(name):
        raise UsageError(f"a key named '{name}' already exists in {store.root}", hint="Pick another --name.")
    docs = []
    for f in files:
        try:
            doc = json.loads(_read_file(f))
        except ValueError:
            raise UsageError(f"{f} is not a share file written by `smartdev keys split`") from None
        if not isinstance(doc, dict) or doc.get("format") != "smartdev-key-share/1" or "slip39" not in doc:
            raise UsageError(f"{f} is not a share file written by `smartdev keys split`")
        docs.append(doc)
    addresses = {d.get("address") for d in docs}
    if len(addresses) > 1:
        raise UsageError("the share files belong to different keys: " + ", ".join(sorted(map(str, addresses))))
    secret = shamir.combine([d["slip39"] for d in docs])
    pair = curves.from_private_key(docs[0].get("curve", "secp256k1"), secret)
    if pair.address != docs[0].get("address"):
        raise UsageError(f"the shares restore {pair.address}, not the {docs[0].get('address')} they name",
                         hint="The share files were edited or mixed up; nothing was written.")
    password = read_password(env, f"the restored key '{name}'", password_file=password_file, confirm=True)
    info = store.add(name, pair, password, source="shares")
    if json_out:
        env.output.json(info.public())
    else:
        env.output.success(f"restored key '{name}' {info.address} from {len(files)} shares")


# -- signatures -----------------------------------------------------------------------------
def _message(message: Optional[str], message_file: Optional[Path], hex_: bool) -> bytes:
    from smartdev.errors import UsageError

    if (message is None) == (message_file is None):
        raise UsageError("say what to sign", hint="Pass exactly one of --message or --message-file.")
    data = message.encode("utf-8") if message is not None else _read_file(message_file)
    if hex_:
        try:
            return bytes.fromhex(data.decode().strip().removeprefix("0x"))
        except ValueError:
            raise UsageError("--hex was given but the message is not hex") from None
    return data


def _typed_data(path: Path) -> dict[str, Any]:
    from smartdev.errors import UsageError

    try:
        data = json.loads(_read_file(path))
    except ValueError as exc:
        raise UsageError(f"{path} is not JSON: {exc}") from None
    if not isinstance(data, dict) or not {"types", "primaryType", "domain", "message"} <= set(data):
        raise UsageError(f"{path} is not EIP-712 typed data",
                         hint="It needs the keys types, primaryType, domain and message.")
    return data


@app.command("sign")
def sign(
    name: Annotated[str, typer.Argument(help="Key name.")],
    message: Annotated[Optional[str], typer.Option("--message", "-m", help="Text to sign (EIP-191 personal message; SM2 for sm2 keys).", show_default=False)] = None,
    message_file: Annotated[Optional[Path], typer.Option("--message-file", help="Sign this file's bytes.", show_default=False)] = None,
    hex_: Annotated[bool, typer.Option("--hex", help="The message is hex-encoded bytes.")] = False,
    typed_data: Annotated[Optional[Path], typer.Option("--typed-data", help="EIP-712 typed-data JSON file (secp256k1).", show_default=False)] = None,
    password_file: PasswordFile = None,
    json_out: JsonOption = False,
) -> None:
    """Sign a message or EIP-712 typed data with a stored key."""
    from smartdev.keys import curves

    env = current()
    store = _store()
    info = store.info(name)
    if typed_data is not None:
        doc = _typed_data(typed_data)
        pair = _unlock(env, store, name, password_file)
        signature = curves.sign_typed_data(pair, doc)
        kind = "eip712"
    else:
        data = _message(message, message_file, hex_)
        pair = _unlock(env, store, name, password_file)
        signature = curves.sign_message(pair, data)
        kind = "eip191" if pair.curve == "secp256k1" else "sm2"
    result = {"address": info.address, "curve": pair.curve, "kind": kind, "signature": "0x" + signature.hex()}
    if pair.curve == "sm2":
        result["public_key"] = "0x" + pair.public_key.hex()  # SM2 signatures cannot be recovered: verifiers need it
    if json_out:
        env.output.json(result)
    else:
        env.output.stdout.write(result["signature"] + "\n")


@app.command("verify")
def verify(
    signer: Annotated[str, typer.Option("--address", help="Expected signer: an address or a stored key name.")],
    signature: Annotated[str, typer.Option("--signature", help="0x-prefixed signature.")],
    message: Annotated[Optional[str], typer.Option("--message", "-m", show_default=False)] = None,
    message_file: Annotated[Optional[Path], typer.Option("--message-file", show_default=False)] = None,
    hex_: Annotated[bool, typer.Option("--hex", help="The message is hex-encoded bytes.")] = False,
    typed_data: Annotated[Optional[Path], typer.Option("--typed-data", show_default=False)] = None,
    curve: Curve = "secp256k1",
    public_key: Annotated[Optional[str], typer.Option("--public-key", help="The signer's public key (needed for sm2).", show_default=False)] = None,
    json_out: JsonOption = False,
) -> None:
    """Check a signature; exits 10 when it is not valid for the signer."""
    from smartdev.errors import UsageError, VerificationError
    from smartdev.keys import curves

    env = current()
    address = signer
    if not signer.startswith("0x"):
        info = _store().info(signer)
        address, curve = info.address, info.curve
    try:
        sig = bytes.fromhex(signature.removeprefix("0x"))
        pub = bytes.fromhex(public_key.removeprefix("0x")) if public_key else None
    except ValueError:
        raise UsageError("--signature and --public-key must be hex") from None
    if typed_data is not None:
        ok = curves.verify_typed_data(address, _typed_data(typed_data), sig)
    else:
        ok = curves.verify_message(curve, address, _message(message, message_file, hex_), sig, public_key=pub)
    if json_out:
        env.output.json({"address": address, "valid": ok})
    if not ok:
        raise VerificationError(f"the signature is NOT valid for {address}")
    if not json_out:
        env.output.success(f"valid signature by {address}")


# -- helpers --------------------------------------------------------------------------------
def _read_file(path: Optional[Path]) -> bytes:
    from smartdev.errors import NotFoundError, UsageError

    assert path is not None
    full = current().cwd / path
    try:
        return full.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"{full} does not exist") from None
    except OSError as exc:
        raise UsageError(f"cannot read {full}: {exc.strerror}") from None


def _read_hex_key(path: Path) -> bytes:
    from smartdev.errors import UsageError
    from smartdev.keys.curves import private_key_from_hex

    try:
        return private_key_from_hex(_read_file(path).decode("utf-8", "replace"))
    except UsageError as exc:
        raise UsageError(f"{path}: {exc.message}", hint=exc.hint) from None


# -- on chain: the recoverable account registry -------------------------------------------
NetworkOption = Annotated[Optional[str], typer.Option("--network", "-n", help="Network name or RPC URL (default: default_network).", show_default=False)]
RegistryOption = Annotated[Optional[str], typer.Option("--account-registry", help="RecoverableAccount address or deployment name (default: [keys] registry, else this network's RecoverableAccount deployment).", show_default=False)]
registry_app = typer.Typer(help="The on-chain recoverable account registry (RecoverableAccount).",
                           add_completion=False, no_args_is_help=True)
app.add_typer(registry_app, name="registry")


@registry_app.command("deploy")
def registry_deploy(
    network: NetworkOption = None,
    sender: Annotated[Optional[str], typer.Option("--from", "-f", help="Deployer: dev account, stored key, \\[accounts.NAME] or keystore file.", show_default=False)] = None,
) -> None:
    """Deploy the library's RecoverableAccount registry and record it for this network."""
    from smartdev.accounts import resolve_signer
    from smartdev.contracts.artifacts import Artifact
    from smartdev.contracts.ops import deploy_artifact
    from smartdev.keys.rotate import registry_artifact
    from smartdev.network import connect

    env = current()
    art = registry_artifact()
    artifact = Artifact(name=art["contractName"], source_name=art["sourceName"], abi=art["abi"],
                        bytecode=art["bytecode"], deployed_bytecode="", path=Path("RecoverableAccount.json"))
    with connect(env, network) as conn:
        signer = resolve_signer(env, conn.network, sender)
        result = deploy_artifact(env, conn, artifact, [], signer=signer)
    env.output.success(f"RecoverableAccount registry deployed at {result.contract_address} "
                       f"on {conn.network.name} (tx {result.tx_hash})")


@app.command("register")
def register(
    name: Annotated[str, typer.Argument(help="Key to bind to a new account id.")],
    guardians: Annotated[str, typer.Option("--guardians", help="Comma-separated guardian addresses or key/account names.")],
    threshold: Annotated[Optional[int], typer.Option("--threshold", min=1, help="Guardian approvals needed for recovery (default: a majority).", show_default=False)] = None,
    network: NetworkOption = None,
    registry: RegistryOption = None,
    password_file: PasswordFile = None,
    json_out: JsonOption = False,
) -> None:
    """Bind a stored key to a new account id in the registry, with its recovery guardians."""
    from smartdev.contracts.ops import deployments_for, resolver
    from smartdev.errors import UsageError
    from smartdev.keys import rotate as rot
    from smartdev.network import connect

    env = current()
    store = _store()
    store.info(name)
    pair = _unlock(env, store, name, password_file)
    with connect(env, network) as conn:
        lookup = resolver(env, conn, deployments_for(env, conn))
        addresses = []
        for item in [g.strip() for g in guardians.split(",") if g.strip()]:
            address = item if item.startswith("0x") else lookup(item)
            if address is None:
                raise UsageError(f"guardian '{item}' is neither an address nor a known account or key name")
            addresses.append(address)
        needed = threshold if threshold is not None else len(addresses) // 2 + 1
        reg = rot.find_registry(env, conn, registry)
        receipt = rot.transact(conn, rot.signer_of(pair, name), reg, "register", addresses, needed)
        account_id = reg.account_of(pair.address)
    store.audit("register", name, address=pair.address, registry=reg.address, account_id=account_id,
                guardians=addresses, threshold=needed, tx="0x" + bytes(receipt["transactionHash"]).hex())
    if json_out:
        env.output.json({"name": name, "address": pair.address, "account_id": account_id,
                         "registry": reg.address, "guardians": addresses, "threshold": needed})
    else:
        env.output.success(f"key '{name}' ({pair.address}) bound to account {account_id} in {reg.address}; "
                           f"recovery needs {needed} of {len(addresses)} guardians")


@app.command("rotate")
def rotate(
    name: Annotated[str, typer.Argument(help="Key to rotate.")],
    network: NetworkOption = None,
    registry: RegistryOption = None,
    sweep: Annotated[Optional[bool], typer.Option("--sweep/--no-sweep", help="Send the old address's remaining ether to the new key (default: sweep in [keys.rotate.NAME]).", show_default=False)] = None,
    abort: Annotated[bool, typer.Option("--abort", help="Roll back a rotation none of whose steps is on chain.")] = False,
    password_file: PasswordFile = None,
    json_out: JsonOption = False,
) -> None:
    """Replace a key with a new one: move its registry account, the roles and assets configured in
    [keys.rotate.NAME] and (--sweep) its ether to the new key. Journaled; re-run to resume."""
    from smartdev.keys import rotate as rot
    from smartdev.keys.store import read_password

    env = current()
    store = _store()
    if abort:
        archived = rot.abort(env, store, name, network=network)
        env.output.success(f"rotation of '{name}' aborted; the key is unchanged"
                           + (f"; the unused new key is archived at {archived}" if archived else ""))
        return
    password = read_password(env, f"the key '{name}'", password_file=password_file)
    result = rot.rotate(env, store, name, network=network, password=password, registry=registry, sweep=sweep,
                        progress=env.output.info)
    if json_out:
        env.output.json(result.__dict__)
        return
    for warning in result.warnings:
        env.output.warn(warning)
    for change in result.repointed:
        env.output.info(f"re-pointed {change} to {result.new_address}")
    taken = [s for s in result.steps if s["state"] == "confirmed"]
    where = f"account {result.account_id}, " if result.account_id is not None else ""
    env.output.success(f"rotated '{name}': {result.old_address} -> {result.new_address} ({where}"
                       f"{len(taken)} transaction(s) on chain); old keystore archived at {result.archived}")


@app.command("approve-recovery")
def approve_recovery(
    guardian: Annotated[str, typer.Argument(help="The guardian's stored key.")],
    account_id: Annotated[int, typer.Option("--account-id", min=1, help="The account to recover.")],
    new_key: Annotated[str, typer.Option("--new-key", help="The new key's address (or stored key name).")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the approval to this file (default: print it).", show_default=False)] = None,
    network: NetworkOption = None,
    registry: RegistryOption = None,
    password_file: PasswordFile = None,
) -> None:
    """As a guardian, sign an approval for moving an account to a new key (off chain)."""
    from smartdev.files import atomic_write_json
    from smartdev.errors import UsageError
    from smartdev.keys import curves
    from smartdev.keys import rotate as rot
    from smartdev.network import connect

    env = current()
    store = _store()
    target = new_key if new_key.startswith("0x") else store.info(new_key).address
    pair = _unlock(env, store, guardian, password_file)
    with connect(env, network) as conn:
        reg = rot.find_registry(env, conn, registry)
        if not reg.call("isGuardian", account_id, pair.address):
            raise UsageError(f"{pair.address} (key '{guardian}') is not a guardian of account {account_id}")
        digest = bytes(reg.call("recoveryMessageHash", account_id, target))
        chain_id = conn.chain_id
    signature = curves.sign_message(pair, digest)
    approval = {"format": "smartdev-recovery-approval/1", "registry": reg.address, "chain_id": chain_id,
                "account_id": account_id, "new_key": target, "guardian": pair.address,
                "signature": "0x" + signature.hex()}
    store.audit("approve-recovery", guardian, account_id=account_id, new_key=target, registry=reg.address)
    if out is None:
        env.output.json(approval)
        return
    try:
        atomic_write_json(env.cwd / out, approval, mode=0o600, exclusive=True)
    except FileExistsError:
        raise UsageError(f"{env.cwd / out} already exists", hint="Choose another --out.") from None
    env.output.success(f"approval by {pair.address} for account {account_id} -> {target} written to {env.cwd / out}")


@app.command("recover")
def recover(
    name: Annotated[str, typer.Argument(help="Name the recovered account's key will have in the store.")],
    new_key: Annotated[str, typer.Option("--new-key", help="Stored key that becomes the account's key.")],
    approvals: Annotated[list[Path], typer.Option("--approval", help="Approval files from `keys approve-recovery` (repeat).")],
    account_id: Annotated[Optional[int], typer.Option("--account-id", min=1, help="Account id (default: from the approvals).", show_default=False)] = None,
    sender: Annotated[Optional[str], typer.Option("--from", "-f", help="Who pays for the transaction (default: the new key).", show_default=False)] = None,
    network: NetworkOption = None,
    registry: RegistryOption = None,
    password_file: PasswordFile = None,
    json_out: JsonOption = False,
) -> None:
    """Complete a guardian recovery: submit the approvals; the new key is then stored as NAME."""
    from smartdev.accounts import Signer, resolve_signer
    from smartdev.errors import UsageError
    from smartdev.keys import rotate as rot
    from smartdev.keys.store import now_iso
    from smartdev.network import connect

    env = current()
    store = _store()
    new_info = store.info(new_key)
    docs = []
    for f in approvals:
        try:
            doc = json.loads(_read_file(f))
        except ValueError:
            raise UsageError(f"{f} is not an approval written by `smartdev keys approve-recovery`") from None
        if not isinstance(doc, dict) or doc.get("format") != "smartdev-recovery-approval/1":
            raise UsageError(f"{f} is not an approval written by `smartdev keys approve-recovery`")
        docs.append(doc)
    ids = {d["account_id"] for d in docs} | ({account_id} if account_id else set())
    targets = {d["new_key"].lower() for d in docs}
    if len(ids) != 1 or targets != {new_info.address.lower()}:
        raise UsageError("the approvals are for different accounts or keys than asked",
                         hint=f"Every approval must name account {account_id or '?'} and new key {new_info.address}.")
    the_id = ids.pop()
    with connect(env, network) as conn:
        reg = rot.find_registry(env, conn, registry)
        if any(d["registry"].lower() != reg.address.lower() or d["chain_id"] != conn.chain_id for d in docs):
            raise UsageError("an approval was made for another registry or chain")
        old_address = reg.key_of(the_id)
        if sender is None:
            payer: Signer = rot.signer_of(_unlock(env, store, new_key, password_file), new_key)
        else:
            payer = resolve_signer(env, conn.network, sender)
        threshold = int(reg.call("thresholdOf", the_id))
        pending_key, _ = reg.call("pendingRecovery", the_id)
        if pending_key == new_info.address:  # approvals already on chain for this key are not sent again
            docs = [d for d in docs if not reg.call("hasApproved", the_id, d["guardian"])]
        if not docs:
            raise UsageError(f"every approval given is already recorded for account {the_id}; "
                             f"{int(reg.call('pendingRecovery', the_id)[1])} of {threshold} so far",
                             hint="Add approvals from other guardians (--approval FILE).")
        signatures = [bytes.fromhex(d["signature"].removeprefix("0x")) for d in docs]
        receipt = rot.transact(conn, payer, reg, "approveRecoveryBySig", the_id, new_info.address, signatures)
        bound = reg.key_of(the_id)
        approvals_now = int(reg.call("pendingRecovery", the_id)[1])
    if bound != new_info.address:
        raise UsageError(f"recovery of account {the_id} is not complete: {approvals_now} of {threshold} guardian "
                         f"approvals are recorded on chain", hint="Run it again with approvals from more guardians.")
    tx = "0x" + bytes(receipt["transactionHash"]).hex()
    event = {"time": now_iso(), "kind": "recovery", "old": old_address, "new": new_info.address, "tx": tx,
             "network": conn.network.name, "chain_id": conn.chain_id, "registry": reg.address, "account_id": the_id}
    archived = store.adopt(name, new_key, reason="recovered", event=event)
    store.audit("recover", name, account_id=the_id, old=old_address, new=new_info.address, tx=tx,
                registry=reg.address, guardians=[d["guardian"] for d in docs], from_key=new_key, archived=archived)
    result = {"name": name, "account_id": the_id, "old": old_address, "new": new_info.address, "tx": tx,
              "archived": archived}
    if json_out:
        env.output.json(result)
    else:
        env.output.success(f"account {the_id} recovered: {old_address} -> {new_info.address}, now key '{name}' "
                           f"(tx {tx})" + (f"; the lost key's keystore is archived at {archived}" if archived else ""))
