"""ERC1155 / MultiToken: balances and supplies, operators, single and batch safe transfers against receiver mocks,
URIs, ERC-165, role-gated mint/burn, pause, and every error."""

from __future__ import annotations

import pytest
from eth_utils import keccak

ZERO = "0x" + "00" * 20
MAX = 2**256 - 1
MINTER = keccak(text="MINTER_ROLE")
BURNER = keccak(text="BURNER_ROLE")
PAUSER = keccak(text="PAUSER_ROLE")
TEMPLATE = "https://x.test/items/{id}.json"
ACCEPT, REVERT_EMPTY, REVERT_REASON, REVERT_CUSTOM, WRONG_SELECTOR, RETURN_NOTHING, REENTER = range(7)


@pytest.fixture
def mt(lib):
    t = lib.deploy("MultiToken", TEMPLATE, lib.accounts[0])
    lib.send(t.functions.mintBatch(lib.accounts[1], [1, 2, 3], [100, 200, 300], b""))
    return t


def balances(t, pairs):
    return t.functions.balanceOfBatch([a for a, _ in pairs], [i for _, i in pairs]).call()


def test_constructor_uri_and_interfaces(lib):
    acc = lib.accounts
    t = lib.deploy("MultiToken", TEMPLATE, acc[0])
    receipt = lib.w3.eth.get_transaction_receipt(lib.w3.eth.get_block("latest")["transactions"][0])
    assert lib.events(t, receipt, "DefaultURIChanged") == [{"template": TEMPLATE}]
    assert [e["role"] for e in lib.events(t, receipt, "RoleGranted")] == [bytes(32), MINTER, PAUSER]
    assert t.functions.uri(0).call() == TEMPLATE
    assert t.functions.uri(MAX).call() == TEMPLATE  # the {id} placeholder is for clients to fill in
    reader = lib.deploy("TokensReader")
    ids = [bytes.fromhex(x) for x in ("01ffc9a7", "d9b67a26", "0e89341c", "80ac58cd", "4e2312e0", "ffffffff")]
    assert reader.functions.supportsAll(t.address, ids).call() == [True, True, True, False, False, False]
    art = lib.artifact("MultiToken")
    factory = lib.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
    with lib.reverts(factory, f"MultiTokenInvalidAdmin(admin={ZERO})"):
        factory.constructor("", ZERO).transact({"from": acc[0]})


def test_uri_management(lib, mt):
    acc = lib.accounts
    receipt = lib.send(mt.functions.setTokenURI(2, "ipfs://special"))
    assert lib.events(mt, receipt, "URI") == [{"value": "ipfs://special", "id": 2}]
    assert mt.functions.uri(2).call() == "ipfs://special"
    assert mt.functions.uri(1).call() == TEMPLATE
    receipt = lib.send(mt.functions.setURI("ar://t/{id}"))
    assert lib.events(mt, receipt, "DefaultURIChanged") == [{"template": "ar://t/{id}"}]
    assert mt.functions.uri(1).call() == "ar://t/{id}"
    assert mt.functions.uri(2).call() == "ipfs://special"
    receipt = lib.send(mt.functions.setTokenURI(2, ""))  # back to the template
    assert lib.events(mt, receipt, "URI") == [{"value": "ar://t/{id}", "id": 2}]
    admin = "0x" + "00" * 32
    with lib.reverts(mt, f"AccessControlUnauthorizedAccount(account={acc[1]}, neededRole={admin})"):
        mt.functions.setURI("x").transact({"from": acc[1]})
    with lib.reverts(mt, f"AccessControlUnauthorizedAccount(account={acc[1]}, neededRole={admin})"):
        mt.functions.setTokenURI(1, "x").transact({"from": acc[1]})


