"""SupplyChain: participants, products, two-step custody hand-over, status rules, recall and the trace history."""

from __future__ import annotations

import pytest
from eth_utils import keccak

ZERO = "0x" + "00" * 20
REGISTRAR = keccak(text="REGISTRAR_ROLE")
ADMIN = b"\x00" * 32
# Role
NONE, PRODUCER, PROCESSOR, LOGISTICS, WAREHOUSE, RETAILER = range(6)
# Status
CREATED, PROCESSING, IN_TRANSIT, STORED, FOR_SALE, SOLD, RECALLED = range(1, 8)
# Action
A_CREATED, A_STATUS, A_OFFERED, A_OFFER_CANCELLED, A_DECLINED, A_ACCEPTED, A_RECALLED = range(7)


def code(label: str) -> bytes:
    return keccak(text=label)


def hx(b: bytes) -> str:
    return "0x" + b.hex()


def ts(lib, receipt) -> int:
    return lib.w3.eth.get_block(receipt["blockNumber"])["timestamp"]


@pytest.fixture
def sc(lib):
    """Admin 0; producer 1, logistics 2, retailer 3, processor 4 registered; 5 is an outsider."""
    c = lib.deploy("SupplyChain", lib.accounts[0])
    for i, role, name in ((1, PRODUCER, "Farm"), (2, LOGISTICS, "Trucks"), (3, RETAILER, "Shop"), (4, PROCESSOR, "Mill")):
        lib.send(c.functions.registerParticipant(lib.accounts[i], role, name), sender=0)
    return c


def create(lib, sc, label="lot-1", sender=1):
    receipt = lib.send(sc.functions.createProduct(code(label), "ipfs://" + label, "farm", "harvested"), sender=sender)
    return lib.events(sc, receipt, "ProductCreated")[0]["id"], receipt


def hand_over(lib, sc, pid, frm, to):
    lib.send(sc.functions.offerCustody(pid, lib.accounts[to], ""), sender=frm)
    lib.send(sc.functions.acceptCustody(pid, "", ""), sender=to)


def test_participants(lib, sc):
    acc = lib.accounts
    with lib.reverts(sc, f"AccessControlUnauthorizedAccount(account={acc[5]}, neededRole={hx(REGISTRAR)})"):
        sc.functions.registerParticipant(acc[5], WAREHOUSE, "x").transact({"from": acc[5]})
    with lib.reverts(sc, "ZeroAddress()"):
        sc.functions.registerParticipant(ZERO, WAREHOUSE, "x").transact({"from": acc[0]})
    with lib.reverts(sc, "InvalidRole()"):
        sc.functions.registerParticipant(acc[5], NONE, "x").transact({"from": acc[0]})
    with lib.reverts(sc, f"ParticipantExists(account={acc[1]})"):
        sc.functions.registerParticipant(acc[1], WAREHOUSE, "x").transact({"from": acc[0]})
    receipt = lib.send(sc.functions.registerParticipant(acc[5], WAREHOUSE, "Depot"), sender=0)
    assert lib.events(sc, receipt, "ParticipantRegistered") == [{"account": acc[5], "role": WAREHOUSE, "name": "Depot"}]
    assert tuple(sc.functions.participant(acc[5]).call()) == (WAREHOUSE, True, "Depot")
    assert tuple(sc.functions.participant(acc[6]).call()) == (NONE, False, "")

    with lib.reverts(sc, f"UnknownParticipant(account={acc[6]})"):
        sc.functions.updateParticipant(acc[6], RETAILER, "y").transact({"from": acc[0]})
    with lib.reverts(sc, "InvalidRole()"):
        sc.functions.updateParticipant(acc[5], NONE, "y").transact({"from": acc[0]})
    receipt = lib.send(sc.functions.updateParticipant(acc[5], RETAILER, "Depot 2"), sender=0)
    assert lib.events(sc, receipt, "ParticipantUpdated") == [{"account": acc[5], "role": RETAILER, "name": "Depot 2"}]

    with lib.reverts(sc, f"UnknownParticipant(account={acc[6]})"):
        sc.functions.setParticipantActive(acc[6], False).transact({"from": acc[0]})
    with lib.reverts(sc, f"AccessControlUnauthorizedAccount(account={acc[1]}, neededRole={hx(REGISTRAR)})"):
        sc.functions.setParticipantActive(acc[5], False).transact({"from": acc[1]})
    receipt = lib.send(sc.functions.setParticipantActive(acc[5], False), sender=0)
    assert lib.events(sc, receipt, "ParticipantActiveSet") == [{"account": acc[5], "active": False}]
    assert sc.functions.isActiveParticipant(acc[5]).call() is False
    assert sc.functions.isActiveParticipant(acc[1]).call() is True

    assert sc.functions.participantCount().call() == 5
    assert sc.functions.participants(0, 10).call() == [acc[1], acc[2], acc[3], acc[4], acc[5]]
    assert sc.functions.participants(3, 1).call() == [acc[4]]
    assert sc.functions.participants(5, 1).call() == []
    # a registrar that is not an admin
    lib.send(sc.functions.grantRole(REGISTRAR, acc[7]), sender=0)
    lib.send(sc.functions.registerParticipant(acc[8], LOGISTICS, "Ships"), sender=7)


