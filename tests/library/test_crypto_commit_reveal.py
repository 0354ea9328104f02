"""CommitReveal: rounds with commit / reveal deadlines, commitments bound to committer, round,
contract and chain; every error; hooks of an inheriting contract."""

from __future__ import annotations

import pytest
from eth_abi import encode
from eth_utils import keccak

NONE, COMMIT, REVEAL, ENDED = range(4)
ZERO32 = b"\x00" * 32


def commitment(lib, contract, round_id, committer, value, salt) -> bytes:
    return keccak(encode(["address", "uint256", "uint256", "address", "bytes32", "bytes32"],
                         [contract.address, lib.w3.eth.chain_id, round_id, committer, value, salt]))


def v(text: str) -> bytes:
    return keccak(text=f"value:{text}")


def s(text: str) -> bytes:
    return keccak(text=f"salt:{text}")


@pytest.fixture
def cr(lib):
    return lib.deploy("CommitReveal")


def open_round(lib, cr, commit_for=100, reveal_for=100, sender=0):
    t = lib.now()
    receipt = lib.send(cr.functions.openRound(t + commit_for, t + commit_for + reveal_for), sender=sender)
    [ev] = lib.events(cr, receipt, "RoundOpened")
    return ev["round"], ev["commitDeadline"], ev["revealDeadline"]


def test_full_round(lib, cr):
    acc = lib.accounts
    t = lib.now()
    receipt = lib.send(cr.functions.openRound(t + 100, t + 200), sender=5)
    assert lib.events(cr, receipt, "RoundOpened") == [
        {"round": 1, "creator": acc[5], "commitDeadline": t + 100, "revealDeadline": t + 200}]
    assert cr.functions.roundCount().call() == 1
    assert cr.functions.getRound(1).call() == [acc[5], t + 100, t + 200, 0, 0]
    assert cr.functions.phase(1).call() == COMMIT

    players = {1: ("rock", "a"), 2: ("paper", "b"), 3: ("scissors", "c")}
    for i, (value, salt) in players.items():
        c = commitment(lib, cr, 1, acc[i], v(value), s(salt))
        assert cr.functions.computeCommitment(1, acc[i], v(value), s(salt)).call() == c
        receipt = lib.send(cr.functions.commit(1, c), sender=i)
        assert lib.events(cr, receipt, "Committed") == [{"round": 1, "committer": acc[i], "commitment": c}]
        assert cr.functions.commitmentOf(1, acc[i]).call() == c
        assert cr.functions.revealOf(1, acc[i]).call() == [False, ZERO32]
    assert cr.functions.getRound(1).call()[3:] == [3, 0]

    lib.at(t + 150)
    assert cr.functions.phase(1).call() == REVEAL
    for i, (value, salt) in list(players.items())[:2]:  # player 3 never reveals
        receipt = lib.send(cr.functions.reveal(1, v(value), s(salt)), sender=i)
        assert lib.events(cr, receipt, "Revealed") == [{"round": 1, "committer": acc[i], "value": v(value)}]
        assert cr.functions.revealOf(1, acc[i]).call() == [True, v(value)]
    assert cr.functions.revealOf(1, acc[3]).call() == [False, ZERO32]
    assert cr.functions.getRound(1).call() == [acc[5], t + 100, t + 200, 3, 2]

    lib.at(t + 250)
    lib.w3.provider.make_request("evm_mine", [])
    assert cr.functions.phase(1).call() == ENDED
    with lib.reverts(cr, f"WrongPhase(round=1, expected={REVEAL}, actual={ENDED})"):
        cr.functions.reveal(1, v("scissors"), s("c")).transact({"from": acc[3]})
    with lib.reverts(cr, f"WrongPhase(round=1, expected={COMMIT}, actual={ENDED})"):
        cr.functions.commit(1, keccak(text="late")).transact({"from": acc[4]})


def test_phase_boundaries_are_inclusive_deadlines(lib, cr):
    acc = lib.accounts
    rid, commit_end, reveal_end = open_round(lib, cr)
    c1 = commitment(lib, cr, rid, acc[1], v("x"), s("x"))
    c2 = commitment(lib, cr, rid, acc[2], v("y"), s("y"))
    c3 = commitment(lib, cr, rid, acc[3], v("z"), s("z"))
    lib.send(cr.functions.commit(rid, c1), sender=1)
    lib.at(commit_end)  # last second of the commit phase
    receipt = lib.send(cr.functions.commit(rid, c2), sender=2)
    assert lib.w3.eth.get_block(receipt["blockNumber"])["timestamp"] == commit_end
    # one second later: commits are over, reveals start
    with lib.reverts(cr, f"WrongPhase(round={rid}, expected={COMMIT}, actual={REVEAL})"):
        cr.functions.commit(rid, c3).transact({"from": acc[3]})
    receipt = lib.send(cr.functions.reveal(rid, v("x"), s("x")), sender=1)
    assert lib.w3.eth.get_block(receipt["blockNumber"])["timestamp"] == commit_end + 1
    lib.at(reveal_end)  # last second of the reveal phase
    lib.send(cr.functions.reveal(rid, v("y"), s("y")), sender=2)
    assert cr.functions.getRound(rid).call()[3:] == [2, 2]