def test_mint_and_balances(lib, mt):
    acc = lib.accounts
    receipt = lib.send(mt.functions.mint(acc[2], 7, 50, b""))
    assert lib.events(mt, receipt, "TransferSingle") == [
        {"operator": acc[0], "from": ZERO, "to": acc[2], "id": 7, "value": 50}]
    receipt = lib.send(mt.functions.mintBatch(acc[2], [7, 8, 7], [1, 2, 3], b""))
    assert lib.events(mt, receipt, "TransferBatch") == [
        {"operator": acc[0], "from": ZERO, "to": acc[2], "ids": [7, 8, 7], "values": [1, 2, 3]}]
    assert balances(mt, [(acc[1], 1), (acc[1], 2), (acc[1], 3), (acc[2], 7), (acc[2], 8), (acc[1], 7)]) == [
        100, 200, 300, 54, 2, 0]
    assert mt.functions.balanceOf(acc[2], 7).call() == 54
    assert [mt.functions.totalSupply(i).call() for i in (1, 7, 8, 9)] == [100, 54, 2, 0]
    assert [mt.functions.exists(i).call() for i in (1, 9)] == [True, False]
    assert mt.functions.balanceOfBatch([], []).call() == []
    with lib.reverts(mt, "ERC1155InvalidArrayLength(idsLength=1, valuesLength=2)"):
        mt.functions.balanceOfBatch([acc[1], acc[2]], [1]).call()
    with lib.reverts(mt, "ERC1155InvalidArrayLength(idsLength=2, valuesLength=1)"):
        mt.functions.mintBatch(acc[2], [1, 2], [1], b"").transact({"from": acc[0]})
    with lib.reverts(mt, f"ERC1155InvalidReceiver(receiver={ZERO})"):
        mt.functions.mint(ZERO, 1, 1, b"").transact({"from": acc[0]})
    with lib.reverts(mt, f"ERC1155InvalidReceiver(receiver={ZERO})"):
        mt.functions.mintBatch(ZERO, [1], [1], b"").transact({"from": acc[0]})
    needed = f"AccessControlUnauthorizedAccount(account={acc[1]}, neededRole=0x{MINTER.hex()})"
    with lib.reverts(mt, needed):
        mt.functions.mint(acc[1], 1, 1, b"").transact({"from": acc[1]})
    with lib.reverts(mt, needed):
        mt.functions.mintBatch(acc[1], [1], [1], b"").transact({"from": acc[1]})
    # supply overflow is a checked-arithmetic panic
    lib.send(mt.functions.mint(acc[3], 99, MAX, b""))
    with lib.reverts(mt, "panic 0x11"):
        mt.functions.mint(acc[4], 99, 1, b"").transact({"from": acc[0]})
    # an empty batch is a valid, logged no-op
    receipt = lib.send(mt.functions.mintBatch(acc[2], [], [], b""))
    assert lib.events(mt, receipt, "TransferBatch") == [
        {"operator": acc[0], "from": ZERO, "to": acc[2], "ids": [], "values": []}]