def test_full_trace(lib, sc):
    acc = lib.accounts
    pid, r = create(lib, sc)
    assert pid == 1
    assert lib.events(sc, r, "ProductCreated") == [
        {"id": 1, "batchCode": code("lot-1"), "producer": acc[1], "metadataURI": "ipfs://lot-1"}]
    t = [ts(lib, r)]
    expected = [(A_CREATED, CREATED, acc[1], ZERO, t[0], "farm", "harvested")]
    assert tuple(sc.functions.getProduct(1).call()) == (code("lot-1"), acc[1], acc[1], ZERO, CREATED, t[0], "ipfs://lot-1")
    assert sc.functions.productIdOf(code("lot-1")).call() == 1

    r = lib.send(sc.functions.updateStatus(1, PROCESSING, "farm", "washing"), sender=1)
    assert lib.events(sc, r, "StatusUpdated") == [
        {"id": 1, "actor": acc[1], "from": CREATED, "to": PROCESSING, "location": "farm", "note": "washing"}]
    expected.append((A_STATUS, PROCESSING, acc[1], ZERO, ts(lib, r), "farm", "washing"))

    r = lib.send(sc.functions.offerCustody(1, acc[2], "pick up"), sender=1)
    assert lib.events(sc, r, "CustodyOffered") == [{"id": 1, "from": acc[1], "to": acc[2]}]
    assert sc.functions.getProduct(1).call()[3] == acc[2]
    expected.append((A_OFFERED, PROCESSING, acc[1], acc[2], ts(lib, r), "", "pick up"))
    r = lib.send(sc.functions.acceptCustody(1, "farm gate", "loaded"), sender=2)
    assert lib.events(sc, r, "CustodyTransferred") == [{"id": 1, "from": acc[1], "to": acc[2]}]
    expected.append((A_ACCEPTED, PROCESSING, acc[2], acc[1], ts(lib, r), "farm gate", "loaded"))

    r = lib.send(sc.functions.updateStatus(1, IN_TRANSIT, "A1 motorway", "2 degC"), sender=2)
    expected.append((A_STATUS, IN_TRANSIT, acc[2], ZERO, ts(lib, r), "A1 motorway", "2 degC"))
    r = lib.send(sc.functions.offerCustody(1, acc[3], ""), sender=2)
    expected.append((A_OFFERED, IN_TRANSIT, acc[2], acc[3], ts(lib, r), "", ""))
    r = lib.send(sc.functions.acceptCustody(1, "shop", "received"), sender=3)
    expected.append((A_ACCEPTED, IN_TRANSIT, acc[3], acc[2], ts(lib, r), "shop", "received"))
    r = lib.send(sc.functions.updateStatus(1, FOR_SALE, "shop", "shelf 4"), sender=3)
    expected.append((A_STATUS, FOR_SALE, acc[3], ZERO, ts(lib, r), "shop", "shelf 4"))
    r = lib.send(sc.functions.updateStatus(1, SOLD, "shop", "receipt 77"), sender=3)
    expected.append((A_STATUS, SOLD, acc[3], ZERO, ts(lib, r), "shop", "receipt 77"))

    assert [tuple(x) for x in sc.functions.trace(1).call()] == expected
    assert sc.functions.historyLength(1).call() == len(expected)
    assert [tuple(x) for x in sc.functions.history(1, 2, 3).call()] == expected[2:5]
    assert sc.functions.history(1, 99, 3).call() == []
    product = sc.functions.getProduct(1).call()
    assert (product[1], product[2], product[3], product[4]) == (acc[1], acc[3], ZERO, SOLD)
    with lib.reverts(sc, f"ProductClosed(id=1, status={SOLD})"):
        sc.functions.updateStatus(1, STORED, "", "").transact({"from": acc[3]})
    with lib.reverts(sc, f"ProductClosed(id=1, status={SOLD})"):
        sc.functions.offerCustody(1, acc[2], "").transact({"from": acc[3]})


