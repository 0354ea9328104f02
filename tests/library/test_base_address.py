"""contract_library/base/Address.sol through tests/library/harness/base/AddressHarness.sol."""

from __future__ import annotations

import pytest

ETHER = 10**18


@pytest.fixture
def h(lib):
    return lib.deploy("AddressHarness", value=5 * ETHER)


def test_is_contract(lib, h):
    sink = lib.deploy("AddressEtherSink")
    assert h.functions.isContract(h.address).call() is True
    assert h.functions.isContract(sink.address).call() is True
    assert h.functions.isContract(lib.accounts[1]).call() is False
    assert h.functions.isContract("0x" + "00" * 20).call() is False
    assert h.functions.isContract("0x" + "00" * 19 + "01").call() is False  # ecrecover precompile: no code


def test_is_contract_false_during_construction(lib):
    probe = lib.deploy("AddressConstructorProbe")
    assert probe.functions.duringConstruction().call() is False
    h = lib.deploy("AddressHarness")
    assert h.functions.isContract(probe.address).call() is True


def test_send_value_to_account(lib, h):
    w3 = lib.w3
    to = lib.accounts[3]
    before = w3.eth.get_balance(to)
    receipt = lib.send(h.functions.sendValue(to, 2 * ETHER), sender=1)
    assert w3.eth.get_balance(to) == before + 2 * ETHER
    assert w3.eth.get_balance(h.address) == 3 * ETHER
    assert lib.events(h, receipt, "Sent") == [{"to": to, "amount": 2 * ETHER}]


def test_send_value_zero_and_whole_balance(lib, h):
    to = lib.accounts[4]
    before = lib.w3.eth.get_balance(to)
    lib.send(h.functions.sendValue(to, 0), sender=1)
    assert lib.w3.eth.get_balance(to) == before
    lib.send(h.functions.sendValue(to, 5 * ETHER), sender=1)
    assert lib.w3.eth.get_balance(h.address) == 0
    assert lib.w3.eth.get_balance(to) == before + 5 * ETHER


def test_send_value_forwards_enough_gas_for_storage_write(lib, h):
    sink = lib.deploy("AddressEtherSink")
    lib.send(h.functions.sendValue(sink.address, 7))
    assert sink.functions.received().call() == 7
    assert lib.w3.eth.get_balance(sink.address) == 7


def test_send_value_insufficient_balance(lib, h):
    with lib.reverts(h, f"AddressInsufficientBalance(balance={5 * ETHER}, needed={5 * ETHER + 1})"):
        h.functions.sendValue(lib.accounts[2], 5 * ETHER + 1).call()
    empty = lib.deploy("AddressHarness")
    with lib.reverts(empty, "AddressInsufficientBalance(balance=0, needed=1)"):
        empty.functions.sendValue(lib.accounts[2], 1).call()


def test_send_value_rejected(lib, h):
    rejecter = lib.deploy("AddressEtherRejecter")
    with lib.reverts(h, f"AddressSendFailed(to={rejecter.address}, amount=1)"):
        h.functions.sendValue(rejecter.address, 1).call()
    # A contract without receive/fallback rejects too.
    probe = lib.deploy("AddressConstructorProbe")
    with lib.reverts(h, f"AddressSendFailed(to={probe.address}, amount=3)"):
        h.functions.sendValue(probe.address, 3).call()
    assert lib.w3.eth.get_balance(h.address) == 5 * ETHER
