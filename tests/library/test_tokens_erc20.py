"""ERC20 / FungibleToken: transfers, allowances (infinite convention), mint/burn roles, cap, pause, every error,
and a hypothesis run of random operations against a Python model."""

from __future__ import annotations

import pytest
from eth_utils import keccak
from hypothesis import example, given, settings
from hypothesis import strategies as st

ZERO = "0x" + "00" * 20
MAX = 2**256 - 1
ADMIN_ROLE = "0x" + "00" * 32
MINTER = keccak(text="MINTER_ROLE")
BURNER = keccak(text="BURNER_ROLE")
PAUSER = keccak(text="PAUSER_ROLE")


def hexrole(role: bytes) -> str:
    return "0x" + role.hex()


def deploy(lib, cap=0, decimals=6, admin=0):
    return lib.deploy("FungibleToken", "Alliance Dollar", "ALD", decimals, cap, lib.accounts[admin])


@pytest.fixture
def token(lib):
    t = deploy(lib, cap=10_000)
    lib.send(t.functions.mint(lib.accounts[1], 1000))
    return t


def test_constructor_metadata_and_roles(lib):
    acc = lib.accounts
    t = deploy(lib, cap=0, decimals=6)
    receipt = lib.w3.eth.get_transaction_receipt(lib.w3.eth.get_block("latest")["transactions"][0])
    assert t.functions.name().call() == "Alliance Dollar"
    assert t.functions.symbol().call() == "ALD"
    assert t.functions.decimals().call() == 6
    assert t.functions.totalSupply().call() == 0
    assert t.functions.cap().call() == MAX  # 0 = uncapped
    assert t.functions.MINTER_ROLE().call() == MINTER
    assert t.functions.BURNER_ROLE().call() == BURNER
    assert t.functions.PAUSER_ROLE().call() == PAUSER
    assert lib.events(t, receipt, "RoleGranted") == [
        {"role": bytes(32), "account": acc[0], "sender": acc[0]},
        {"role": MINTER, "account": acc[0], "sender": acc[0]},
        {"role": PAUSER, "account": acc[0], "sender": acc[0]},
    ]
    assert t.functions.hasRole(BURNER, acc[0]).call() is False  # never granted by default
    assert deploy(lib, cap=5, decimals=0).functions.cap().call() == 5
    assert deploy(lib, decimals=255).functions.decimals().call() == 255
    art = lib.artifact("FungibleToken")
    factory = lib.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
    with lib.reverts(factory, f"FungibleTokenInvalidAdmin(admin={ZERO})"):
        factory.constructor("A", "A", 18, 0, ZERO).transact({"from": acc[0]})


def test_mint_events_cap_and_access(lib):
    acc = lib.accounts
    t = deploy(lib, cap=1000)
    receipt = lib.send(t.functions.mint(acc[1], 600))
    assert lib.events(t, receipt, "Transfer") == [{"from": ZERO, "to": acc[1], "value": 600}]
    assert t.functions.balanceOf(acc[1]).call() == 600
    assert t.functions.totalSupply().call() == 600
    with lib.reverts(t, "FungibleTokenCapExceeded(totalSupply=600, amount=401, cap=1000)"):
        t.functions.mint(acc[2], 401).transact({"from": acc[0]})
    lib.send(t.functions.mint(acc[2], 400))  # exactly up to the cap
    assert t.functions.totalSupply().call() == 1000
    with lib.reverts(t, "FungibleTokenCapExceeded(totalSupply=1000, amount=1, cap=1000)"):
        t.functions.mint(acc[2], 1).transact({"from": acc[0]})
    receipt = lib.send(t.functions.mint(acc[3], 0))  # a zero mint is a valid, logged no-op
    assert lib.events(t, receipt, "Transfer") == [{"from": ZERO, "to": acc[3], "value": 0}]
    with lib.reverts(t, f"AccessControlUnauthorizedAccount(account={acc[1]}, neededRole={hexrole(MINTER)})"):
        t.functions.mint(acc[1], 1).transact({"from": acc[1]})
    with lib.reverts(t, f"ERC20InvalidReceiver(receiver={ZERO})"):
        t.functions.mint(ZERO, 1).transact({"from": acc[0]})
    # a granted minter can mint; after revocation it cannot
    lib.send(t.functions.grantRole(MINTER, acc[5]))
    t2 = deploy(lib)
    lib.send(t2.functions.grantRole(MINTER, acc[5]))
    lib.send(t2.functions.mint(acc[5], MAX), sender=5)
    assert t2.functions.totalSupply().call() == MAX
    lib.send(t2.functions.revokeRole(MINTER, acc[5]))
    with lib.reverts(t2, f"AccessControlUnauthorizedAccount(account={acc[5]}"):
        t2.functions.mint(acc[5], 1).transact({"from": acc[5]})


