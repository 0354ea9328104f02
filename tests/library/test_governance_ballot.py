"""WeightedBallot: weights, time-boxed voting, quorum, ties, cancellation."""

from __future__ import annotations

import pytest
from eth_utils import keccak

ZERO = "0x" + "00" * 20
DESC = keccak(text="pick a colour")


@pytest.fixture
def wb(lib):
    c = lib.deploy("WeightedBallot", lib.accounts[0])
    for voter, weight in ((1, 10), (2, 7), (3, 3)):
        lib.send(c.functions.setWeight(lib.accounts[voter], weight), sender=0)
    return c


def new_ballot(lib, wb, options=3, quorum=10, length=1000):
    start = lib.now() + 100
    receipt = lib.send(wb.functions.createBallot(DESC, options, start, start + length, quorum), sender=0)
    return lib.events(wb, receipt, "BallotCreated")[0]["id"], start, start + length


def test_weights(lib, wb):
    acc = lib.accounts
    assert wb.functions.weightOf(acc[1]).call() == 10
    assert wb.functions.totalWeight().call() == 20
    receipt = lib.send(wb.functions.setWeight(acc[1], 4), sender=0)
    assert lib.events(wb, receipt, "WeightSet") == [{"voter": acc[1], "weight": 4}]
    assert wb.functions.totalWeight().call() == 14
    with lib.reverts(wb, f"NotChair(caller={acc[1]})"):
        wb.functions.setWeight(acc[1], 100).transact({"from": acc[1]})
    with lib.reverts(wb, "ZeroAddress()"):
        wb.functions.setWeight(ZERO, 1).transact({"from": acc[0]})


def test_create_ballot_validation(lib, wb):
    acc = lib.accounts
    t = lib.now() + 100
    with lib.reverts(wb, "InvalidOptionCount(optionCount=1)"):
        wb.functions.createBallot(DESC, 1, t, t + 10, 0).transact({"from": acc[0]})
    with lib.reverts(wb, "InvalidOptionCount(optionCount=17)"):
        wb.functions.createBallot(DESC, 17, t, t + 10, 0).transact({"from": acc[0]})
    with lib.reverts(wb, f"InvalidSchedule(start={t}, end={t})"):
        wb.functions.createBallot(DESC, 2, t, t, 0).transact({"from": acc[0]})
    with lib.reverts(wb, "InvalidSchedule(start=5, end=10)"):
        wb.functions.createBallot(DESC, 2, 5, 10, 0).transact({"from": acc[0]})
    with lib.reverts(wb, f"NotChair(caller={acc[1]})"):
        wb.functions.createBallot(DESC, 2, t, t + 10, 0).transact({"from": acc[1]})
    receipt = lib.send(wb.functions.createBallot(DESC, 16, t, t + 10, 5), sender=0)
    assert lib.events(wb, receipt, "BallotCreated") == [
        {"id": 0, "descriptionHash": DESC, "optionCount": 16, "start": t, "end": t + 10, "quorum": 5}]
    assert wb.functions.ballotCount().call() == 1
    with lib.reverts(wb, "UnknownBallot(id=1)"):
        wb.functions.getBallot(1).call()


def test_weighted_vote_and_result(lib, wb):
    acc = lib.accounts
    bid, start, end = new_ballot(lib, wb)
    with lib.reverts(wb, f"VotingNotStarted(id={bid}, start={start})"):
        wb.functions.vote(bid, 0).transact({"from": acc[1]})
    lib.at(start)
    receipt = lib.send(wb.functions.vote(bid, 2), sender=2)
    assert lib.events(wb, receipt, "Voted") == [{"id": bid, "voter": acc[2], "option": 2, "weight": 7}]
    lib.send(wb.functions.vote(bid, 2), sender=3)
    lib.send(wb.functions.vote(bid, 0), sender=1)
    assert wb.functions.choiceOf(bid, acc[2]).call() == [True, 2]
    assert wb.functions.choiceOf(bid, acc[4]).call() == [False, 0]
    # two voters chose option 2 (7 + 3), one chose option 0 (10): the weights tie
    assert wb.functions.getBallot(bid).call()[4:] == [20, False, [10, 0, 10]]
    with lib.reverts(wb, f"VotingNotEnded(id={bid}, end={end})"):
        wb.functions.result(bid).call()
    lib.at(end)
    with lib.reverts(wb, f"VotingClosed(id={bid}, end={end})"):
        wb.functions.vote(bid, 1).transact({"from": acc[4]})
    lib.mine(end)
    assert wb.functions.result(bid).call() == [0, 10, True, True]  # tied lead


