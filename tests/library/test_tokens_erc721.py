"""ERC721 / NonFungibleToken: ownership, approvals, operators, safe transfers against receiver mocks, ERC-165,
token URIs, role-gated mint/burn, pause, and every error."""

from __future__ import annotations

import pytest
from eth_utils import keccak

ZERO = "0x" + "00" * 20
MAX = 2**256 - 1
MINTER = keccak(text="MINTER_ROLE")
BURNER = keccak(text="BURNER_ROLE")
PAUSER = keccak(text="PAUSER_ROLE")
ACCEPT, REVERT_EMPTY, REVERT_REASON, REVERT_CUSTOM, WRONG_SELECTOR, RETURN_NOTHING, REENTER = range(7)


@pytest.fixture
def nft(lib):
    t = lib.deploy("NonFungibleToken", "Alliance Badges", "BDG", "https://x.test/b/", lib.accounts[0])
    lib.send(t.functions.mint(lib.accounts[1], 1))
    lib.send(t.functions.mint(lib.accounts[1], 2))
    return t


def safe3(t):
    return t.get_function_by_signature("safeTransferFrom(address,address,uint256)")


def safe4(t):
    return t.get_function_by_signature("safeTransferFrom(address,address,uint256,bytes)")


def test_constructor_metadata_and_interfaces(lib):
    acc = lib.accounts
    t = lib.deploy("NonFungibleToken", "Alliance Badges", "BDG", "", acc[0])
    receipt = lib.w3.eth.get_transaction_receipt(lib.w3.eth.get_block("latest")["transactions"][0])
    assert lib.events(t, receipt, "BaseURIChanged") == [{"baseURI": ""}]
    assert [e["role"] for e in lib.events(t, receipt, "RoleGranted")] == [bytes(32), MINTER, PAUSER]
    assert t.functions.name().call() == "Alliance Badges"
    assert t.functions.symbol().call() == "BDG"
    reader = lib.deploy("TokensReader")
    ids = [bytes.fromhex(x) for x in ("01ffc9a7", "80ac58cd", "5b5e139f", "780e9d63", "d9b67a26", "ffffffff", "00000000")]
    assert reader.functions.supportsAll(t.address, ids).call() == [True, True, True, False, False, False, False]
    art = lib.artifact("NonFungibleToken")
    factory = lib.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
    with lib.reverts(factory, f"NonFungibleTokenInvalidAdmin(admin={ZERO})"):
        factory.constructor("A", "A", "", ZERO).transact({"from": acc[0]})


def test_mint_and_views(lib, nft):
    acc = lib.accounts
    receipt = lib.send(nft.functions.mint(acc[2], MAX))
    assert lib.events(nft, receipt, "Transfer") == [{"from": ZERO, "to": acc[2], "tokenId": MAX}]
    assert nft.functions.ownerOf(MAX).call() == acc[2]
    assert nft.functions.balanceOf(acc[1]).call() == 2
    assert nft.functions.balanceOf(acc[2]).call() == 1
    assert nft.functions.balanceOf(acc[3]).call() == 0
    assert nft.functions.exists(MAX).call() is True
    assert nft.functions.exists(0).call() is False
    assert nft.functions.getApproved(1).call() == ZERO
    assert nft.functions.tokenURI(1).call() == "https://x.test/b/1"
    assert nft.functions.tokenURI(MAX).call() == f"https://x.test/b/{MAX}"
    lib.send(nft.functions.mint(acc[2], 0))  # id 0 is an ordinary id
    assert nft.functions.ownerOf(0).call() == acc[2]
    with lib.reverts(nft, "ERC721TokenExists(tokenId=1)"):
        nft.functions.mint(acc[3], 1).transact({"from": acc[0]})
    with lib.reverts(nft, f"ERC721InvalidReceiver(receiver={ZERO})"):
        nft.functions.mint(ZERO, 5).transact({"from": acc[0]})
    with lib.reverts(nft, f"AccessControlUnauthorizedAccount(account={acc[1]}, neededRole=0x{MINTER.hex()})"):
        nft.functions.mint(acc[1], 5).transact({"from": acc[1]})
    with lib.reverts(nft, f"AccessControlUnauthorizedAccount(account={acc[1]}, neededRole=0x{MINTER.hex()})"):
        nft.functions.safeMint(acc[1], 5, b"").transact({"from": acc[1]})
    with lib.reverts(nft, f"ERC721InvalidOwner(owner={ZERO})"):
        nft.functions.balanceOf(ZERO).call()
    for fn in (nft.functions.ownerOf, nft.functions.getApproved, nft.functions.tokenURI):
        with lib.reverts(nft, "ERC721NonexistentToken(tokenId=7)"):
            fn(7).call()