def test_transfer(lib, token):
    acc = lib.accounts
    assert token.functions.transfer(acc[2], 1).call({"from": acc[1]}) is True
    receipt = lib.send(token.functions.transfer(acc[2], 300), sender=1)
    assert lib.events(token, receipt, "Transfer") == [{"from": acc[1], "to": acc[2], "value": 300}]
    assert token.functions.balanceOf(acc[1]).call() == 700
    assert token.functions.balanceOf(acc[2]).call() == 300
    with lib.reverts(token, f"ERC20InsufficientBalance(account={acc[1]}, balance=700, needed=701)"):
        token.functions.transfer(acc[2], 701).transact({"from": acc[1]})
    with lib.reverts(token, f"ERC20InsufficientBalance(account={acc[4]}, balance=0, needed=1)"):
        token.functions.transfer(acc[2], 1).transact({"from": acc[4]})
    with lib.reverts(token, f"ERC20InvalidReceiver(receiver={ZERO})"):
        token.functions.transfer(ZERO, 1).transact({"from": acc[1]})
    # zero-value and self transfers are normal transfers
    receipt = lib.send(token.functions.transfer(acc[3], 0), sender=4)
    assert lib.events(token, receipt, "Transfer") == [{"from": acc[4], "to": acc[3], "value": 0}]
    receipt = lib.send(token.functions.transfer(acc[1], 700), sender=1)
    assert lib.events(token, receipt, "Transfer") == [{"from": acc[1], "to": acc[1], "value": 700}]
    assert token.functions.balanceOf(acc[1]).call() == 700
    # the whole balance can move
    lib.send(token.functions.transfer(acc[3], 700), sender=1)
    assert token.functions.balanceOf(acc[1]).call() == 0
    assert token.functions.totalSupply().call() == 1000


def test_approve_and_transfer_from(lib, token):
    acc = lib.accounts
    receipt = lib.send(token.functions.approve(acc[2], 500), sender=1)
    assert lib.events(token, receipt, "Approval") == [{"owner": acc[1], "spender": acc[2], "value": 500}]
    assert token.functions.allowance(acc[1], acc[2]).call() == 500
    assert token.functions.transferFrom(acc[1], acc[3], 1).call({"from": acc[2]}) is True
    receipt = lib.send(token.functions.transferFrom(acc[1], acc[3], 200), sender=2)
    assert lib.events(token, receipt, "Transfer") == [{"from": acc[1], "to": acc[3], "value": 200}]
    assert lib.events(token, receipt, "Approval") == []  # spending emits no Approval
    assert token.functions.allowance(acc[1], acc[2]).call() == 300
    assert token.functions.balanceOf(acc[3]).call() == 200
    with lib.reverts(token, f"ERC20InsufficientAllowance(owner={acc[1]}, spender={acc[2]}, allowance=300, needed=301)"):
        token.functions.transferFrom(acc[1], acc[3], 301).transact({"from": acc[2]})
    with lib.reverts(token, f"ERC20InsufficientAllowance(owner={acc[1]}, spender={acc[4]}, allowance=0, needed=1)"):
        token.functions.transferFrom(acc[1], acc[3], 1).transact({"from": acc[4]})
    with lib.reverts(token, f"ERC20InvalidReceiver(receiver={ZERO})"):
        token.functions.transferFrom(acc[1], ZERO, 1).transact({"from": acc[2]})
    # enough allowance but not enough balance
    lib.send(token.functions.approve(acc[2], 5000), sender=1)
    with lib.reverts(token, f"ERC20InsufficientBalance(account={acc[1]}, balance=800, needed=801)"):
        token.functions.transferFrom(acc[1], acc[3], 801).transact({"from": acc[2]})
    # re-approve overwrites, approve 0 clears
    lib.send(token.functions.approve(acc[2], 0), sender=1)
    assert token.functions.allowance(acc[1], acc[2]).call() == 0
    with lib.reverts(token, f"ERC20InvalidSpender(spender={ZERO})"):
        token.functions.approve(ZERO, 1).transact({"from": acc[1]})
    # approvals need no balance
    lib.send(token.functions.approve(acc[1], 7), sender=9)
    assert token.functions.allowance(acc[9], acc[1]).call() == 7