def test_reveal_during_commit_phase_rejected(lib, cr):
    acc = lib.accounts
    rid, _, _ = open_round(lib, cr)
    lib.send(cr.functions.commit(rid, commitment(lib, cr, rid, acc[1], v("x"), s("x"))), sender=1)
    with lib.reverts(cr, f"WrongPhase(round={rid}, expected={REVEAL}, actual={COMMIT})"):
        cr.functions.reveal(rid, v("x"), s("x")).transact({"from": acc[1]})


def test_open_round_validation(lib, cr):
    acc = lib.accounts
    t = lib.now()
    nxt = t + 1  # timestamp of the next block
    for commit_dl, reveal_dl in [(nxt, nxt + 10), (t - 5, t + 10), (0, 0), (nxt + 10, nxt + 10), (nxt + 10, nxt + 9)]:
        with lib.reverts(cr, f"InvalidDeadlines(commitDeadline={commit_dl}, revealDeadline={reveal_dl}, timestamp="):
            cr.functions.openRound(commit_dl, reveal_dl).transact({"from": acc[0]})
    # the tightest valid schedule: one commit second, one reveal second; max uint64 deadlines are fine
    lib.send(cr.functions.openRound(nxt + 1, nxt + 2))
    big = 2**64 - 1
    lib.send(cr.functions.openRound(big - 1, big))
    assert cr.functions.roundCount().call() == 2
    assert cr.functions.getRound(2).call()[1:3] == [big - 1, big]


def test_unknown_round(lib, cr):
    acc = lib.accounts
    open_round(lib, cr)
    for rid in (0, 2, 2**256 - 1):
        assert cr.functions.phase(rid).call() == NONE
        with lib.reverts(cr, f"UnknownRound(round={rid})"):
            cr.functions.commit(rid, keccak(text="c")).transact({"from": acc[1]})
        with lib.reverts(cr, f"UnknownRound(round={rid})"):
            cr.functions.reveal(rid, v("x"), s("x")).transact({"from": acc[1]})
    assert cr.functions.getRound(7).call() == ["0x" + "00" * 20, 0, 0, 0, 0]


def test_commit_errors(lib, cr):
    acc = lib.accounts
    rid, _, _ = open_round(lib, cr)
    with lib.reverts(cr, "EmptyCommitment()"):
        cr.functions.commit(rid, ZERO32).transact({"from": acc[1]})
    c = commitment(lib, cr, rid, acc[1], v("x"), s("x"))
    lib.send(cr.functions.commit(rid, c), sender=1)
    with lib.reverts(cr, f"AlreadyCommitted(round={rid}, committer={acc[1]})"):
        cr.functions.commit(rid, keccak(text="changed my mind")).transact({"from": acc[1]})
    assert cr.functions.commitmentOf(rid, acc[1]).call() == c


def test_reveal_errors(lib, cr):
    acc = lib.accounts
    rid, commit_end, _ = open_round(lib, cr)
    lib.send(cr.functions.commit(rid, commitment(lib, cr, rid, acc[1], v("x"), s("x"))), sender=1)
    lib.at(commit_end + 1)
    with lib.reverts(cr, f"NoCommitment(round={rid}, committer={acc[2]})"):
        cr.functions.reveal(rid, v("x"), s("x")).transact({"from": acc[2]})
    mismatch = f"CommitmentMismatch(round={rid}, committer={acc[1]})"
    for value, salt in [(v("y"), s("x")), (v("x"), s("y")), (ZERO32, ZERO32), (s("x"), v("x"))]:
        with lib.reverts(cr, mismatch):
            cr.functions.reveal(rid, value, salt).transact({"from": acc[1]})
    lib.send(cr.functions.reveal(rid, v("x"), s("x")), sender=1)
    with lib.reverts(cr, f"AlreadyRevealed(round={rid}, committer={acc[1]})"):
        cr.functions.reveal(rid, v("x"), s("x")).transact({"from": acc[1]})
    assert cr.functions.getRound(rid).call()[3:] == [1, 1]