def test_base_uri(lib, nft):
    acc = lib.accounts
    receipt = lib.send(nft.functions.setBaseURI("ipfs://cid/"))
    assert lib.events(nft, receipt, "BaseURIChanged") == [{"baseURI": "ipfs://cid/"}]
    assert nft.functions.baseURI().call() == "ipfs://cid/"
    assert nft.functions.tokenURI(2).call() == "ipfs://cid/2"
    lib.send(nft.functions.setBaseURI(""))
    assert nft.functions.tokenURI(2).call() == ""
    with lib.reverts(nft, f"AccessControlUnauthorizedAccount(account={acc[1]}, neededRole=0x{'00' * 32})"):
        nft.functions.setBaseURI("x").transact({"from": acc[1]})


def test_transfer_from_and_approvals(lib, nft):
    acc = lib.accounts
    receipt = lib.send(nft.functions.transferFrom(acc[1], acc[2], 1), sender=1)
    assert lib.events(nft, receipt, "Transfer") == [{"from": acc[1], "to": acc[2], "tokenId": 1}]
    assert nft.functions.ownerOf(1).call() == acc[2]
    assert (nft.functions.balanceOf(acc[1]).call(), nft.functions.balanceOf(acc[2]).call()) == (1, 1)
    # approval of one token
    receipt = lib.send(nft.functions.approve(acc[3], 2), sender=1)
    assert lib.events(nft, receipt, "Approval") == [{"owner": acc[1], "approved": acc[3], "tokenId": 2}]
    assert nft.functions.getApproved(2).call() == acc[3]
    with lib.reverts(nft, f"ERC721InsufficientApproval(operator={acc[3]}, tokenId=1)"):
        nft.functions.transferFrom(acc[2], acc[3], 1).transact({"from": acc[3]})
    receipt = lib.send(nft.functions.transferFrom(acc[1], acc[4], 2), sender=3)
    assert lib.events(nft, receipt, "Approval") == []  # the Transfer event implies the reset
    assert nft.functions.getApproved(2).call() == ZERO  # cleared by the transfer
    with lib.reverts(nft, f"ERC721InsufficientApproval(operator={acc[3]}, tokenId=2)"):
        nft.functions.transferFrom(acc[4], acc[3], 2).transact({"from": acc[3]})
    # approve: only the owner or its operator
    with lib.reverts(nft, f"ERC721InvalidApprover(approver={acc[1]})"):
        nft.functions.approve(acc[1], 2).transact({"from": acc[1]})
    with lib.reverts(nft, "ERC721NonexistentToken(tokenId=9)"):
        nft.functions.approve(acc[1], 9).transact({"from": acc[1]})
    # operators
    receipt = lib.send(nft.functions.setApprovalForAll(acc[5], True), sender=4)
    assert lib.events(nft, receipt, "ApprovalForAll") == [{"owner": acc[4], "operator": acc[5], "approved": True}]
    assert nft.functions.isApprovedForAll(acc[4], acc[5]).call() is True
    receipt = lib.send(nft.functions.approve(acc[6], 2), sender=5)  # an operator may approve
    assert lib.events(nft, receipt, "Approval") == [{"owner": acc[4], "approved": acc[6], "tokenId": 2}]
    lib.send(nft.functions.approve(ZERO, 2), sender=5)  # and clear
    assert nft.functions.getApproved(2).call() == ZERO
    lib.send(nft.functions.transferFrom(acc[4], acc[5], 2), sender=5)
    assert nft.functions.ownerOf(2).call() == acc[5]
    receipt = lib.send(nft.functions.setApprovalForAll(acc[5], False), sender=4)
    assert lib.events(nft, receipt, "ApprovalForAll") == [{"owner": acc[4], "operator": acc[5], "approved": False}]
    assert nft.functions.isApprovedForAll(acc[4], acc[5]).call() is False
    with lib.reverts(nft, f"ERC721InvalidOperator(operator={ZERO})"):
        nft.functions.setApprovalForAll(ZERO, True).transact({"from": acc[1]})
    # wrong owner, zero receiver, unknown token
    with lib.reverts(nft, f"ERC721IncorrectOwner(sender={acc[1]}, tokenId=2, owner={acc[5]})"):
        nft.functions.transferFrom(acc[1], acc[3], 2).transact({"from": acc[5]})
    with lib.reverts(nft, f"ERC721InvalidReceiver(receiver={ZERO})"):
        nft.functions.transferFrom(acc[5], ZERO, 2).transact({"from": acc[5]})
    with lib.reverts(nft, "ERC721NonexistentToken(tokenId=3)"):
        nft.functions.transferFrom(acc[5], acc[1], 3).transact({"from": acc[5]})
    # transfer to self keeps the balance
    lib.send(nft.functions.transferFrom(acc[5], acc[5], 2), sender=5)
    assert nft.functions.balanceOf(acc[5]).call() == 1


