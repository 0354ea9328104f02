"""Drive the deployed Token from Python through the typed binding `smartdev compile` wrote.

    python scripts/use_binding.py      (after `smartdev compile`, `smartdev deploy Token …`)
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "build"))

from bindings.Token import Token  # noqa: E402  (generated: build/bindings/Token.py)

from smartdev.accounts import dev_signers  # noqa: E402
from smartdev.context import Environment  # noqa: E402
from smartdev.network import connect  # noqa: E402

env = Environment(cwd=Path(__file__).resolve().parents[1])
carol = dev_signers()[2]
with connect(env) as conn:  # the project's default network: local
    token = Token.deployed(conn, env=env)
    print(f"{token.name()} ({token.symbol()}) at {token.address}, supply {token.total_supply()}")
    receipt = token.transfer(carol.address, 3, signer="alice")
    print(f"alice -> carol 3 in block {receipt.block}: {receipt.events[0]['event']} {receipt.events[0]['args']}")
    print(f"carol now holds {token.balance_of(carol.address)}")