def test_infinite_allowance_is_not_spent(lib, token):
    acc = lib.accounts
    lib.send(token.functions.approve(acc[2], MAX), sender=1)
    lib.send(token.functions.transferFrom(acc[1], acc[3], 400), sender=2)
    lib.send(token.functions.transferFrom(acc[1], acc[2], 600), sender=2)
    assert token.functions.allowance(acc[1], acc[2]).call() == MAX
    assert token.functions.balanceOf(acc[1]).call() == 0
    # MAX - 1 is an ordinary allowance
    lib.send(token.functions.approve(acc[1], MAX - 1), sender=3)
    lib.send(token.functions.transferFrom(acc[3], acc[1], 10), sender=1)
    assert token.functions.allowance(acc[3], acc[1]).call() == MAX - 11


def test_increase_decrease_allowance(lib, token):
    acc = lib.accounts
    receipt = lib.send(token.functions.increaseAllowance(acc[2], 100), sender=1)
    assert lib.events(token, receipt, "Approval") == [{"owner": acc[1], "spender": acc[2], "value": 100}]
    receipt = lib.send(token.functions.increaseAllowance(acc[2], 50), sender=1)
    assert lib.events(token, receipt, "Approval") == [{"owner": acc[1], "spender": acc[2], "value": 150}]
    receipt = lib.send(token.functions.decreaseAllowance(acc[2], 120), sender=1)
    assert lib.events(token, receipt, "Approval") == [{"owner": acc[1], "spender": acc[2], "value": 30}]
    with lib.reverts(token, f"ERC20AllowanceUnderflow(owner={acc[1]}, spender={acc[2]}, allowance=30, decrease=31)"):
        token.functions.decreaseAllowance(acc[2], 31).transact({"from": acc[1]})
    lib.send(token.functions.decreaseAllowance(acc[2], 30), sender=1)
    assert token.functions.allowance(acc[1], acc[2]).call() == 0
    lib.send(token.functions.increaseAllowance(acc[2], MAX), sender=1)
    assert token.functions.allowance(acc[1], acc[2]).call() == MAX
    with lib.reverts(token, f"ERC20AllowanceOverflow(owner={acc[1]}, spender={acc[2]}, allowance={MAX}, increase=1)"):
        token.functions.increaseAllowance(acc[2], 1).transact({"from": acc[1]})
    with lib.reverts(token, f"ERC20InvalidSpender(spender={ZERO})"):
        token.functions.increaseAllowance(ZERO, 1).transact({"from": acc[1]})
    assert token.functions.increaseAllowance(acc[3], 0).call({"from": acc[1]}) is True
    assert token.functions.decreaseAllowance(acc[2], 0).call({"from": acc[1]}) is True


