"""Counter's tests: each starts from a fresh chain state (smartdev's pytest plugin
takes a snapshot before every test and reverts it afterwards)."""

import pytest

from smartdev.errors import RevertError


@pytest.fixture
def counter(deploy, accounts):
    return deploy("Counter", 10, sender=accounts[0])


def test_starts_where_it_was_told(counter, accounts):
    assert counter.count() == 10
    assert counter.owner() == accounts[0].address


def test_anyone_can_step_and_an_event_says_so(counter, accounts):
    result = counter.step_by(5, signer=accounts[1])
    assert result.status == 1
    [event] = result.events
    assert event["event"] == "Stepped"
    assert event["args"]["by"] == accounts[1].address
    assert event["args"]["count"] == 15
    counter.increment(signer=accounts[2])
    assert counter.count() == 16


def test_zero_steps_are_refused(counter):
    with pytest.raises(RevertError, match="ZeroStep"):
        counter.step_by(0)


def test_only_the_owner_resets(counter, accounts):
    with pytest.raises(RevertError, match="NotOwner"):
        counter.reset(signer=accounts[1])
    counter.reset(signer=accounts[0])
    assert counter.count() == 0


def test_each_test_starts_fresh(counter):
    assert counter.count() == 10  # whatever the other tests did is gone