def test_transfers_and_operators(lib, mt):
    acc = lib.accounts
    receipt = lib.send(mt.functions.safeTransferFrom(acc[1], acc[2], 1, 40, b""), sender=1)
    assert lib.events(mt, receipt, "TransferSingle") == [
        {"operator": acc[1], "from": acc[1], "to": acc[2], "id": 1, "value": 40}]
    assert balances(mt, [(acc[1], 1), (acc[2], 1)]) == [60, 40]
    with lib.reverts(mt, f"ERC1155MissingApprovalForAll(operator={acc[3]}, owner={acc[1]})"):
        mt.functions.safeTransferFrom(acc[1], acc[3], 1, 1, b"").transact({"from": acc[3]})
    with lib.reverts(mt, f"ERC1155MissingApprovalForAll(operator={acc[3]}, owner={acc[1]})"):
        mt.functions.safeBatchTransferFrom(acc[1], acc[3], [1], [1], b"").transact({"from": acc[3]})
    receipt = lib.send(mt.functions.setApprovalForAll(acc[3], True), sender=1)
    assert lib.events(mt, receipt, "ApprovalForAll") == [{"account": acc[1], "operator": acc[3], "approved": True}]
    assert mt.functions.isApprovedForAll(acc[1], acc[3]).call() is True
    receipt = lib.send(mt.functions.safeBatchTransferFrom(acc[1], acc[4], [2, 3, 2], [10, 300, 5], b""), sender=3)
    assert lib.events(mt, receipt, "TransferBatch") == [
        {"operator": acc[3], "from": acc[1], "to": acc[4], "ids": [2, 3, 2], "values": [10, 300, 5]}]
    assert balances(mt, [(acc[1], 2), (acc[1], 3), (acc[4], 2), (acc[4], 3)]) == [185, 0, 15, 300]
    with lib.reverts(mt, f"ERC1155InsufficientBalance(sender={acc[1]}, balance=60, needed=61, tokenId=1)"):
        mt.functions.safeTransferFrom(acc[1], acc[2], 1, 61, b"").transact({"from": acc[1]})
    # a batch fails as a whole, here on its second entry (the first already spent 100 of id 2)
    with lib.reverts(mt, f"ERC1155InsufficientBalance(sender={acc[1]}, balance=85, needed=86, tokenId=2)"):
        mt.functions.safeBatchTransferFrom(acc[1], acc[2], [2, 2], [100, 86], b"").transact({"from": acc[1]})
    with lib.reverts(mt, "ERC1155InvalidArrayLength(idsLength=1, valuesLength=0)"):
        mt.functions.safeBatchTransferFrom(acc[1], acc[2], [2], [], b"").transact({"from": acc[1]})
    with lib.reverts(mt, f"ERC1155InvalidReceiver(receiver={ZERO})"):
        mt.functions.safeTransferFrom(acc[1], ZERO, 1, 1, b"").transact({"from": acc[1]})
    with lib.reverts(mt, f"ERC1155InvalidReceiver(receiver={ZERO})"):
        mt.functions.safeBatchTransferFrom(acc[1], ZERO, [1], [1], b"").transact({"from": acc[1]})
    with lib.reverts(mt, f"ERC1155InvalidOperator(operator={ZERO})"):
        mt.functions.setApprovalForAll(ZERO, True).transact({"from": acc[1]})
    receipt = lib.send(mt.functions.setApprovalForAll(acc[3], False), sender=1)
    assert lib.events(mt, receipt, "ApprovalForAll") == [{"account": acc[1], "operator": acc[3], "approved": False}]
    with lib.reverts(mt, f"ERC1155MissingApprovalForAll(operator={acc[3]}, owner={acc[1]})"):
        mt.functions.safeTransferFrom(acc[1], acc[3], 1, 1, b"").transact({"from": acc[3]})
    # zero values and self transfers are normal transfers; supplies never change on transfers
    lib.send(mt.functions.safeTransferFrom(acc[1], acc[1], 1, 60, b""), sender=1)
    lib.send(mt.functions.safeTransferFrom(acc[5], acc[6], 1, 0, b""), sender=5)
    assert balances(mt, [(acc[1], 1), (acc[6], 1)]) == [60, 0]
    assert [mt.functions.totalSupply(i).call() for i in (1, 2, 3)] == [100, 200, 300]


def test_receiver_accepts_single_and_batch(lib, mt):
    acc = lib.accounts
    r = lib.deploy("TokensERC1155Receiver", ACCEPT)
    lib.send(mt.functions.safeTransferFrom(acc[1], r.address, 1, 5, b"\xaa"), sender=1)
    assert r.functions.calls().call() == 1
    assert (r.functions.lastOperator().call(), r.functions.lastFrom().call()) == (acc[1], acc[1])
    assert (r.functions.lastIds().call(), r.functions.lastValues().call()) == ([1], [5])
    assert r.functions.lastData().call() == b"\xaa"
    lib.send(mt.functions.setApprovalForAll(acc[2], True), sender=1)
    lib.send(mt.functions.safeBatchTransferFrom(acc[1], r.address, [2, 3], [6, 7], b"\xbb"), sender=2)
    assert r.functions.calls().call() == 2
    assert (r.functions.lastOperator().call(), r.functions.lastFrom().call()) == (acc[2], acc[1])
    assert (r.functions.lastIds().call(), r.functions.lastValues().call()) == ([2, 3], [6, 7])
    assert r.functions.lastData().call() == b"\xbb"
    # mints call the hooks too (from = 0, operator = the minter); burns do not
    lib.send(mt.functions.mint(r.address, 9, 1, b"m"))
    assert (r.functions.lastOperator().call(), r.functions.lastFrom().call()) == (acc[0], ZERO)
    lib.send(mt.functions.mintBatch(r.address, [9], [2], b""))
    assert (r.functions.lastIds().call(), r.functions.lastValues().call(), r.functions.calls().call()) == ([9], [2], 4)
    lib.send(mt.functions.grantRole(BURNER, acc[0]))
    lib.send(mt.functions.burn(r.address, 9, 3))
    assert r.functions.calls().call() == 4
    assert balances(mt, [(r.address, 1), (r.address, 2), (r.address, 3), (r.address, 9)]) == [5, 6, 7, 0]