def test_burn_burn_from_and_burner_role(lib, token):
    acc = lib.accounts
    receipt = lib.send(token.functions.burn(100), sender=1)
    assert lib.events(token, receipt, "Transfer") == [{"from": acc[1], "to": ZERO, "value": 100}]
    assert token.functions.totalSupply().call() == 900
    assert token.functions.balanceOf(acc[1]).call() == 900
    with lib.reverts(token, f"ERC20InsufficientBalance(account={acc[1]}, balance=900, needed=901)"):
        token.functions.burn(901).transact({"from": acc[1]})
    # burnFrom spends the allowance
    with lib.reverts(token, f"ERC20InsufficientAllowance(owner={acc[1]}, spender={acc[2]}, allowance=0, needed=1)"):
        token.functions.burnFrom(acc[1], 1).transact({"from": acc[2]})
    lib.send(token.functions.approve(acc[2], 300), sender=1)
    receipt = lib.send(token.functions.burnFrom(acc[1], 200), sender=2)
    assert lib.events(token, receipt, "Transfer") == [{"from": acc[1], "to": ZERO, "value": 200}]
    assert token.functions.allowance(acc[1], acc[2]).call() == 100
    assert token.functions.totalSupply().call() == 700
    # BURNER_ROLE needs no allowance and leaves allowances alone (admin must grant it explicitly)
    with lib.reverts(token, f"ERC20InsufficientAllowance(owner={acc[1]}, spender={acc[0]}, allowance=0, needed=5)"):
        token.functions.burnFrom(acc[1], 5).transact({"from": acc[0]})
    lib.send(token.functions.grantRole(BURNER, acc[5]))
    receipt = lib.send(token.functions.burnFrom(acc[1], 700), sender=5)
    assert lib.events(token, receipt, "Transfer") == [{"from": acc[1], "to": ZERO, "value": 700}]
    assert token.functions.balanceOf(acc[1]).call() == 0
    assert token.functions.totalSupply().call() == 0
    assert token.functions.allowance(acc[1], acc[5]).call() == 0
    with lib.reverts(token, f"ERC20InsufficientBalance(account={acc[1]}, balance=0, needed=1)"):
        token.functions.burnFrom(acc[1], 1).transact({"from": acc[5]})
    with lib.reverts(token, f"ERC20InvalidSender(sender={ZERO})"):
        token.functions.burnFrom(ZERO, 0).transact({"from": acc[5]})
    # the cap counts the current supply: burnt tokens can be minted again
    lib.send(token.functions.mint(acc[2], 10_000))
    assert token.functions.totalSupply().call() == 10_000


def test_pause(lib, token):
    acc = lib.accounts
    lib.send(token.functions.approve(acc[2], 100), sender=1)
    with lib.reverts(token, f"AccessControlUnauthorizedAccount(account={acc[1]}, neededRole={hexrole(PAUSER)})"):
        token.functions.pause().transact({"from": acc[1]})
    with lib.reverts(token, "ExpectedPause()"):
        token.functions.unpause().transact({"from": acc[0]})
    receipt = lib.send(token.functions.pause())
    assert lib.events(token, receipt, "Paused") == [{"account": acc[0]}]
    assert token.functions.paused().call() is True
    with lib.reverts(token, "EnforcedPause()"):
        token.functions.pause().transact({"from": acc[0]})
    for fn, sender in [
        (token.functions.transfer(acc[2], 1), 1),
        (token.functions.transferFrom(acc[1], acc[3], 1), 2),
        (token.functions.mint(acc[1], 1), 0),
        (token.functions.burn(1), 1),
        (token.functions.burnFrom(acc[1], 1), 2),
    ]:
        with lib.reverts(token, "EnforcedPause()"):
            fn.transact({"from": acc[sender]})
    lib.send(token.functions.approve(acc[3], 5), sender=1)  # approvals still work
    assert token.functions.allowance(acc[1], acc[3]).call() == 5
    with lib.reverts(token, f"AccessControlUnauthorizedAccount(account={acc[1]}, neededRole={hexrole(PAUSER)})"):
        token.functions.unpause().transact({"from": acc[1]})
    receipt = lib.send(token.functions.unpause())
    assert lib.events(token, receipt, "Unpaused") == [{"account": acc[0]}]
    lib.send(token.functions.transfer(acc[2], 1), sender=1)
    assert token.functions.balanceOf(acc[2]).call() == 1