def test_custody_index_invariant(lib, sc):
    """Every product is listed under exactly its custodian, whatever the hand-overs."""
    acc = lib.accounts
    for i in range(4):
        create(lib, sc, f"lot-{i}")
    hand_over(lib, sc, 2, 1, 2)
    hand_over(lib, sc, 4, 1, 4)
    hand_over(lib, sc, 2, 2, 3)
    hand_over(lib, sc, 4, 4, 2)
    hand_over(lib, sc, 1, 1, 3)
    custodians = {pid: sc.functions.getProduct(pid).call()[2] for pid in range(1, 5)}
    assert custodians == {1: acc[3], 2: acc[3], 3: acc[1], 4: acc[2]}
    total = 0
    for i in range(1, 6):
        listed = sc.functions.productsInCustody(acc[i], 0, 100).call()
        assert sc.functions.custodyCount(acc[i]).call() == len(listed)
        assert sorted(listed) == sorted(pid for pid, c in custodians.items() if c == acc[i])
        total += len(listed)
    assert total == sc.functions.productCount().call() == 4
    assert len(sc.functions.productsInCustody(acc[3], 1, 5).call()) == 1
    assert sc.functions.productsInCustody(acc[3], 2, 5).call() == []


def test_create_errors(lib, sc):
    acc = lib.accounts
    with lib.reverts(sc, f"RoleNotAllowed(account={acc[2]}, role={LOGISTICS})"):
        sc.functions.createProduct(code("x"), "", "", "").transact({"from": acc[2]})
    with lib.reverts(sc, f"UnknownParticipant(account={acc[5]})"):
        sc.functions.createProduct(code("x"), "", "", "").transact({"from": acc[5]})
    with lib.reverts(sc, "ZeroBatchCode()"):
        sc.functions.createProduct(b"\x00" * 32, "", "", "").transact({"from": acc[1]})
    create(lib, sc, "x")
    with lib.reverts(sc, f"BatchCodeTaken(batchCode={hx(code('x'))})"):
        sc.functions.createProduct(code("x"), "", "", "").transact({"from": acc[1]})
    with lib.reverts(sc, f"UnknownBatch(batchCode={hx(code('y'))})"):
        sc.functions.productIdOf(code("y")).call()
    lib.send(sc.functions.setParticipantActive(acc[1], False), sender=0)
    with lib.reverts(sc, f"ParticipantInactive(account={acc[1]})"):
        sc.functions.createProduct(code("y"), "", "", "").transact({"from": acc[1]})
    for view in (sc.functions.getProduct(2), sc.functions.trace(0), sc.functions.historyLength(2),
                 sc.functions.history(2, 0, 1)):
        with lib.reverts(sc, "UnknownProduct(id="):
            view.call()


