"""Voting: voter roll, scheduled multi-option proposals, one vote per voter, optional vote change, results with ties."""

from __future__ import annotations

import random

import pytest

ZERO = "0x" + "00" * 20
HOUR = 3600
PENDING, ACTIVE, ENDED, CANCELLED = range(4)


@pytest.fixture
def vt(lib):
    v = lib.deploy("Voting", lib.accounts[0])
    lib.send(v.functions.addVoters([lib.accounts[i] for i in range(1, 6)]), sender=0)
    return v


def propose(lib, vt, options=("yes", "no", "abstain"), change=False, start=None, length=HOUR, title="Q"):
    start = start if start is not None else lib.now() + 100
    r = lib.send(vt.functions.createProposal(title, list(options), start, start + length, change), sender=0)
    return lib.events(vt, r, "ProposalCreated")[0]["id"], start, start + length


def vote(lib, vt, pid, who, option):
    return lib.send(vt.functions.vote(pid, option), sender=who)


def test_voter_roll(lib):
    acc = lib.accounts
    vt = lib.deploy("Voting", acc[0])
    with lib.reverts(vt, f"OwnableUnauthorizedAccount(account={acc[1]})"):
        vt.functions.addVoters([acc[1]]).transact({"from": acc[1]})
    with lib.reverts(vt, "ZeroAddress()"):
        vt.functions.addVoters([acc[1], ZERO]).transact({"from": acc[0]})
    with lib.reverts(vt, f"AlreadyRegistered(voter={acc[1]})"):
        vt.functions.addVoters([acc[1], acc[2], acc[1]]).transact({"from": acc[0]})
    r = lib.send(vt.functions.addVoters([acc[1], acc[2], acc[3]]), sender=0)
    assert lib.events(vt, r, "VoterAdded") == [{"voter": acc[1]}, {"voter": acc[2]}, {"voter": acc[3]}]
    with lib.reverts(vt, f"AlreadyRegistered(voter={acc[2]})"):
        vt.functions.addVoters([acc[2]]).transact({"from": acc[0]})
    lib.send(vt.functions.addVoters([]), sender=0)  # empty batch: nothing happens
    with lib.reverts(vt, f"NotRegistered(voter={acc[4]})"):
        vt.functions.removeVoter(acc[4]).transact({"from": acc[0]})
    with lib.reverts(vt, f"OwnableUnauthorizedAccount(account={acc[1]})"):
        vt.functions.removeVoter(acc[1]).transact({"from": acc[1]})
    r = lib.send(vt.functions.removeVoter(acc[1]), sender=0)
    assert lib.events(vt, r, "VoterRemoved") == [{"voter": acc[1]}]
    assert vt.functions.voterCount().call() == 2
    assert sorted(vt.functions.voters(0, 10).call()) == sorted([acc[2], acc[3]])
    assert len(vt.functions.voters(1, 10).call()) == 1
    assert vt.functions.voters(2, 10).call() == []
    assert vt.functions.isVoter(acc[1]).call() is False and vt.functions.isVoter(acc[2]).call() is True

    with lib.reverts(vt, f"OwnableUnauthorizedAccount(account={acc[1]})"):
        vt.functions.closeRegistration().transact({"from": acc[1]})
    r = lib.send(vt.functions.closeRegistration(), sender=0)
    assert lib.events(vt, r, "RegistrationClosed") == [{}]
    assert vt.functions.registrationClosed().call() is True
    for call in (vt.functions.addVoters([acc[4]]), vt.functions.removeVoter(acc[2]), vt.functions.closeRegistration()):
        with lib.reverts(vt, "RegistrationIsClosed()"):
            call.transact({"from": acc[0]})


