"""Timelock: queue / execute / cancel with delay and grace period; self-governed delay and admin."""

from __future__ import annotations

import pytest
from eth_abi import encode
from eth_utils import keccak

ZERO = "0x" + "00" * 20
DAY = 86400
DELAY = 2 * DAY
GRACE = 7 * DAY


def call_id(target, value, data, eta) -> bytes:
    return keccak(encode(["address", "uint256", "bytes", "uint256"], [target, value, data, eta]))


@pytest.fixture
def tl(lib):
    return lib.deploy("Timelock", lib.accounts[0], DAY, DELAY, GRACE)


@pytest.fixture
def target(lib):
    return lib.deploy("GovTarget")


def deploy_reverts(lib, args, expected):
    art = lib.artifact("Timelock")
    factory = lib.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
    with lib.reverts(factory, expected):
        factory.constructor(*args).transact({"from": lib.accounts[0]})


def test_constructor_validation(lib, tl):
    acc = lib.accounts
    deploy_reverts(lib, (ZERO, DAY, DELAY, GRACE), "ZeroAddress()")
    deploy_reverts(lib, (acc[0], DAY, DAY - 1, GRACE), f"InvalidDelay(delay={DAY - 1})")
    deploy_reverts(lib, (acc[0], DAY, 31 * DAY, GRACE), f"InvalidDelay(delay={31 * DAY})")
    deploy_reverts(lib, (acc[0], 31 * DAY, 31 * DAY, GRACE), f"InvalidDelay(delay={31 * DAY})")
    deploy_reverts(lib, (acc[0], DAY, DELAY, 0), "InvalidGracePeriod()")
    assert tl.functions.admin().call() == acc[0]
    assert tl.functions.delay().call() == DELAY
    assert tl.functions.minDelay().call() == DAY
    assert tl.functions.gracePeriod().call() == GRACE


def test_queue_and_execute_window(lib, tl, target):
    acc = lib.accounts
    lib.w3.eth.send_transaction({"from": acc[0], "to": tl.address, "value": 5000})
    data = bytes.fromhex(target.encode_abi("store", args=[11])[2:])
    start = lib.now() + 100
    eta = start + DELAY
    lib.at(start)
    receipt = lib.send(tl.functions.queue(target.address, 700, data, eta), sender=0)
    cid = call_id(target.address, 700, data, eta)
    assert lib.events(tl, receipt, "Queued") == [
        {"id": cid, "target": target.address, "value": 700, "data": data, "eta": eta}]
    assert tl.functions.queued(cid).call() is True
    assert tl.functions.hashCall(target.address, 700, data, eta).call() == cid
    lib.at(eta - 1)
    with lib.reverts(tl, f"NotReady(id=0x{cid.hex()}, eta={eta})"):
        tl.functions.execute(target.address, 700, data, eta).transact({"from": acc[0]})
    lib.at(eta)
    receipt = lib.send(tl.functions.execute(target.address, 700, data, eta), sender=0)
    assert lib.events(tl, receipt, "Executed") == [
        {"id": cid, "target": target.address, "value": 700, "data": data, "eta": eta}]
    assert target.functions.stored().call() == 11
    assert target.functions.lastCaller().call() == tl.address
    assert target.functions.lastValue().call() == 700
    assert tl.functions.queued(cid).call() is False
    with lib.reverts(tl, f"NotQueued(id=0x{cid.hex()})"):  # no replay
        tl.functions.execute(target.address, 700, data, eta).transact({"from": acc[0]})


def test_eta_must_respect_delay(lib, tl, target):
    start = lib.now() + 100
    lib.at(start)
    with lib.reverts(tl, f"EtaTooEarly(eta={start + DELAY - 1}, earliest={start + DELAY})"):
        tl.functions.queue(target.address, 0, b"", start + DELAY - 1).transact({"from": lib.accounts[0]})
    lib.at(start + 10)
    lib.send(tl.functions.queue(target.address, 0, b"", start + 10 + DELAY), sender=0)  # exactly the earliest
    eta = start + 100 + DELAY
    lib.send(tl.functions.queue(target.address, 0, b"", eta), sender=0)
    cid = call_id(target.address, 0, b"", eta)
    with lib.reverts(tl, f"AlreadyQueued(id=0x{cid.hex()})"):
        tl.functions.queue(target.address, 0, b"", eta).transact({"from": lib.accounts[0]})


def test_grace_period_expiry(lib, tl, target):
    data = bytes.fromhex(target.encode_abi("store", args=[1])[2:])
    eta = lib.now() + DELAY + 100
    lib.send(tl.functions.queue(target.address, 0, data, eta), sender=0)
    cid = call_id(target.address, 0, data, eta)
    lib.at(eta + GRACE + 1)
    with lib.reverts(tl, f"Expired(id=0x{cid.hex()}, deadline={eta + GRACE})"):
        tl.functions.execute(target.address, 0, data, eta).transact({"from": lib.accounts[0]})


def test_execute_at_last_second_of_grace(lib, tl, target):
    data = bytes.fromhex(target.encode_abi("store", args=[3])[2:])
    eta = lib.now() + DELAY + 100
    lib.send(tl.functions.queue(target.address, 0, data, eta), sender=0)
    lib.at(eta + GRACE)
    lib.send(tl.functions.execute(target.address, 0, data, eta), sender=0)
    assert target.functions.stored().call() == 3


