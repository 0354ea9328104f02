"""Fixtures for the contract library tests.

Harness contracts under ``tests/library/harness/`` import the library as
``@smartdev/<category>/<File>.sol``; the whole harness folder is compiled once per
session with ``smartdev compile`` (the real compiler plugin), and tests run on the
embedded py-evm chain through ``smartdev.network.connect``, each test inside an
``evm_snapshot``/``evm_revert`` pair so tests don't see each other's state.
"""

from __future__ import annotations

import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest

from clitools import run_cli

HARNESS = Path(__file__).resolve().parent / "harness"


@pytest.fixture(scope="session")
def lib_build(tmp_path_factory) -> Path:
    """The harness project, compiled; returns its build/contracts folder."""
    root = tmp_path_factory.mktemp("libharness")
    (root / "smartdev.toml").write_text("")
    # SMARTDEV_LIB_HARNESS=tokens,crypto compiles only those harness folders (faster
    # runs while working on one category; the full suite compiles everything).
    only = [c.strip() for c in os.environ.get("SMARTDEV_LIB_HARNESS", "").split(",") if c.strip()]
    if only:
        for category in only:
            shutil.copytree(HARNESS / category, root / "contracts" / category)
    else:
        shutil.copytree(HARNESS, root / "contracts")
    result = run_cli("compile", cwd=root)
    assert result.code == 0, result.output
    return root / "build" / "contracts"


# Transactions go out with this gas limit instead of an estimate: one execution per
# transaction instead of two (py-evm is slow); the receipt's status is still checked,
# and `reverts` still goes through estimation, which decodes the revert.
GAS = 15_000_000


class Lib:
    """Deploy harness or library contracts and assert on reverts and events."""

    def __init__(self, w3: Any, artifacts: Path) -> None:
        self.w3 = w3
        self.artifacts = artifacts
        self.accounts = list(w3.eth.accounts)

    # -- time: the embedded chain moves time only by mining a block at a timestamp --------
    def now(self) -> int:
        """The latest block's timestamp (what view calls see as block.timestamp)."""
        return self.w3.eth.get_block("latest")["timestamp"]

    def mine(self, t: int | None = None) -> None:
        """Mine one block (at timestamp ``t`` if given): view calls then see ``t``."""
        self.w3.provider.make_request("evm_mine", [t] if t is not None else [])

    def at(self, t: int) -> None:
        """Make the next transaction run in a block with timestamp ``t``."""
        self.mine(t - 1)

    def artifact(self, name: str) -> dict[str, Any]:
        matches = list(self.artifacts.rglob(f"{name}.json"))
        assert len(matches) == 1, f"{name}: {matches}"
        return json.loads(matches[0].read_text())

    def deploy(self, name: str, *args: Any, sender: int = 0, value: int = 0):
        art = self.artifact(name)
        factory = self.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
        tx_hash = factory.constructor(*args).transact({"from": self.accounts[sender], "value": value, "gas": GAS})
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash)
        self._check(receipt, lambda: factory.constructor(*args).estimate_gas(
            {"from": self.accounts[sender], "value": value}))
        return self.w3.eth.contract(address=receipt["contractAddress"], abi=art["abi"])

    def send(self, fn: Any, sender: int = 0, value: int = 0):
        """Transact a bound contract function; returns the receipt (status checked)."""
        tx_hash = fn.transact({"from": self.accounts[sender], "value": value, "gas": GAS})
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash)
        self._check(receipt, lambda: fn.estimate_gas({"from": self.accounts[sender], "value": value}))
        return receipt

    @staticmethod
    def _check(receipt: Any, replay: Any) -> None:
        """Fail with the revert reason (found by replaying) when a transaction failed."""
        if receipt["status"] == 1:
            return
        try:
            replay()
        except Exception as exc:  # noqa: BLE001 - any revert is the message we want
            raise AssertionError(f"transaction reverted: {exc!r}") from None
        raise AssertionError(f"transaction failed without a revert (gas used {receipt['gasUsed']})")

    @contextmanager
    def reverts(self, contract: Any, expected: str) -> Iterator[None]:
        """Expect a revert whose decoded reason (Error string, Panic, or
        CustomError(args...)) starts with ``expected``."""
        from web3.exceptions import ContractLogicError

        from smartdev.contracts.abi import decode_revert

        with pytest.raises(ContractLogicError) as info:
            yield
        data = info.value.data if isinstance(info.value.data, str) else None
        reason = decode_revert(data, contract.abi) if data else (info.value.message or "")
        assert reason.startswith(expected), f"reverted with {reason!r}, expected {expected!r}"

    def events(self, contract: Any, receipt: Any, name: str) -> list[dict[str, Any]]:
        from web3.logs import DISCARD

        event = getattr(contract.events, name)()
        return [dict(e["args"]) for e in event.process_receipt(receipt, errors=DISCARD)]


@pytest.fixture(scope="module")
def _chain():
    from smartdev.context import Environment
    from smartdev.network import connect

    env = Environment(environ={})
    with connect(env, "embedded") as conn:
        yield conn.w3


@pytest.fixture
def lib(_chain, lib_build: Path) -> Iterator[Lib]:
    snapshot = _chain.provider.make_request("evm_snapshot", [])["result"]
    yield Lib(_chain, lib_build)
    _chain.provider.make_request("evm_revert", [snapshot])
