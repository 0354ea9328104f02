"""PullPayment and ReentrancyGuard: credits, withdrawals, totals, refusing and re-entering payees."""

from __future__ import annotations

from eth_utils import keccak


def test_credit_withdraw_and_totals(lib):
    acc = lib.accounts
    pp = lib.deploy("PatternsPullPaymentHarness")
    lib.send(pp.functions.deposit(acc[1]), sender=0, value=700)
    lib.send(pp.functions.deposit(acc[1]), sender=2, value=300)
    lib.send(pp.functions.deposit(acc[3]), sender=0, value=5)
    assert pp.functions.withdrawable(acc[1]).call() == 1000
    assert pp.functions.withdrawable(acc[3]).call() == 5
    assert pp.functions.totalWithdrawable().call() == 1005 == lib.w3.eth.get_balance(pp.address)

    before = lib.w3.eth.get_balance(acc[1])
    receipt = lib.send(pp.functions.withdraw(), sender=1)
    assert lib.events(pp, receipt, "Withdrawn") == [{"account": acc[1], "amount": 1000}]
    fee = receipt["gasUsed"] * receipt["effectiveGasPrice"]
    assert lib.w3.eth.get_balance(acc[1]) == before + 1000 - fee
    assert pp.functions.withdrawable(acc[1]).call() == 0
    assert pp.functions.totalWithdrawable().call() == 5 == lib.w3.eth.get_balance(pp.address)
    with lib.reverts(pp, f"NothingToWithdraw(account={acc[1]})"):
        pp.functions.withdraw().transact({"from": acc[1]})


def test_refusing_payee_keeps_its_credit(lib):
    pp = lib.deploy("PatternsPullPaymentHarness")
    payee = lib.deploy("PatternsPullPayee", pp.address)
    lib.send(pp.functions.deposit(payee.address), value=42)
    lib.send(payee.functions.setRefuse(True))
    with lib.reverts(pp, f"TransferFailed(to={payee.address}, amount=42)"):
        payee.functions.pull().transact({"from": lib.accounts[0]})
    assert pp.functions.withdrawable(payee.address).call() == 42
    assert pp.functions.totalWithdrawable().call() == 42


def test_reentering_payee_is_stopped_and_paid_once(lib):
    pp = lib.deploy("PatternsPullPaymentHarness")
    payee = lib.deploy("PatternsPullPayee", pp.address)
    lib.send(pp.functions.deposit(payee.address), value=42)
    lib.send(pp.functions.deposit(lib.accounts[5]), value=8)  # ether a re-entry could try to take
    lib.send(payee.functions.pull())
    assert payee.functions.reentryRevert().call() == keccak(text="ReentrancyGuardReentrantCall()")[:4]
    assert lib.w3.eth.get_balance(payee.address) == 42
    assert lib.w3.eth.get_balance(pp.address) == 8 == pp.functions.totalWithdrawable().call()


def test_guard_blocks_nested_calls_and_resets(lib):
    pp = lib.deploy("PatternsPullPaymentHarness")
    with lib.reverts(pp, "ReentrancyGuardReentrantCall()"):
        pp.functions.outer(True).transact({"from": lib.accounts[0]})
    lib.send(pp.functions.outer(False))
    assert pp.functions.enteredDuringCall().call() is True
    assert pp.functions.entered().call() is False  # released after the call
    lib.send(pp.functions.inner())  # and usable again