def test_receiver_rejections(lib, mt):
    """A receiver that reverts without data, returns a wrong value or nothing, or has no hooks at all."""
    acc = lib.accounts
    r = lib.deploy("TokensERC1155Receiver", REVERT_EMPTY)
    plain = lib.deploy("TokensNoReceiver")
    for target, mode in [(r, REVERT_EMPTY), (r, WRONG_SELECTOR), (r, RETURN_NOTHING), (plain, None)]:
        if mode is not None:
            lib.send(r.functions.setMode(mode))
        expected = f"ERC1155InvalidReceiver(receiver={target.address})"
        for fn, sender in [
            (mt.functions.safeTransferFrom(acc[1], target.address, 1, 1, b""), 1),
            (mt.functions.safeBatchTransferFrom(acc[1], target.address, [1, 2], [1, 1], b""), 1),
            (mt.functions.mint(target.address, 1, 1, b""), 0),
            (mt.functions.mintBatch(target.address, [1], [1], b""), 0),
        ]:
            with lib.reverts(mt, expected):
                fn.transact({"from": acc[sender]})
    assert balances(mt, [(acc[1], 1), (r.address, 1), (plain.address, 1)]) == [100, 0, 0]


def test_receiver_revert_reasons_bubble(lib, mt):
    acc = lib.accounts
    r = lib.deploy("TokensERC1155Receiver", REVERT_REASON)
    with lib.reverts(mt, "TokensReceiver: no thanks"):
        mt.functions.safeTransferFrom(acc[1], r.address, 1, 1, b"").transact({"from": acc[1]})
    with lib.reverts(mt, "TokensReceiver: no thanks"):
        mt.functions.mintBatch(r.address, [1], [1], b"").transact({"from": acc[0]})
    lib.send(r.functions.setMode(REVERT_CUSTOM))
    with lib.reverts(r, "TokensReceiverRefused(code=7)"):
        mt.functions.safeBatchTransferFrom(acc[1], r.address, [1], [1], b"").transact({"from": acc[1]})
    with lib.reverts(r, "TokensReceiverRefused(code=7)"):
        mt.functions.mint(r.address, 1, 1, b"").transact({"from": acc[0]})


def test_receiver_sees_final_state_and_can_reenter(lib, mt):
    acc = lib.accounts
    r = lib.deploy("TokensERC1155Receiver", REENTER)
    receipt = lib.send(mt.functions.safeTransferFrom(acc[1], r.address, 1, 10, b""), sender=1)
    assert r.functions.observedBalance().call() == 10  # credited before the hook ran
    assert lib.events(mt, receipt, "TransferSingle") == [
        {"operator": acc[1], "from": acc[1], "to": r.address, "id": 1, "value": 10},
        {"operator": r.address, "from": r.address, "to": acc[1], "id": 1, "value": 5},
    ]
    assert balances(mt, [(acc[1], 1), (r.address, 1)]) == [95, 5]
    lib.send(mt.functions.safeBatchTransferFrom(acc[1], r.address, [2, 3], [20, 30], b""), sender=1)
    assert r.functions.observedBalance().call() == 20