def test_safe_transfer_to_eoa_and_accepting_receiver(lib, nft):
    acc = lib.accounts
    lib.send(safe3(nft)(acc[1], acc[2], 1), sender=1)
    assert nft.functions.ownerOf(1).call() == acc[2]
    r = lib.deploy("TokensERC721Receiver", ACCEPT)
    lib.send(nft.functions.setApprovalForAll(acc[3], True), sender=1)
    receipt = lib.send(safe4(nft)(acc[1], r.address, 2, b"\x12\x34"), sender=3)
    assert lib.events(nft, receipt, "Transfer") == [{"from": acc[1], "to": r.address, "tokenId": 2}]
    assert nft.functions.ownerOf(2).call() == r.address
    assert r.functions.calls().call() == 1
    assert r.functions.lastOperator().call() == acc[3]
    assert r.functions.lastFrom().call() == acc[1]
    assert r.functions.lastIds().call() == [2]
    assert r.functions.lastData().call() == b"\x12\x34"
    # the 3-argument overload passes empty data; a contract sender is the operator
    r2 = lib.deploy("TokensERC721Receiver", ACCEPT)
    lib.send(r.functions.forward(nft.address, r2.address, 2))
    assert nft.functions.ownerOf(2).call() == r2.address
    assert r2.functions.lastOperator().call() == r.address
    assert r2.functions.lastFrom().call() == r.address
    assert r2.functions.lastData().call() == b""
    # safeMint calls the hook with from = 0 and the minter as operator
    receipt = lib.send(nft.functions.safeMint(r.address, 10, b"hi"))
    assert lib.events(nft, receipt, "Transfer") == [{"from": ZERO, "to": r.address, "tokenId": 10}]
    assert (r.functions.lastOperator().call(), r.functions.lastFrom().call()) == (acc[0], ZERO)
    assert r.functions.lastData().call() == b"hi"
    lib.send(nft.functions.safeMint(acc[7], 11, b""))  # EOAs need no hook
    assert nft.functions.ownerOf(11).call() == acc[7]