def test_copied_commitment_cannot_be_revealed(lib, cr):
    """Front-running: copying someone's commitment (or their reveal) does not let you claim their value."""
    acc = lib.accounts
    rid, commit_end, _ = open_round(lib, cr)
    c = commitment(lib, cr, rid, acc[1], v("secret"), s("pepper"))
    lib.send(cr.functions.commit(rid, c), sender=1)
    lib.send(cr.functions.commit(rid, c), sender=2)  # the copycat
    lib.at(commit_end + 1)
    lib.send(cr.functions.reveal(rid, v("secret"), s("pepper")), sender=1)
    with lib.reverts(cr, f"CommitmentMismatch(round={rid}, committer={acc[2]})"):
        cr.functions.reveal(rid, v("secret"), s("pepper")).transact({"from": acc[2]})


def test_commitment_not_replayable_across_rounds_and_contracts(lib, cr):
    acc = lib.accounts
    r1, _, _ = open_round(lib, cr, commit_for=100)
    r2, commit_end2, _ = open_round(lib, cr, commit_for=110)
    other = lib.deploy("CommitReveal")
    r_other, _, _ = open_round(lib, other, commit_for=100)
    assert (r1, r2, r_other) == (1, 2, 1)
    c1 = commitment(lib, cr, r1, acc[1], v("x"), s("x"))
    assert c1 != commitment(lib, cr, r2, acc[1], v("x"), s("x"))
    assert c1 != commitment(lib, other, r1, acc[1], v("x"), s("x"))
    assert c1 != commitment(lib, cr, r1, acc[2], v("x"), s("x"))
    # reusing round 1's commitment in round 2, or on another contract, cannot be revealed there
    lib.send(cr.functions.commit(r1, c1), sender=1)
    lib.send(cr.functions.commit(r2, c1), sender=1)
    lib.send(other.functions.commit(r_other, c1), sender=1)
    lib.at(commit_end2 + 1)
    lib.send(cr.functions.reveal(r1, v("x"), s("x")), sender=1)
    with lib.reverts(cr, f"CommitmentMismatch(round={r2}, committer={acc[1]})"):
        cr.functions.reveal(r2, v("x"), s("x")).transact({"from": acc[1]})
    with lib.reverts(other, f"CommitmentMismatch(round={r_other}, committer={acc[1]})"):
        other.functions.reveal(r_other, v("x"), s("x")).transact({"from": acc[1]})
    # rounds keep separate state
    assert cr.functions.revealOf(r1, acc[1]).call() == [True, v("x")]
    assert cr.functions.revealOf(r2, acc[1]).call() == [False, ZERO32]
    assert cr.functions.getRound(r1).call()[3:] == [1, 1]
    assert cr.functions.getRound(r2).call()[3:] == [1, 0]


def test_overlapping_rounds_have_independent_phases(lib, cr):
    acc = lib.accounts
    r1, end1, _ = open_round(lib, cr, commit_for=50, reveal_for=50)
    r2, _, _ = open_round(lib, cr, commit_for=200, reveal_for=50)
    lib.send(cr.functions.commit(r1, commitment(lib, cr, r1, acc[1], v("a"), s("a"))), sender=1)
    lib.at(end1 + 10)
    lib.w3.provider.make_request("evm_mine", [])
    assert [cr.functions.phase(r).call() for r in (r1, r2)] == [REVEAL, COMMIT]
    lib.send(cr.functions.commit(r2, commitment(lib, cr, r2, acc[1], v("b"), s("b"))), sender=1)
    lib.send(cr.functions.reveal(r1, v("a"), s("a")), sender=1)


def test_inheriting_contract_hooks_and_restricted_open(lib):
    acc = lib.accounts
    mock = lib.deploy("CommitRevealHookMock", sender=0)
    t = lib.now()
    with lib.reverts(mock, f"CommitRevealHookMockNotOwner(caller={acc[1]})"):
        mock.functions.openRound(t + 100, t + 200).transact({"from": acc[1]})
    lib.send(mock.functions.openRound(t + 100, t + 200), sender=0)
    for i in (1, 2):
        lib.send(mock.functions.commit(1, commitment(lib, mock, 1, acc[i], v(str(i)), s(str(i)))), sender=i)
    assert mock.functions.hookCommits().call() == 2
    lib.at(t + 101)
    lib.send(mock.functions.reveal(1, v("2"), s("2")), sender=2)
    assert mock.functions.hookReveals().call() == 1
    assert mock.functions.lastValue().call() == v("2")
    assert mock.functions.lastRevealer().call() == acc[2]
    assert mock.functions.revealsSeenInHook().call() == 1  # state is final when the hook runs