def test_burn_and_burn_batch(lib, mt):
    acc = lib.accounts
    receipt = lib.send(mt.functions.burn(acc[1], 1, 30), sender=1)
    assert lib.events(mt, receipt, "TransferSingle") == [
        {"operator": acc[1], "from": acc[1], "to": ZERO, "id": 1, "value": 30}]
    receipt = lib.send(mt.functions.burnBatch(acc[1], [2, 3], [200, 1]), sender=1)
    assert lib.events(mt, receipt, "TransferBatch") == [
        {"operator": acc[1], "from": acc[1], "to": ZERO, "ids": [2, 3], "values": [200, 1]}]
    assert [mt.functions.totalSupply(i).call() for i in (1, 2, 3)] == [70, 0, 299]
    assert mt.functions.exists(2).call() is False
    with lib.reverts(mt, f"ERC1155InsufficientBalance(sender={acc[1]}, balance=70, needed=71, tokenId=1)"):
        mt.functions.burn(acc[1], 1, 71).transact({"from": acc[1]})
    with lib.reverts(mt, "ERC1155InvalidArrayLength(idsLength=2, valuesLength=1)"):
        mt.functions.burnBatch(acc[1], [1, 3], [1]).transact({"from": acc[1]})
    # strangers (even the admin) need to be operators or hold BURNER_ROLE
    for sender in (2, 0):
        with lib.reverts(mt, f"ERC1155MissingApprovalForAll(operator={acc[sender]}, owner={acc[1]})"):
            mt.functions.burn(acc[1], 1, 1).transact({"from": acc[sender]})
        with lib.reverts(mt, f"ERC1155MissingApprovalForAll(operator={acc[sender]}, owner={acc[1]})"):
            mt.functions.burnBatch(acc[1], [1], [1]).transact({"from": acc[sender]})
    lib.send(mt.functions.setApprovalForAll(acc[2], True), sender=1)
    receipt = lib.send(mt.functions.burn(acc[1], 1, 20), sender=2)
    assert lib.events(mt, receipt, "TransferSingle")[0]["operator"] == acc[2]
    lib.send(mt.functions.grantRole(BURNER, acc[6]))
    lib.send(mt.functions.burnBatch(acc[1], [1, 3], [50, 299]), sender=6)
    assert balances(mt, [(acc[1], 1), (acc[1], 3)]) == [0, 0]
    assert [mt.functions.totalSupply(i).call() for i in (1, 3)] == [0, 0]


def test_pause(lib, mt):
    acc = lib.accounts
    with lib.reverts(mt, f"AccessControlUnauthorizedAccount(account={acc[1]}, neededRole=0x{PAUSER.hex()})"):
        mt.functions.pause().transact({"from": acc[1]})
    lib.send(mt.functions.pause())
    for fn, sender in [
        (mt.functions.safeTransferFrom(acc[1], acc[2], 1, 1, b""), 1),
        (mt.functions.safeBatchTransferFrom(acc[1], acc[2], [1], [1], b""), 1),
        (mt.functions.mint(acc[1], 1, 1, b""), 0),
        (mt.functions.mintBatch(acc[1], [1], [1], b""), 0),
        (mt.functions.burn(acc[1], 1, 1), 1),
        (mt.functions.burnBatch(acc[1], [1], [1]), 1),
    ]:
        with lib.reverts(mt, "EnforcedPause()"):
            fn.transact({"from": acc[sender]})
    lib.send(mt.functions.setApprovalForAll(acc[2], True), sender=1)  # approvals still work
    receipt = lib.send(mt.functions.unpause())
    assert lib.events(mt, receipt, "Unpaused") == [{"account": acc[0]}]
    lib.send(mt.functions.safeTransferFrom(acc[1], acc[3], 1, 1, b""), sender=2)
    assert mt.functions.balanceOf(acc[3], 1).call() == 1


def test_base_internals(lib):
    acc = lib.accounts
    h = lib.deploy("TokensERC1155Harness")
    assert h.functions.uri(5).call() == "ipfs://x/{id}.json"
    lib.send(h.functions.setURI("new"))
    assert h.functions.uri(5).call() == "new"
    with lib.reverts(h, f"ERC1155InvalidSender(sender={ZERO})"):
        h.functions.burn(ZERO, 1, 0).transact({"from": acc[0]})
    with lib.reverts(h, f"ERC1155InvalidSender(sender={ZERO})"):
        h.functions.burnBatch(ZERO, [1], [0]).transact({"from": acc[0]})
    # the zero address has no operators, so a transfer "from" it fails the operator check first
    with lib.reverts(h, f"ERC1155MissingApprovalForAll(operator={acc[0]}, owner={ZERO})"):
        h.functions.safeTransferFrom(ZERO, acc[1], 1, 0, b"").transact({"from": acc[0]})
    lib.send(h.functions.mint(acc[1], 1, 5, b""))
    lib.send(h.functions.burn(acc[1], 1, 5))  # no authorization at this level
    assert h.functions.totalSupply(1).call() == 0