def test_safe_transfer_rejected(lib, nft):
    """A receiver that reverts without data, returns a wrong value or nothing, or has no hook at all."""
    acc = lib.accounts
    r = lib.deploy("TokensERC721Receiver", REVERT_EMPTY)
    plain = lib.deploy("TokensNoReceiver")
    for target, mode in [(r, REVERT_EMPTY), (r, WRONG_SELECTOR), (r, RETURN_NOTHING), (plain, None)]:
        if mode is not None:
            lib.send(r.functions.setMode(mode))
        expected = f"ERC721InvalidReceiver(receiver={target.address})"
        with lib.reverts(nft, expected):
            safe3(nft)(acc[1], target.address, 1).transact({"from": acc[1]})
        with lib.reverts(nft, expected):
            safe4(nft)(acc[1], target.address, 1, b"x").transact({"from": acc[1]})
        with lib.reverts(nft, expected):
            nft.functions.safeMint(target.address, 5, b"").transact({"from": acc[0]})
    # the unchecked paths do not ask
    lib.send(nft.functions.transferFrom(acc[1], plain.address, 1), sender=1)
    lib.send(nft.functions.mint(r.address, 5))
    assert nft.functions.ownerOf(1).call() == plain.address
    assert nft.functions.ownerOf(5).call() == r.address


def test_safe_transfer_bubbles_receiver_reverts(lib, nft):
    acc = lib.accounts
    r = lib.deploy("TokensERC721Receiver", REVERT_REASON)
    with lib.reverts(nft, "TokensReceiver: no thanks"):
        safe3(nft)(acc[1], r.address, 1).transact({"from": acc[1]})
    with lib.reverts(nft, "TokensReceiver: no thanks"):
        nft.functions.safeMint(r.address, 5, b"").transact({"from": acc[0]})
    lib.send(r.functions.setMode(REVERT_CUSTOM))
    with lib.reverts(r, "TokensReceiverRefused(code=7)"):
        safe4(nft)(acc[1], r.address, 1, b"").transact({"from": acc[1]})
    assert nft.functions.ownerOf(1).call() == acc[1]  # nothing moved


def test_receiver_sees_final_state_and_can_reenter(lib, nft):
    acc = lib.accounts
    r = lib.deploy("TokensERC721Receiver", REENTER)
    receipt = lib.send(safe3(nft)(acc[1], r.address, 1), sender=1)
    # inside the hook the transfer was complete; the receiver passed the token straight back
    assert r.functions.observedOwner().call() == r.address
    assert r.functions.observedBalance().call() == 1
    assert lib.events(nft, receipt, "Transfer") == [
        {"from": acc[1], "to": r.address, "tokenId": 1},
        {"from": r.address, "to": acc[1], "tokenId": 1},
    ]
    assert nft.functions.ownerOf(1).call() == acc[1]
    assert nft.functions.balanceOf(r.address).call() == 0
    assert nft.functions.balanceOf(acc[1]).call() == 2
    lib.send(nft.functions.safeMint(r.address, 3, b""))  # minted, then handed to the operator (the minter)
    assert nft.functions.ownerOf(3).call() == acc[0]