def test_status_rules(lib, sc):
    acc = lib.accounts
    create(lib, sc)
    with lib.reverts(sc, "UnknownProduct(id=2)"):
        sc.functions.updateStatus(2, STORED, "", "").transact({"from": acc[1]})
    with lib.reverts(sc, f"NotCustodian(id=1, account={acc[2]})"):
        sc.functions.updateStatus(1, STORED, "", "").transact({"from": acc[2]})
    for bad in (NONE, CREATED, RECALLED):
        with lib.reverts(sc, f"InvalidStatus(status={bad})"):
            sc.functions.updateStatus(1, bad, "", "").transact({"from": acc[1]})
    for retail_only in (FOR_SALE, SOLD):
        with lib.reverts(sc, f"RoleNotAllowed(account={acc[1]}, role={PRODUCER})"):
            sc.functions.updateStatus(1, retail_only, "", "").transact({"from": acc[1]})
    hand_over(lib, sc, 1, 1, 3)
    with lib.reverts(sc, f"InvalidTransition(id=1, from={CREATED}, to={SOLD})"):
        sc.functions.updateStatus(1, SOLD, "", "").transact({"from": acc[3]})
    lib.send(sc.functions.updateStatus(1, FOR_SALE, "", ""), sender=3)
    lib.send(sc.functions.offerCustody(1, acc[2], ""), sender=3)
    with lib.reverts(sc, f"OfferPending(id=1, pendingCustodian={acc[2]})"):
        sc.functions.updateStatus(1, SOLD, "", "").transact({"from": acc[3]})
    lib.send(sc.functions.updateStatus(1, STORED, "back room", ""), sender=3)  # other updates are fine
    lib.send(sc.functions.setParticipantActive(acc[3], False), sender=0)
    with lib.reverts(sc, f"ParticipantInactive(account={acc[3]})"):
        sc.functions.updateStatus(1, IN_TRANSIT, "", "").transact({"from": acc[3]})


def test_custody_errors_cancel_and_decline(lib, sc):
    acc = lib.accounts
    create(lib, sc)
    lib.send(sc.functions.registerParticipant(acc[6], WAREHOUSE, "Idle"), sender=0)
    lib.send(sc.functions.setParticipantActive(acc[6], False), sender=0)
    offer = sc.functions.offerCustody
    with lib.reverts(sc, f"NotCustodian(id=1, account={acc[2]})"):
        offer(1, acc[3], "").transact({"from": acc[2]})
    with lib.reverts(sc, f"UnknownParticipant(account={acc[5]})"):
        offer(1, acc[5], "").transact({"from": acc[1]})
    with lib.reverts(sc, f"ParticipantInactive(account={acc[6]})"):
        offer(1, acc[6], "").transact({"from": acc[1]})
    with lib.reverts(sc, f"InvalidRecipient(account={acc[1]})"):
        offer(1, acc[1], "").transact({"from": acc[1]})
    with lib.reverts(sc, "NoPendingOffer(id=1)"):
        sc.functions.cancelCustodyOffer(1, "").transact({"from": acc[1]})
    with lib.reverts(sc, f"NotPendingCustodian(id=1, account={acc[2]})"):
        sc.functions.acceptCustody(1, "", "").transact({"from": acc[2]})
    with lib.reverts(sc, f"NotPendingCustodian(id=1, account={acc[2]})"):
        sc.functions.declineCustody(1, "").transact({"from": acc[2]})

    lib.send(offer(1, acc[2], ""), sender=1)
    with lib.reverts(sc, f"OfferPending(id=1, pendingCustodian={acc[2]})"):
        offer(1, acc[3], "").transact({"from": acc[1]})
    with lib.reverts(sc, f"NotCustodian(id=1, account={acc[2]})"):
        sc.functions.cancelCustodyOffer(1, "").transact({"from": acc[2]})
    r = lib.send(sc.functions.cancelCustodyOffer(1, "wrong truck"), sender=1)
    assert lib.events(sc, r, "CustodyOfferCancelled") == [{"id": 1, "from": acc[1], "to": acc[2]}]
    last = sc.functions.trace(1).call()[-1]
    assert (last[0], last[2], last[3], last[6]) == (A_OFFER_CANCELLED, acc[1], acc[2], "wrong truck")

    lib.send(offer(1, acc[4], ""), sender=1)
    r = lib.send(sc.functions.declineCustody(1, "no capacity"), sender=4)
    assert lib.events(sc, r, "CustodyDeclined") == [{"id": 1, "from": acc[1], "to": acc[4]}]
    last = sc.functions.trace(1).call()[-1]
    assert (last[0], last[2], last[3], last[6]) == (A_DECLINED, acc[4], acc[1], "no capacity")
    assert tuple(sc.functions.getProduct(1).call()[2:4]) == (acc[1], ZERO)

    # an offered participant deactivated before accepting cannot accept
    lib.send(offer(1, acc[2], ""), sender=1)
    lib.send(sc.functions.setParticipantActive(acc[2], False), sender=0)
    with lib.reverts(sc, f"ParticipantInactive(account={acc[2]})"):
        sc.functions.acceptCustody(1, "", "").transact({"from": acc[2]})