def test_weight_beats_headcount(lib, wb):
    acc = lib.accounts
    lib.send(wb.functions.setWeight(acc[4], 1), sender=0)
    bid, start, end = new_ballot(lib, wb, options=2, quorum=12)
    lib.at(start)
    lib.send(wb.functions.vote(bid, 1), sender=1)        # 10
    lib.send(wb.functions.vote(bid, 0), sender=3)        # 3
    lib.send(wb.functions.vote(bid, 0), sender=4)        # 1
    lib.mine(end)
    assert wb.functions.result(bid).call() == [1, 10, True, False]


def test_quorum(lib, wb):
    bid, start, end = new_ballot(lib, wb, quorum=11)
    lib.at(start)
    lib.send(wb.functions.vote(bid, 1), sender=1)
    lib.mine(end)
    assert wb.functions.result(bid).call() == [1, 10, False, False]
    empty, _, end2 = new_ballot(lib, wb, quorum=0)
    lib.mine(end2)
    assert wb.functions.result(empty).call() == [0, 0, False, False]


def test_vote_errors(lib, wb):
    acc = lib.accounts
    bid, start, _ = new_ballot(lib, wb)
    lib.at(start)
    lib.send(wb.functions.vote(bid, 1), sender=1)
    with lib.reverts(wb, f"AlreadyVoted(id={bid}, voter={acc[1]})"):
        wb.functions.vote(bid, 0).transact({"from": acc[1]})
    with lib.reverts(wb, f"NoVotingWeight(voter={acc[5]})"):
        wb.functions.vote(bid, 0).transact({"from": acc[5]})
    with lib.reverts(wb, f"InvalidOption(id={bid}, option=3)"):
        wb.functions.vote(bid, 3).transact({"from": acc[2]})
    with lib.reverts(wb, "UnknownBallot(id=9)"):
        wb.functions.vote(9, 0).transact({"from": acc[2]})
    # raising a weight after voting does not change the cast vote
    lib.send(wb.functions.setWeight(acc[1], 50), sender=0)
    assert wb.functions.getBallot(bid).call()[6] == [0, 10, 0]


def test_cancel(lib, wb):
    acc = lib.accounts
    bid, start, end = new_ballot(lib, wb)
    with lib.reverts(wb, f"NotChair(caller={acc[1]})"):
        wb.functions.cancelBallot(bid).transact({"from": acc[1]})
    receipt = lib.send(wb.functions.cancelBallot(bid), sender=0)
    assert lib.events(wb, receipt, "BallotCancelled") == [{"id": bid}]
    with lib.reverts(wb, f"BallotIsCancelled(id={bid})"):
        wb.functions.cancelBallot(bid).transact({"from": acc[0]})
    lib.at(start)
    with lib.reverts(wb, f"BallotIsCancelled(id={bid})"):
        wb.functions.vote(bid, 0).transact({"from": acc[1]})
    other, _, end2 = new_ballot(lib, wb)
    lib.mine(end2)
    with lib.reverts(wb, f"BallotIsCancelled(id={bid})"):
        wb.functions.result(bid).call()
    with lib.reverts(wb, f"VotingClosed(id={other}, end={end2})"):  # too late to cancel
        wb.functions.cancelBallot(other).transact({"from": acc[0]})


def test_chair_handover(lib, wb):
    acc = lib.accounts
    with lib.reverts(wb, f"NotChair(caller={acc[1]})"):
        wb.functions.setChair(acc[1]).transact({"from": acc[1]})
    with lib.reverts(wb, "ZeroAddress()"):
        wb.functions.setChair(ZERO).transact({"from": acc[0]})
    receipt = lib.send(wb.functions.setChair(acc[1]), sender=0)
    assert lib.events(wb, receipt, "ChairChanged") == [{"previousChair": acc[0], "newChair": acc[1]}]
    assert wb.functions.chair().call() == acc[1]
    with lib.reverts(wb, f"NotChair(caller={acc[0]})"):
        wb.functions.setWeight(acc[2], 1).transact({"from": acc[0]})
    lib.send(wb.functions.setWeight(acc[2], 1), sender=1)