def test_create_proposal(lib, vt):
    acc = lib.accounts
    t = lib.now() + 50
    lib.at(t)
    create = vt.functions.createProposal
    with lib.reverts(vt, "InvalidOptionCount(count=1)"):
        create("Q", ["only"], t + 10, t + 20, False).transact({"from": acc[0]})
    with lib.reverts(vt, "InvalidOptionCount(count=17)"):
        create("Q", [str(i) for i in range(17)], t + 10, t + 20, False).transact({"from": acc[0]})
    with lib.reverts(vt, f"InvalidSchedule(start={t - 1}, end={t + 20})"):
        create("Q", ["a", "b"], t - 1, t + 20, False).transact({"from": acc[0]})
    with lib.reverts(vt, f"InvalidSchedule(start={t + 20}, end={t + 20})"):
        create("Q", ["a", "b"], t + 20, t + 20, False).transact({"from": acc[0]})
    with lib.reverts(vt, f"OwnableUnauthorizedAccount(account={acc[1]})"):
        create("Q", ["a", "b"], t + 10, t + 20, False).transact({"from": acc[1]})
    r = lib.send(create("Budget", ["a", "b", "c"], t + 10, t + 20, True), sender=0)
    assert lib.events(vt, r, "ProposalCreated") == [{
        "id": 1, "title": "Budget", "options": ["a", "b", "c"], "start": t + 10, "end": t + 20, "allowVoteChange": True}]
    assert tuple(vt.functions.getProposal(1).call()) == ("Budget", ["a", "b", "c"], t + 10, t + 20, True, False, 0, [0, 0, 0])
    assert vt.functions.proposalCount().call() == 1
    assert vt.functions.phase(1).call() == PENDING
    lib.send(create("Max", [str(i) for i in range(16)], t + 10, t + 20, False), sender=0)
    for view in (vt.functions.getProposal(0), vt.functions.phase(3), vt.functions.tallies(3), vt.functions.results(0)):
        with lib.reverts(vt, "UnknownProposal(id="):
            view.call()


def test_election(lib, vt):
    acc = lib.accounts
    pid, start, end = propose(lib, vt)
    with lib.reverts(vt, f"VotingNotStarted(id=1, start={start})"):
        vt.functions.vote(pid, 0).transact({"from": acc[1]})
    lib.mine(start)
    assert vt.functions.phase(pid).call() == ACTIVE
    with lib.reverts(vt, f"NotRegistered(voter={acc[6]})"):
        vt.functions.vote(pid, 0).transact({"from": acc[6]})
    with lib.reverts(vt, "InvalidOption(id=1, option=3)"):
        vt.functions.vote(pid, 3).transact({"from": acc[1]})
    with lib.reverts(vt, "UnknownProposal(id=2)"):
        vt.functions.vote(2, 0).transact({"from": acc[1]})
    r = vote(lib, vt, pid, 1, 0)
    assert lib.events(vt, r, "VoteCast") == [{"id": 1, "voter": acc[1], "option": 0}]
    for who, option in ((2, 0), (3, 1), (4, 2)):
        vote(lib, vt, pid, who, option)
    with lib.reverts(vt, f"AlreadyVoted(id=1, voter={acc[1]})"):
        vt.functions.vote(pid, 1).transact({"from": acc[1]})
    with lib.reverts(vt, f"AlreadyVoted(id=1, voter={acc[1]})"):
        vt.functions.vote(pid, 0).transact({"from": acc[1]})
    assert vt.functions.tallies(pid).call() == [2, 1, 1]
    assert vt.functions.voteOf(pid, acc[3]).call() == [True, 1]
    assert vt.functions.voteOf(pid, acc[5]).call() == [False, 0]
    with lib.reverts(vt, f"VotingNotEnded(id=1, end={end})"):
        vt.functions.results(pid).call()
    lib.mine(end - 1)
    assert vt.functions.phase(pid).call() == ACTIVE
    with lib.reverts(vt, f"VotingNotEnded(id=1, end={end})"):
        vt.functions.results(pid).call()
    lib.mine(end)
    with lib.reverts(vt, f"VotingClosed(id=1, end={end})"):
        vt.functions.vote(pid, 0).transact({"from": acc[5]})
    assert vt.functions.phase(pid).call() == ENDED
    assert vt.functions.results(pid).call() == [[2, 1, 1], [0], False]
    assert vt.functions.getProposal(pid).call()[6] == 4


def test_ties_and_no_votes(lib, vt):
    p1, s1, e1 = propose(lib, vt, options=("a", "b", "c", "d"))
    p2, _, _ = propose(lib, vt, options=("a", "b"), start=s1)
    lib.at(s1)
    for who, option in ((1, 3), (2, 1), (3, 3), (4, 1), (5, 0)):
        vote(lib, vt, p1, who, option)
    lib.mine(e1)
    assert vt.functions.results(p1).call() == [[1, 2, 0, 2], [1, 3], True]
    assert vt.functions.results(p2).call() == [[0, 0], [], False]


