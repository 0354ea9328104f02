#!/usr/bin/env bash
# The end-to-end demo behind `make demo`: every shipped capability, on the embedded chain.
# Expects `smartdev` and `python` from the project's venv first on PATH (the Makefile does that).
set -euo pipefail
cd "$(dirname "$0")/token"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
expect_fail() {  # run a command that must fail, show its one-line error and exit code
  set +e; "$@"; local code=$?; set -e
  if [ "$code" -eq 0 ]; then echo "expected a failure from: $*" >&2; exit 1; fi
  echo "(exit code $code, as expected)"
}

step "smartdev $(smartdev --version | cut -d' ' -f2): commands and plugins"
smartdev --help
smartdev plugins

step "compile: one command, incremental (solc-js from npm, no native solc needed)"
rm -rf build .smartdev
smartdev compilers list
smartdev compile
smartdev compile                          # nothing changed: a no-op
ls build/contracts build/bindings

step "the tested contract library, importable as @smartdev/..."
smartdev lib list --category business
smartdev lib show RecoverableAccount --json | python -c 'import json,sys; d=json.load(sys.stdin); print(d["name"], "-", d["summary"]); print("functions:", ", ".join(f["name"] for c in d["api"] for f in c["functions"] if f.get("visibility") in ("external","public")))'

step "deploy on the in-process embedded chain (gone when the command exits)"
smartdev deploy Token 1000 --network embedded

PORT=$(python -c 'from smartdev.localnode import free_port; print(free_port())')
step "start a local py-evm node in the background on port $PORT"
smartdev chain start --port "$PORT"
trap 'smartdev chain stop >/dev/null 2>&1 || true' EXIT
smartdev chain status
smartdev networks

step "deploy, call, send on --network local (the project's default network)"
smartdev deploy Token 1000000 --from alice
smartdev call Token.totalSupply
smartdev call Token.balanceOf alice
smartdev send Token.transfer bob 250 --from alice
smartdev call Token.balanceOf bob --json

step "the same contract from Python, through the typed binding smartdev compile generated"
python scripts/use_binding.py

step "library contracts as they are (contracts/Library.sol only imports them): multi-party evidence"
DOC=0x$(python -c 'import hashlib; print(hashlib.sha256(b"supply contract v1").hexdigest())')
smartdev deploy Evidence alice --from alice
smartdev send Evidence.submit "$DOC" "ipfs://supply-contract-v1" '["bob","carol","dave"]' 2 --from alice
smartdev send Evidence.sign "$DOC" --from bob
smartdev send Evidence.sign "$DOC" --from carol          # 2 of 3: the record becomes final
smartdev call Evidence.isFinal "$DOC"
expect_fail smartdev send Evidence.sign "$DOC" --from dave   # too late: already final

step "a red packet: 1 ether in 3 random shares, claimed, then withdrawn (pull payment)"
EXPIRY=$(python -c 'import time; print(int(time.time()) + 86400)')
smartdev deploy RedPacket --from alice
smartdev send RedPacket.create 3 true "$EXPIRY" 0x0000000000000000000000000000000000000000000000000000000000000000 '[]' --value 1ether --from alice
smartdev send RedPacket.claim 1 0x --from bob
smartdev send RedPacket.claim 1 0x --from carol
expect_fail smartdev send RedPacket.claim 1 0x --from bob   # one claim per address
smartdev call RedPacket.withdrawable bob
smartdev send RedPacket.withdraw --from bob

step "vendor a library contract with its dependencies (never overwrites changed files)"
VENDOR=$(mktemp -d)
smartdev lib add RecoverableAccount --to "$VENDOR"
find "$VENDOR" -name '*.sol' | sort
rm -rf "$VENDOR"

step "keys: an encrypted key store (Web3 Secret Storage v3), Shamir shares, signatures"
KEYS=$(mktemp -d)
export SMARTDEV_KEYS_DIR="$KEYS" SMARTDEV_PASSWORD=demo-only-password   # a throwaway store for the demo
smartdev keys new ops
smartdev keys new guomi --curve sm2                                     # FISCO BCOS SM2 key, SM3 address
smartdev keys split ops --shares 5 --threshold 3 --out "$KEYS/shares"
smartdev keys combine "$KEYS/shares/1" "$KEYS/shares/3" "$KEYS/shares/5" --name ops-restored
smartdev keys list
SIG=$(smartdev keys sign ops --message "release v1.0")
smartdev keys verify --address ops --message "release v1.0" --signature "$SIG"
expect_fail smartdev keys verify --address ops --message "release v1.1" --signature "$SIG"

step "key rotation: the account id stays on chain, the key behind it changes (journaled, resumable)"
python -c 'print("8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba")' > "$KEYS/dev-key.hex"  # frank's well-known dev key
smartdev keys import treasury --private-key-file "$KEYS/dev-key.hex"
for g in g1 g2 g3; do smartdev keys new "$g"; done
smartdev keys registry deploy --from alice
ID=$(smartdev keys register treasury --guardians g1,g2,g3 --threshold 2 --json | python -c 'import json,sys; print(json.load(sys.stdin)["account_id"])')
smartdev keys rotate treasury
smartdev keys show treasury

step "a lost key: two of three guardians approve a new one, off chain; anyone submits"
smartdev keys new treasury-new
smartdev keys approve-recovery g1 --account-id "$ID" --new-key treasury-new --out "$KEYS/a1.json"
smartdev keys approve-recovery g2 --account-id "$ID" --new-key treasury-new --out "$KEYS/a2.json"
smartdev keys recover treasury --new-key treasury-new --approval "$KEYS/a1.json" --approval "$KEYS/a2.json" --from alice
smartdev keys show treasury