def test_base_internal_errors(lib):
    """Errors of the abstract base that the concrete token cannot reach."""
    acc = lib.accounts
    h = lib.deploy("TokensERC20Harness", 18)
    assert h.functions.decimals().call() == 18
    assert lib.deploy("TokensERC20Harness", 0).functions.decimals().call() == 0
    with lib.reverts(h, f"ERC20InvalidSender(sender={ZERO})"):
        h.functions.transferInternal(ZERO, acc[1], 0).transact({"from": acc[0]})
    with lib.reverts(h, f"ERC20InvalidSender(sender={ZERO})"):
        h.functions.burn(ZERO, 0).transact({"from": acc[0]})
    with lib.reverts(h, f"ERC20InvalidApprover(approver={ZERO})"):
        h.functions.approveInternal(ZERO, acc[1], 1).transact({"from": acc[0]})
    with lib.reverts(h, f"ERC20InvalidSpender(spender={ZERO})"):
        h.functions.approveInternal(acc[1], ZERO, 1).transact({"from": acc[0]})
    lib.send(h.functions.mint(acc[1], MAX))
    with lib.reverts(h, f"ERC20SupplyOverflow(totalSupply={MAX}, amount=1)"):
        h.functions.mint(acc[2], 1).transact({"from": acc[0]})
    lib.send(h.functions.transferInternal(acc[1], acc[2], MAX))
    assert h.functions.balanceOf(acc[2]).call() == MAX
    lib.send(h.functions.burn(acc[2], MAX))
    assert h.functions.totalSupply().call() == 0
    lib.send(h.functions.mint(acc[3], 1))  # supply room again after burning


# ---------------------------------------------------------------- model-based


N_ACC = 3  # accounts 1..3 hold and spend; account 0 is the admin/minter
CAP = 3000
small = st.integers(0, 700)
amounts = st.one_of(small, small, small, st.sampled_from([MAX, MAX - 1]))
who = st.integers(1, N_ACC)
op = st.one_of(
    st.tuples(st.just("mint"), who, who, small),
    st.tuples(st.just("mint"), who, who, amounts),
    st.tuples(st.just("transfer"), who, who, amounts),
    st.tuples(st.just("approve"), who, who, amounts),
    st.tuples(st.just("transferFrom"), who, who, amounts, who),
    st.tuples(st.just("burn"), who, who, amounts),
    st.tuples(st.just("burnFrom"), who, who, amounts),
    st.tuples(st.just("increaseAllowance"), who, who, amounts),
    st.tuples(st.just("decreaseAllowance"), who, who, amounts),
)


class Model:
    def __init__(self):
        self.bal = {i: 0 for i in range(N_ACC + 1)}
        self.allow: dict[tuple[int, int], int] = {}
        self.supply = 0

    def spend(self, owner, spender, v):
        cur = self.allow.get((owner, spender), 0)
        if cur < v:
            return "ERC20InsufficientAllowance("
        if cur != MAX:
            self.allow[(owner, spender)] = cur - v
        return None

    def move(self, a, b, v):
        if self.bal[a] < v:
            return "ERC20InsufficientBalance("
        self.bal[a] -= v
        self.bal[b] += v
        return None