def test_vote_change_and_removed_voter(lib, vt):
    acc = lib.accounts
    pid, start, end = propose(lib, vt, change=True)
    lib.at(start)
    vote(lib, vt, pid, 1, 0)
    vote(lib, vt, pid, 2, 0)
    r = vote(lib, vt, pid, 1, 2)
    assert lib.events(vt, r, "VoteChanged") == [{"id": 1, "voter": acc[1], "fromOption": 0, "toOption": 2}]
    assert lib.events(vt, r, "VoteCast") == []
    with lib.reverts(vt, "VoteUnchanged(id=1, option=2)"):
        vt.functions.vote(pid, 2).transact({"from": acc[1]})
    assert vt.functions.tallies(pid).call() == [1, 0, 1]
    assert vt.functions.voteOf(pid, acc[1]).call() == [True, 2]
    assert vt.functions.getProposal(pid).call()[6] == 2  # a change is not a new vote
    # a removed voter's vote stays counted, but it can no longer change it
    lib.send(vt.functions.removeVoter(acc[2]), sender=0)
    with lib.reverts(vt, f"NotRegistered(voter={acc[2]})"):
        vt.functions.vote(pid, 1).transact({"from": acc[2]})
    lib.mine(end)
    assert vt.functions.results(pid).call() == [[1, 0, 1], [0, 2], True]


def test_cancel(lib, vt):
    acc = lib.accounts
    pid, start, end = propose(lib, vt)
    with lib.reverts(vt, f"OwnableUnauthorizedAccount(account={acc[1]})"):
        vt.functions.cancelProposal(pid).transact({"from": acc[1]})
    with lib.reverts(vt, "UnknownProposal(id=5)"):
        vt.functions.cancelProposal(5).transact({"from": acc[0]})
    lib.at(start)
    vote(lib, vt, pid, 1, 1)
    r = lib.send(vt.functions.cancelProposal(pid), sender=0)
    assert lib.events(vt, r, "ProposalCancelled") == [{"id": 1}]
    assert vt.functions.phase(pid).call() == CANCELLED
    with lib.reverts(vt, "ProposalIsCancelled(id=1)"):
        vt.functions.vote(pid, 0).transact({"from": acc[2]})
    with lib.reverts(vt, "ProposalIsCancelled(id=1)"):
        vt.functions.cancelProposal(pid).transact({"from": acc[0]})
    lib.mine(end)
    with lib.reverts(vt, "ProposalIsCancelled(id=1)"):
        vt.functions.results(pid).call()
    p2, s2, e2 = propose(lib, vt)
    lib.at(e2)
    with lib.reverts(vt, f"VotingClosed(id=2, end={e2})"):
        vt.functions.cancelProposal(p2).transact({"from": acc[0]})


def test_tallies_match_model(lib, vt):
    """With vote changes allowed, over seeded random vote sequences: tallies == the voters' last choices,
    totalVotes == distinct voters, winners == every option with the top tally."""
    rng = random.Random(1234)
    for _ in range(3):
        pid, start, end = propose(lib, vt, change=True)
        lib.at(start)
        choice: dict[int, int] = {}
        for _ in range(8):
            who, option = rng.randint(1, 5), rng.randint(0, 2)
            if choice.get(who) == option:
                continue
            vote(lib, vt, pid, who, option)
            choice[who] = option
        model = [sum(1 for c in choice.values() if c == o) for o in range(3)]
        lib.mine(end)
        tallies, winners, tie = vt.functions.results(pid).call()
        assert tallies == model
        assert vt.functions.getProposal(pid).call()[6] == len(choice) == sum(tallies)
        best = max(model)
        assert winners == [o for o in range(3) if model[o] == best]
        assert tie is (len(winners) > 1)


def test_organiser_hand_over(lib, vt):
    acc = lib.accounts
    lib.send(vt.functions.transferOwnership(acc[7]), sender=0)
    r = lib.send(vt.functions.acceptOwnership(), sender=7)
    assert lib.events(vt, r, "OwnershipTransferred") == [{"previousOwner": acc[0], "newOwner": acc[7]}]
    with lib.reverts(vt, f"OwnableUnauthorizedAccount(account={acc[0]})"):
        vt.functions.addVoters([acc[8]]).transact({"from": acc[0]})
    lib.send(vt.functions.addVoters([acc[8]]), sender=7)
    assert vt.functions.owner().call() == acc[7] and vt.functions.isVoter(acc[8]).call() is True