def test_recall_and_pause(lib, sc):
    acc = lib.accounts
    create(lib, sc, "a")
    create(lib, sc, "b")
    hand_over(lib, sc, 1, 1, 3)
    lib.send(sc.functions.offerCustody(1, acc[2], ""), sender=3)
    with lib.reverts(sc, f"NotAuthorizedToRecall(id=1, account={acc[3]})"):
        sc.functions.recall(1, "").transact({"from": acc[3]})
    r = lib.send(sc.functions.recall(1, "salmonella"), sender=1)  # the producer, not the custodian
    assert lib.events(sc, r, "ProductRecalled") == [{"id": 1, "by": acc[1], "reason": "salmonella"}]
    product = sc.functions.getProduct(1).call()
    assert (product[2], product[3], product[4]) == (acc[3], ZERO, RECALLED)  # pending offer cleared
    last = sc.functions.trace(1).call()[-1]
    assert (last[0], last[1], last[2], last[6]) == (A_RECALLED, RECALLED, acc[1], "salmonella")
    with lib.reverts(sc, f"ProductClosed(id=1, status={RECALLED})"):
        sc.functions.recall(1, "").transact({"from": acc[0]})
    with lib.reverts(sc, f"NotPendingCustodian(id=1, account={acc[2]})"):
        sc.functions.acceptCustody(1, "", "").transact({"from": acc[2]})

    with lib.reverts(sc, f"AccessControlUnauthorizedAccount(account={acc[1]}, neededRole={hx(ADMIN)})"):
        sc.functions.pause().transact({"from": acc[1]})
    lib.send(sc.functions.pause(), sender=0)
    for call, who in ((sc.functions.createProduct(code("c"), "", "", ""), 1),
                      (sc.functions.updateStatus(2, STORED, "", ""), 1),
                      (sc.functions.offerCustody(2, acc[2], ""), 1),
                      (sc.functions.cancelCustodyOffer(2, ""), 1),
                      (sc.functions.declineCustody(2, ""), 2),
                      (sc.functions.acceptCustody(2, "", ""), 2)):
        with lib.reverts(sc, "EnforcedPause()"):
            call.transact({"from": acc[who]})
    lib.send(sc.functions.recall(2, "admin recall"), sender=0)  # recalls work while paused, by an admin too
    assert sc.functions.getProduct(2).call()[4] == RECALLED
    lib.send(sc.functions.unpause(), sender=0)
    with lib.reverts(sc, f"ProductClosed(id=2, status={RECALLED})"):
        sc.functions.updateStatus(2, STORED, "", "").transact({"from": acc[1]})