def test_cancel(lib, tl, target):
    acc = lib.accounts
    data = bytes.fromhex(target.encode_abi("store", args=[1])[2:])
    eta = lib.now() + DELAY + 100
    cid = call_id(target.address, 0, data, eta)
    with lib.reverts(tl, f"NotQueued(id=0x{cid.hex()})"):
        tl.functions.cancel(target.address, 0, data, eta).transact({"from": acc[0]})
    lib.send(tl.functions.queue(target.address, 0, data, eta), sender=0)
    with lib.reverts(tl, f"NotAdmin(caller={acc[1]})"):
        tl.functions.cancel(target.address, 0, data, eta).transact({"from": acc[1]})
    receipt = lib.send(tl.functions.cancel(target.address, 0, data, eta), sender=0)
    assert lib.events(tl, receipt, "Cancelled") == [{"id": cid}]
    lib.at(eta)
    with lib.reverts(tl, f"NotQueued(id=0x{cid.hex()})"):
        tl.functions.execute(target.address, 0, data, eta).transact({"from": acc[0]})


def test_only_admin_queues_and_executes(lib, tl, target):
    acc = lib.accounts
    eta = lib.now() + DELAY + 100
    with lib.reverts(tl, f"NotAdmin(caller={acc[2]})"):
        tl.functions.queue(target.address, 0, b"", eta).transact({"from": acc[2]})
    lib.send(tl.functions.queue(target.address, 0, b"", eta), sender=0)
    lib.at(eta)
    with lib.reverts(tl, f"NotAdmin(caller={acc[2]})"):
        tl.functions.execute(target.address, 0, b"", eta).transact({"from": acc[2]})


def test_failed_call_keeps_it_queued(lib, tl, target):
    data = bytes.fromhex(target.encode_abi("refuse", args=[4])[2:])
    eta = lib.now() + DELAY + 100
    lib.send(tl.functions.queue(target.address, 0, data, eta), sender=0)
    cid = call_id(target.address, 0, data, eta)
    lib.at(eta)
    inner = keccak(text="GovTargetRefused(uint256)")[:4] + encode(["uint256"], [4])
    with lib.reverts(tl, f"ExecutionFailed(id=0x{cid.hex()}, reason=0x{inner.hex()})"):
        tl.functions.execute(target.address, 0, data, eta).transact({"from": lib.accounts[0]})
    assert tl.functions.queued(cid).call() is True


def run_self(lib, tl, fn_name, args):
    data = bytes.fromhex(tl.encode_abi(fn_name, args=args)[2:])
    eta = lib.now() + tl.functions.delay().call() + 100
    lib.send(tl.functions.queue(tl.address, 0, data, eta), sender=0)
    lib.at(eta)
    return lib.send(tl.functions.execute(tl.address, 0, data, eta), sender=0)


def test_delay_and_admin_change_only_through_timelock(lib, tl):
    acc = lib.accounts
    with lib.reverts(tl, f"OnlyTimelock(caller={acc[0]})"):
        tl.functions.setDelay(3 * DAY).transact({"from": acc[0]})
    with lib.reverts(tl, f"OnlyTimelock(caller={acc[0]})"):
        tl.functions.setPendingAdmin(acc[1]).transact({"from": acc[0]})
    receipt = run_self(lib, tl, "setDelay", [3 * DAY])
    assert lib.events(tl, receipt, "DelayChanged") == [{"delay": 3 * DAY}]
    assert tl.functions.delay().call() == 3 * DAY
    receipt = run_self(lib, tl, "setPendingAdmin", [acc[1]])
    assert lib.events(tl, receipt, "PendingAdminSet") == [{"pendingAdmin": acc[1]}]
    with lib.reverts(tl, f"NotPendingAdmin(caller={acc[2]})"):
        tl.functions.acceptAdmin().transact({"from": acc[2]})
    receipt = lib.send(tl.functions.acceptAdmin(), sender=1)
    assert lib.events(tl, receipt, "AdminChanged") == [{"previousAdmin": acc[0], "newAdmin": acc[1]}]
    assert tl.functions.admin().call() == acc[1]
    assert tl.functions.pendingAdmin().call() == ZERO
    with lib.reverts(tl, f"NotAdmin(caller={acc[0]})"):
        tl.functions.queue(tl.address, 0, b"", lib.now() + 4 * DAY).transact({"from": acc[0]})


def test_invalid_self_changes_fail(lib, tl):
    for fn_name, args, reason in (
        ("setDelay", [DAY - 1], keccak(text="InvalidDelay(uint256)")[:4] + encode(["uint256"], [DAY - 1])),
        ("setDelay", [31 * DAY], keccak(text="InvalidDelay(uint256)")[:4] + encode(["uint256"], [31 * DAY])),
        ("setPendingAdmin", [ZERO], keccak(text="ZeroAddress()")[:4]),
    ):
        # the exact inner error is carried in `reason`
        data = bytes.fromhex(tl.encode_abi(fn_name, args=args)[2:])
        eta = lib.now() + DELAY + 100
        lib.send(tl.functions.queue(tl.address, 0, data, eta), sender=0)
        lib.at(eta)
        cid = call_id(tl.address, 0, data, eta)
        with lib.reverts(tl, f"ExecutionFailed(id=0x{cid.hex()}, reason=0x{reason.hex()})"):
            tl.functions.execute(tl.address, 0, data, eta).transact({"from": lib.accounts[0]})
    assert tl.functions.delay().call() == DELAY
