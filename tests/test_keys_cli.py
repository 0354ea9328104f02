"""`smartdev keys`: the key store through the CLI — new, import, list/show, export, password,
mnemonics, Shamir shares, sign/verify, and signing transactions with a stored key."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from clitools import Result, run_cli

PASSWORD = "correct horse battery staple"
DEV_MNEMONIC = "test test test test test test test test test test test junk"
ALICE = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
ALICE_KEY = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
BOB_INDEX_1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


@pytest.fixture
def keys(tmp_path: Path):
    """Run `smartdev keys ...` against a fresh key store (fast KDF settings)."""
    project = tmp_path / "proj"
    project.mkdir()
    (project / "smartdev.toml").write_text('[keys]\nwork_factor = 16\n')
    store = tmp_path / "keystore"

    def run(*args: str, password: str | None = PASSWORD, extra: dict[str, str] | None = None) -> Result:
        env = {"SMARTDEV_KEYS_DIR": str(store), **(extra or {})}
        if password is not None:
            env["SMARTDEV_PASSWORD"] = password
        return run_cli(*args, cwd=project, env_vars=env)

    run.store = store  # type: ignore[attr-defined]
    run.project = project  # type: ignore[attr-defined]
    return run


def test_new_list_show_and_file_permissions(keys) -> None:
    made = keys("keys", "new", "ops", "--json")
    assert made.code == 0, made.output
    info = json.loads(made.stdout)
    assert info["name"] == "ops" and info["curve"] == "secp256k1" and info["address"].startswith("0x")
    store = keys.store
    assert stat.S_IMODE(store.stat().st_mode) == 0o700
    for f in ("ops.json", "ops.meta.json", "audit.log"):
        assert stat.S_IMODE((store / f).stat().st_mode) == 0o600, f
    # a standard v3 keystore: eth-account opens it with the password
    from eth_account import Account

    key = Account.decrypt(json.loads((store / "ops.json").read_text()), PASSWORD)
    assert Account.from_key(key).address == info["address"]

    listed = keys("keys", "list", "--json")
    assert [k["name"] for k in json.loads(listed.stdout)] == ["ops"]
    shown = keys("keys", "show", "ops")
    assert info["address"] in shown.stdout and "rotations  0" in shown.stdout
    assert key.hex() not in shown.output and key.hex() not in made.output  # never printed
    audit = [json.loads(line) for line in (store / "audit.log").read_text().splitlines()]
    assert audit[0]["action"] == "new" and audit[0]["address"] == info["address"]


def test_duplicate_name_is_refused_and_nothing_changes(keys) -> None:
    assert keys("keys", "new", "ops").code == 0
    before = (keys.store / "ops.json").read_bytes()
    again = keys("keys", "new", "ops")
    assert again.code == 2 and "already exists" in again.stderr and "never overwrites" in again.stderr
    (keys.project / "k.hex").write_text(ALICE_KEY)
    imported = keys("keys", "import", "ops", "--private-key-file", "k.hex")
    assert imported.code == 2 and "already exists" in imported.stderr
    assert (keys.store / "ops.json").read_bytes() == before


def test_bad_names_and_missing_keys(keys) -> None:
    bad = keys("keys", "new", "../evil")
    assert bad.code == 2 and "not a valid key name" in bad.stderr
    missing = keys("keys", "show", "nobody")
    assert missing.code == 4 and "no key named 'nobody'" in missing.stderr
    no_password = keys("keys", "new", "x", password=None)
    assert no_password.code == 2 and "no password" in no_password.stderr
    assert not (keys.store / "x.json").exists()


def test_import_sources(keys) -> None:
    project = keys.project
    (project / "k.hex").write_text("0x" + ALICE_KEY + "\n")
    assert json.loads(keys("keys", "import", "a1", "--private-key-file", "k.hex", "--json").stdout)["address"] == ALICE

    (project / "words.txt").write_text(DEV_MNEMONIC + "\n")
    m = json.loads(keys("keys", "import", "a2", "--mnemonic-file", "words.txt", "--index", "1", "--json").stdout)
    assert m["address"] == BOB_INDEX_1 and m["path"] == "m/44'/60'/0'/0/1" and m["source"] == "mnemonic"

    # a keystore written by eth-account keeps its own encryption (and opens with its password)
    from eth_account import Account

    foreign = Account.encrypt(bytes.fromhex(ALICE_KEY), "other password", kdf="pbkdf2", iterations=1000)
    (project / "foreign.json").write_text(json.dumps(foreign))
    k = keys("keys", "import", "a3", "--keystore", "foreign.json", "--json", password="other password")
    assert k.code == 0, k.output
    assert json.loads((keys.store / "a3.json").read_text()) == foreign
    wrong = keys("keys", "import", "a4", "--keystore", "foreign.json")
    assert wrong.code == 2 and "wrong password" in wrong.stderr and not (keys.store / "a4.json").exists()

    none = keys("keys", "import", "a5")
    assert none.code == 2 and "exactly one of" in none.stderr
    (project / "short.hex").write_text("abcd")
    short = keys("keys", "import", "a6", "--private-key-file", "short.hex")
    assert short.code == 2 and "32 bytes" in short.stderr
    (project / "bad.txt").write_text("test " * 11 + "test\n")
    bad = keys("keys", "import", "a7", "--mnemonic-file", "bad.txt")
    assert bad.code == 2 and not (keys.store / "a7.json").exists()


def test_wrong_password_and_corrupt_keystore(keys) -> None:
    assert keys("keys", "new", "ops").code == 0
    wrong = keys("keys", "sign", "ops", "--message", "hi", password="nope")
    assert wrong.code == 2 and "wrong password" in wrong.stderr
    path = keys.store / "ops.json"
    path.write_text(path.read_text()[:60])  # truncated
    broken = keys("keys", "sign", "ops", "--message", "hi")
    assert broken.code == 2 and "Traceback" not in broken.output
    assert "ops" in broken.stderr


def test_export_needs_confirmation_and_never_overwrites(keys) -> None:
    assert keys("keys", "new", "ops").code == 0
    refused = keys("keys", "export", "ops", "--format", "pem")
    assert refused.code == 2 and "--yes" in refused.stderr and not (keys.project / "ops.pem").exists()
    pem = keys("keys", "export", "ops", "--format", "pem", "--yes")
    assert pem.code == 0, pem.output
    assert stat.S_IMODE((keys.project / "ops.pem").stat().st_mode) == 0o600
    assert b"ENCRYPTED" in (keys.project / "ops.pem").read_bytes()
    again = keys("keys", "export", "ops", "--format", "pem", "--yes")
    assert again.code == 2 and "already exists" in again.stderr
    # the PEM imports back to the same address
    back = keys("keys", "import", "ops2", "--pem", "ops.pem", "--json")
    assert back.code == 0, back.output
    assert json.loads(back.stdout)["address"] == json.loads(keys("keys", "show", "ops", "--json").stdout)["address"]
    ks = keys("keys", "export", "ops", "--format", "keystore", "--out", "copy.json", "--yes")
    assert ks.code == 0 and json.loads((keys.project / "copy.json").read_text()) == json.loads(
        (keys.store / "ops.json").read_text())
    p12 = keys("keys", "export", "ops", "--format", "pkcs12", "--yes")
    assert p12.code == 0 and (keys.project / "ops.p12").stat().st_size > 0
    unknown = keys("keys", "export", "ops", "--format", "der", "--yes")
    assert unknown.code == 2 and "unknown export format" in unknown.stderr
    actions = [json.loads(line)["action"] for line in (keys.store / "audit.log").read_text().splitlines()]
    assert actions.count("export") == 3


def test_password_change_keeps_the_key(keys) -> None:
    info = json.loads(keys("keys", "new", "ops", "--json").stdout)
    changed = keys("keys", "password", "ops", extra={"SMARTDEV_NEW_PASSWORD": "new secret"})
    assert changed.code == 0, changed.output
    assert keys("keys", "sign", "ops", "--message", "x").code == 2  # old password no longer opens it
    signed = keys("keys", "sign", "ops", "--message", "x", "--json", password="new secret")
    assert json.loads(signed.stdout)["address"] == info["address"]
    same = keys("keys", "password", "ops", password="new secret", extra={"SMARTDEV_NEW_PASSWORD": "new secret"})
    assert same.code == 2 and "same as the current" in same.stderr


def test_mnemonic_new_and_derive(keys) -> None:
    made = keys("keys", "mnemonic", "new", "--words", "24", "--out", "m.txt")
    assert made.code == 0, made.output
    words = (keys.project / "m.txt").read_text().split()
    assert len(words) == 24 and stat.S_IMODE((keys.project / "m.txt").stat().st_mode) == 0o600
    assert keys("keys", "mnemonic", "new", "--out", "m.txt").code == 2  # never overwritten
    (keys.project / "dev.txt").write_text(DEV_MNEMONIC)
    derived = json.loads(keys("keys", "derive", "--mnemonic-file", "dev.txt", "--count", "2", "--json").stdout)
    assert derived == [{"path": "m/44'/60'/0'/0/0", "address": ALICE},
                       {"path": "m/44'/60'/0'/0/1", "address": BOB_INDEX_1}]
    bad = keys("keys", "mnemonic", "new", "--words", "13")
    assert bad.code == 2


def test_split_and_combine(keys) -> None:
    info = json.loads(keys("keys", "new", "vault", "--json").stdout)
    split = keys("keys", "split", "vault", "--shares", "5", "--threshold", "3", "--out", "shares")
    assert split.code == 0, split.output
    shares = keys.project / "shares"
    assert sorted(p.name for p in shares.iterdir()) == ["1", "2", "3", "4", "5"]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in shares.iterdir())
    restored = keys("keys", "combine", "shares/1", "shares/3", "shares/5", "--name", "vault-restored", "--json")
    assert restored.code == 0, restored.output
    assert json.loads(restored.stdout)["address"] == info["address"]
    too_few = keys("keys", "combine", "shares/2", "shares/4", "--name", "nope")
    assert too_few.code == 2 and not (keys.store / "nope.json").exists()
    assert keys("keys", "split", "vault", "--shares", "5", "--threshold", "3", "--out", "shares").code == 2
    # shares of another key do not mix
    keys("keys", "new", "other")
    assert keys("keys", "split", "other", "--shares", "3", "--threshold", "2", "--out", "other").code == 0
    mixed = keys("keys", "combine", "shares/1", "other/1", "shares/2", "--name", "mixed")
    assert mixed.code == 2 and "different keys" in mixed.stderr
    (keys.project / "junk").write_text("{}")
    junk = keys("keys", "combine", "junk", "shares/1", "--name", "j")
    assert junk.code == 2 and "not a share file" in junk.stderr


def test_sign_and_verify(keys, tmp_path: Path) -> None:
    info = json.loads(keys("keys", "new", "signer", "--json").stdout)
    sig = keys("keys", "sign", "signer", "--message", "hello smartdev").stdout.strip()
    from eth_account import Account
    from eth_account.messages import encode_defunct

    assert Account.recover_message(encode_defunct(text="hello smartdev"), signature=sig) == info["address"]
    ok = keys("keys", "verify", "--address", info["address"], "--message", "hello smartdev", "--signature", sig)
    assert ok.code == 0 and "valid signature" in ok.stderr
    bad = keys("keys", "verify", "--address", info["address"], "--message", "hello smartdeV", "--signature", sig)
    assert bad.code == 10 and "NOT valid" in bad.stderr
    by_name = keys("keys", "verify", "--address", "signer", "--message", "hello smartdev", "--signature", sig)
    assert by_name.code == 0

    typed = {
        "types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "chainId", "type": "uint256"}],
                  "Mail": [{"name": "to", "type": "address"}, {"name": "body", "type": "string"}]},
        "primaryType": "Mail", "domain": {"name": "smartdev", "chainId": 1},
        "message": {"to": ALICE, "body": "hi"},
    }
    (keys.project / "mail.json").write_text(json.dumps(typed))
    tsig = keys("keys", "sign", "signer", "--typed-data", "mail.json").stdout.strip()
    from eth_account.messages import encode_typed_data

    assert Account.recover_message(encode_typed_data(full_message=typed), signature=tsig) == info["address"]
    assert keys("keys", "verify", "--address", "signer", "--typed-data", "mail.json", "--signature", tsig).code == 0
    (keys.project / "notyped.json").write_text('{"a": 1}')
    assert keys("keys", "sign", "signer", "--typed-data", "notyped.json").code == 2


def test_sm2_key_signs_and_verifies(keys) -> None:
    made = keys("keys", "new", "guomi", "--curve", "sm2", "--json")
    assert made.code == 0, made.output
    assert json.loads(made.stdout)["curve"] == "sm2"
    signed = json.loads(keys("keys", "sign", "guomi", "--message", "hello fisco", "--json").stdout)
    assert signed["kind"] == "sm2" and len(bytes.fromhex(signed["signature"][2:])) == 64
    ok = keys("keys", "verify", "--address", "guomi", "--message", "hello fisco",
              "--signature", signed["signature"], "--public-key", signed["public_key"])
    assert ok.code == 0, ok.output
    bad = keys("keys", "verify", "--address", "guomi", "--message", "hello fiscO",
               "--signature", signed["signature"], "--public-key", signed["public_key"])
    assert bad.code == 10


def test_stored_key_signs_transactions(keys, token_build: Path) -> None:
    """`--from NAME` finds keys of the key store (here: alice's dev key, so it has ether)."""
    import shutil

    shutil.copytree(token_build, keys.project / "build")
    (keys.project / "k.hex").write_text(ALICE_KEY)
    assert keys("keys", "import", "treasury", "--private-key-file", "k.hex").code == 0
    deployed = keys("deploy", "Token", "1000", "--from", "treasury", "--network", "embedded")
    assert deployed.code == 0, deployed.output
    assert "treasury" in deployed.stdout
    wrong = keys("deploy", "Token", "1000", "--from", "treasury", "--network", "embedded", password="nope")
    assert wrong.code == 2 and "wrong password" in wrong.stderr