def test_random_operations_match_model(lib):
    """Random operation sequences on one deployed token; each example runs from a chain snapshot."""
    acc = lib.accounts
    t = deploy(lib, cap=CAP)
    reader = lib.deploy("TokensReader")
    holders = [acc[i] for i in range(N_ACC + 1)]

    @settings(max_examples=12, deadline=None)
    @given(ops=st.lists(op, min_size=1, max_size=8))
    @example(ops=[("mint", 1, 1, 500), ("approve", 1, 2, MAX), ("transferFrom", 1, 3, 200, 2),
                  ("burnFrom", 1, 2, 100), ("approve", 2, 3, MAX - 1), ("transferFrom", 2, 1, 0, 3),
                  ("decreaseAllowance", 2, 3, 5), ("increaseAllowance", 2, 3, 6)])
    @example(ops=[("mint", 1, 2, 3000), ("mint", 1, 2, 1), ("burn", 2, 2, 3001), ("burn", 2, 2, 3000),
                  ("mint", 1, 3, 3000), ("transfer", 3, 3, 3000), ("increaseAllowance", 3, 1, MAX),
                  ("increaseAllowance", 3, 1, 1), ("transferFrom", 3, 2, 3001, 1)])
    def run(ops):
        snapshot = lib.w3.provider.make_request("evm_snapshot", [])["result"]
        try:
            check(ops)
        finally:
            lib.w3.provider.make_request("evm_revert", [snapshot])

    def check(ops):
        m = Model()
        for o in ops:
            kind, a, b, v = o[:4]
            fn, sender, expected = None, a, None
            if kind == "mint":
                fn, sender = t.functions.mint(acc[b], v), 0
                if v > CAP - m.supply:
                    expected = "FungibleTokenCapExceeded("
                else:
                    m.supply += v
                    m.bal[b] += v
            elif kind == "transfer":
                fn = t.functions.transfer(acc[b], v)
                expected = m.move(a, b, v)
            elif kind == "approve":
                fn = t.functions.approve(acc[b], v)
                m.allow[(a, b)] = v
            elif kind == "transferFrom":
                spender = o[4]
                fn, sender = t.functions.transferFrom(acc[a], acc[b], v), spender
                saved = dict(m.allow)
                expected = m.spend(a, spender, v)
                if not expected:
                    expected = m.move(a, b, v)
                    if expected:
                        m.allow = saved
            elif kind == "burn":
                fn = t.functions.burn(v)
                if m.bal[a] < v:
                    expected = "ERC20InsufficientBalance("
                else:
                    m.bal[a] -= v
                    m.supply -= v
            elif kind == "burnFrom":  # b burns a's tokens with its allowance
                fn, sender = t.functions.burnFrom(acc[a], v), b
                saved = dict(m.allow)
                expected = m.spend(a, b, v)
                if expected:
                    pass
                elif m.bal[a] < v:
                    expected = "ERC20InsufficientBalance("
                    m.allow = saved
                else:
                    m.bal[a] -= v
                    m.supply -= v
            elif kind == "increaseAllowance":
                fn = t.functions.increaseAllowance(acc[b], v)
                cur = m.allow.get((a, b), 0)
                if cur + v > MAX:
                    expected = "ERC20AllowanceOverflow("
                else:
                    m.allow[(a, b)] = cur + v
            elif kind == "decreaseAllowance":
                fn = t.functions.decreaseAllowance(acc[b], v)
                cur = m.allow.get((a, b), 0)
                if v > cur:
                    expected = "ERC20AllowanceUnderflow("
                else:
                    m.allow[(a, b)] = cur - v
            if expected:
                with lib.reverts(t, expected):
                    fn.call({"from": acc[sender]})
            else:  # fixed gas: skips the estimate, one execution per step
                tx = fn.transact({"from": acc[sender], "gas": 200_000})
                assert lib.w3.eth.wait_for_transaction_receipt(tx)["status"] == 1
        assert reader.functions.erc20Balances(t.address, holders).call() == [m.bal[i] for i in range(N_ACC + 1)]
        assert t.functions.totalSupply().call() == m.supply == sum(m.bal.values())
        allowances = reader.functions.erc20Allowances(t.address, holders).call()
        n = N_ACC + 1
        assert allowances == [m.allow.get((i, j), 0) for i in range(n) for j in range(n)]

    run()