def test_burn(lib, nft):
    acc = lib.accounts
    lib.send(nft.functions.approve(acc[2], 1), sender=1)
    receipt = lib.send(nft.functions.burn(1), sender=1)
    assert lib.events(nft, receipt, "Transfer") == [{"from": acc[1], "to": ZERO, "tokenId": 1}]
    assert nft.functions.balanceOf(acc[1]).call() == 1
    assert nft.functions.exists(1).call() is False
    with lib.reverts(nft, "ERC721NonexistentToken(tokenId=1)"):
        nft.functions.burn(1).transact({"from": acc[1]})
    # re-minting a burnt id starts clean (no stale approval)
    lib.send(nft.functions.mint(acc[3], 1))
    assert nft.functions.getApproved(1).call() == ZERO
    with lib.reverts(nft, f"ERC721InsufficientApproval(operator={acc[2]}, tokenId=1)"):
        nft.functions.burn(1).transact({"from": acc[2]})
    # approved address and operator may burn
    lib.send(nft.functions.approve(acc[2], 1), sender=3)
    lib.send(nft.functions.burn(1), sender=2)
    lib.send(nft.functions.setApprovalForAll(acc[4], True), sender=1)
    lib.send(nft.functions.burn(2), sender=4)
    assert nft.functions.balanceOf(acc[1]).call() == 0
    # the admin cannot burn others' tokens until BURNER_ROLE is granted
    lib.send(nft.functions.mint(acc[5], 9))
    with lib.reverts(nft, f"ERC721InsufficientApproval(operator={acc[0]}, tokenId=9)"):
        nft.functions.burn(9).transact({"from": acc[0]})
    lib.send(nft.functions.grantRole(BURNER, acc[6]))
    receipt = lib.send(nft.functions.burn(9), sender=6)
    assert lib.events(nft, receipt, "Transfer") == [{"from": acc[5], "to": ZERO, "tokenId": 9}]
    assert nft.functions.balanceOf(acc[5]).call() == 0


def test_pause(lib, nft):
    acc = lib.accounts
    with lib.reverts(nft, f"AccessControlUnauthorizedAccount(account={acc[1]}, neededRole=0x{PAUSER.hex()})"):
        nft.functions.pause().transact({"from": acc[1]})
    receipt = lib.send(nft.functions.pause())
    assert lib.events(nft, receipt, "Paused") == [{"account": acc[0]}]
    for fn, sender in [
        (nft.functions.transferFrom(acc[1], acc[2], 1), 1),
        (safe3(nft)(acc[1], acc[2], 1), 1),
        (nft.functions.mint(acc[1], 5), 0),
        (nft.functions.safeMint(acc[1], 5, b""), 0),
        (nft.functions.burn(1), 1),
    ]:
        with lib.reverts(nft, "EnforcedPause()"):
            fn.transact({"from": acc[sender]})
    lib.send(nft.functions.approve(acc[2], 1), sender=1)  # approvals still work
    lib.send(nft.functions.setApprovalForAll(acc[3], True), sender=1)
    with lib.reverts(nft, f"AccessControlUnauthorizedAccount(account={acc[1]}, neededRole=0x{PAUSER.hex()})"):
        nft.functions.unpause().transact({"from": acc[1]})
    lib.send(nft.functions.unpause())
    lib.send(nft.functions.transferFrom(acc[1], acc[4], 1), sender=2)
    assert nft.functions.ownerOf(1).call() == acc[4]


def test_base_internals(lib):
    acc = lib.accounts
    h = lib.deploy("TokensERC721Harness")
    lib.send(h.functions.mint(acc[1], 1))
    assert h.functions.tokenURI(1).call() == ""
    with lib.reverts(h, f"ERC721IncorrectOwner(sender={acc[2]}, tokenId=1, owner={acc[1]})"):
        h.functions.transferInternal(acc[2], acc[3], 1).transact({"from": acc[0]})
    with lib.reverts(h, f"ERC721InvalidReceiver(receiver={ZERO})"):
        h.functions.transferInternal(acc[1], ZERO, 1).transact({"from": acc[0]})
    with lib.reverts(h, "ERC721NonexistentToken(tokenId=2)"):
        h.functions.transferInternal(acc[1], acc[2], 2).transact({"from": acc[0]})
    with lib.reverts(h, "ERC721NonexistentToken(tokenId=2)"):
        h.functions.burn(2).transact({"from": acc[0]})
    lib.send(h.functions.transferInternal(acc[1], acc[2], 1))  # no authorization at this level
    assert h.functions.ownerOf(1).call() == acc[2]
    r = lib.deploy("TokensERC721Receiver", WRONG_SELECTOR)
    with lib.reverts(h, f"ERC721InvalidReceiver(receiver={r.address})"):
        h.functions.safeMint(r.address, 3, b"").transact({"from": acc[0]})
