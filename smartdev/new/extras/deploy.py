"""Deploy one of the project's contracts and record its address for the network.

    smartdev compile && python scripts/deploy.py NAME [ARGS...] [--network NETWORK]

Arguments are converted by the constructor's ABI types, as `smartdev deploy` does;
later commands find the contract by name: `smartdev call NAME.someView --network NETWORK`.
"""

import argparse
from pathlib import Path

from smartdev.accounts import resolve_signer
from smartdev.context import Environment
from smartdev.contracts.ops import deploy
from smartdev.network import connect

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("name")
parser.add_argument("args", nargs="*")
parser.add_argument("--network", default=None)
parser.add_argument("--sender", default=None, help="dev account name, [accounts.X] entry or stored key")
options = parser.parse_args()

env = Environment(cwd=Path(__file__).resolve().parents[1])
with connect(env, options.network) as conn:
    signer = resolve_signer(env, conn.network, options.sender)
    artifact, result = deploy(env, conn, options.name, options.args, signer=signer)
    print(f"{artifact.name} deployed at {result.contract_address} on {conn.network.name} (tx {result.tx_hash})")