step "rotation without a registry: what [keys.rotate.NAME] lists (here its tokens), then its ether, move to the new key"
python -c 'print("92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e")' > "$KEYS/dev-key.hex"  # grace's dev key
smartdev keys import payroll --private-key-file "$KEYS/dev-key.hex"
smartdev send Token.transfer payroll 100 --from alice
export SMARTDEV_KEYS__ROTATE__PAYROLL__CALLS='[{ call = "Token.transfer", args = ["{new}", "{balance}"] }]'  # usually in smartdev.toml
smartdev keys rotate payroll --sweep
smartdev call Token.balanceOf payroll                                    # the new address holds the 100
unset SMARTDEV_KEYS__ROTATE__PAYROLL__CALLS SMARTDEV_KEYS_DIR SMARTDEV_PASSWORD
rm -rf "$KEYS"

step "certificates: chain CA -> agency -> node and SDK (FISCO BCOS layout), checked by openssl, revoked by CRL"
CERTS=$(mktemp -d)
export SMARTDEV_CERTS__DIR="$CERTS"
smartdev certs init-ca --name chain-ca
smartdev certs issue agency --ca chain-ca
smartdev certs issue node0 --ca agency --type node --san 127.0.0.1,node0.local
smartdev certs issue sdk0 --ca agency --type sdk
smartdev certs verify node0
if command -v openssl >/dev/null; then
  openssl verify -x509_strict -CAfile "$CERTS/node0/ca.pem" -untrusted "$CERTS/node0/chain.pem" "$CERTS/node0/cert.pem"
fi
smartdev certs revoke sdk0 --ca agency --reason key-compromise
expect_fail smartdev certs verify sdk0
smartdev certs list
unset SMARTDEV_CERTS__DIR
rm -rf "$CERTS"

step "new projects from templates, each tested with smartdev test (pytest; a chain snapshot per test)"
NEWP=$(mktemp -d)
smartdev new --list-templates
smartdev new shop --template token --no-input --set token_symbol=SHP --set init_git=no --output-dir "$NEWP"
(cd "$NEWP/shop" && smartdev compile && smartdev test -q)
expect_fail smartdev new my-shop --no-input --output-dir "$NEWP"          # not a package name: a suggestion

step "a dApp: compile generates its typed client and REST service; they answer real HTTP"
smartdev new notes --template dapp --no-input --set init_git=no --output-dir "$NEWP"
(
  cd "$NEWP/notes"
  smartdev compile                                  # [gen] auto = true: client + service regenerated
  smartdev test -q
  smartdev gen                                      # nothing changed: nothing written
  NODE="http://127.0.0.1:$PORT"                     # the demo's local node
  python scripts/deploy.py "$NODE"
  API_PORT=$(python -c 'from smartdev.localnode import free_port; print(free_port())')
  SMARTDEV_GEN__NETWORK="$NODE" python -m uvicorn --factory notes.service:create_app --port "$API_PORT" --log-level warning &
  API=$!
  trap 'kill $API 2>/dev/null || true' EXIT
  python - "$API_PORT" <<'PY'
import hashlib, sys, time
import httpx
base = f"http://127.0.0.1:{sys.argv[1]}"
for _ in range(100):  # wait for uvicorn
    try:
        httpx.get(base + "/health"); break
    except httpx.TransportError:
        time.sleep(0.1)
digest = "0x" + hashlib.sha256(b"supply contract v1").hexdigest()
tx = httpx.post(base + "/Notary/notarize", json={"digest": digest, "note": "supply contract v1"}).json()
print("POST /Notary/notarize ->", tx["status"], tx["events"][0]["event"], "in block", tx["block"])
print("GET  /Notary/proofOf  ->", httpx.get(base + "/Notary/proofOf", params={"digest": digest}).json())
again = httpx.post(base + "/Notary/notarize", json={"digest": digest, "note": "again"})
print("POST again            ->", again.status_code, again.json()["reason"])
PY
  kill $API
)
rm -rf "$NEWP"

step "export the chain to SQLite: blocks, transactions, receipts, logs, decoded events and calls, verified"
EXPORT=$(mktemp -d)
smartdev export --network local --to "sqlite:///$EXPORT/chain.db" --verify
smartdev export --network local --to "sqlite:///$EXPORT/chain.db"        # exactly once: nothing new to write
smartdev export status --to "sqlite:///$EXPORT/chain.db"
python - "$EXPORT/chain.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print("Token transfers:", db.execute("select count(*) from event_token_transfer").fetchone()[0],
      "| RedPacket claims:", db.execute("select count(*) from call_red_packet_claim").fetchone()[0])
db.execute("update logs set data = data || '00' where rowid = (select max(rowid) from logs)")
db.commit()  # tamper with one stored log
PY
expect_fail smartdev export verify --to "sqlite:///$EXPORT/chain.db"      # the receipts root no longer matches
rm -rf "$EXPORT"

step "errors are one clear line with a distinct exit code"
expect_fail smartdev send Token.transfer carol 1000 --from bob         # custom error, decoded
expect_fail smartdev send Token.transfer 0x0000000000000000000000000000000000000000 1 --from alice  # require reason
expect_fail smartdev call Token.balanceOf nobody                        # not an address or account
expect_fail smartdev deploy Tokn 1                                       # missing artifact, with suggestion
expect_fail smartdev call Token.balanceOf alice --network http://127.0.0.1:1  # unreachable RPC

step "the node's state survives stop and start"
smartdev chain stop
smartdev chain start --port "$PORT"
smartdev call Token.balanceOf bob
smartdev chain stop
trap - EXIT
printf '\n\033[1mdemo finished\033[0m\n'
