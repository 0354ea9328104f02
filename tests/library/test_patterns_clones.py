"""Clones (EIP-1167), MinimalProxyFactory and Initializable: exact clone bytecode, delegation with the clone's
own storage, CREATE/CREATE2 addresses against Python computations, atomic initialisation, version guards."""

from __future__ import annotations

import pytest
import rlp
from eth_abi import encode
from eth_utils import keccak, to_checksum_address
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from web3.exceptions import ContractLogicError

ZERO = "0x" + "00" * 20
MAX64 = 2**64 - 1
CREATION_PREFIX = bytes.fromhex("3d602d80600a3d3981f3")
RUNTIME_HEAD = bytes.fromhex("363d3d373d3d3d363d73")
RUNTIME_TAIL = bytes.fromhex("5af43d82803e903d91602b57fd5bf3")
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def runtime(impl: str) -> bytes:
    return RUNTIME_HEAD + bytes.fromhex(impl[2:]) + RUNTIME_TAIL


def create2_address(deployer: str, salt: bytes, init_code: bytes) -> str:
    h = keccak(b"\xff" + bytes.fromhex(deployer[2:]) + salt + keccak(init_code))
    return to_checksum_address(h[12:])


def create_address(deployer: str, nonce: int) -> str:
    return to_checksum_address(keccak(rlp.encode([bytes.fromhex(deployer[2:]), nonce]))[12:])


def initializable_slot() -> int:
    inner = int.from_bytes(keccak(text="smartdev.storage.Initializable"), "big") - 1
    return int.from_bytes(keccak(encode(["uint256"], [inner])), "big") & ~0xFF


def deploy_receipt(lib, name, *args):
    art = lib.artifact(name)
    factory = lib.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
    receipt = lib.w3.eth.wait_for_transaction_receipt(factory.constructor(*args).transact({"from": lib.accounts[0]}))
    assert receipt["status"] == 1
    return lib.w3.eth.contract(address=receipt["contractAddress"], abi=art["abi"]), receipt


def at(lib, name, address):
    return lib.w3.eth.contract(address=address, abi=lib.artifact(name)["abi"])


def revert_data(call) -> bytes:
    with pytest.raises(ContractLogicError) as info:
        call()
    return bytes.fromhex(info.value.data[2:])


@pytest.fixture
def impl(lib):
    return lib.deploy("PatternsCloneImpl", True)


@pytest.fixture
def harness(lib):
    return lib.deploy("PatternsClonesHarness")


@pytest.fixture
def factory(lib):
    return lib.deploy("MinimalProxyFactory")


def clone_of(lib, harness, fn, **kw):
    receipt = lib.send(fn, **kw)
    return lib.events(harness, receipt, "PatternsCloned")[0]["instance"]


# ---------------------------------------------------------------- Clones library


def test_clone_code_is_exact_eip1167(lib, impl, harness):
    instance = clone_of(lib, harness, harness.functions.clone(impl.address))
    code = bytes(lib.w3.eth.get_code(instance))
    assert len(code) == 45
    assert code == runtime(impl.address)
    assert harness.functions.runtimeCode(impl.address).call() == code
    init = harness.functions.initCode(impl.address).call()
    assert init == CREATION_PREFIX + code and len(init) == 55
    assert harness.functions.initCodeHash(impl.address).call() == keccak(init)
    # the first CREATE of a contract uses nonce 1
    assert instance == create_address(harness.address, 1)
    second = clone_of(lib, harness, harness.functions.clone(impl.address))
    assert second == create_address(harness.address, 2)


def test_implementation_of(lib, impl, harness):
    instance = clone_of(lib, harness, harness.functions.clone(impl.address))
    assert harness.functions.implementationOf(instance).call() == impl.address
    assert harness.functions.implementationOf(impl.address).call() == ZERO  # not a clone
    assert harness.functions.implementationOf(lib.accounts[3]).call() == ZERO  # no code
    other = lib.deploy("PatternsCloneImpl", False)
    # a clone of a clone is still recognised, pointing to the clone it delegates to
    nested = clone_of(lib, harness, harness.functions.clone(instance))
    assert harness.functions.implementationOf(nested).call() == instance
    assert harness.functions.implementationOf(other.address).call() == ZERO


def test_clone_delegates_with_its_own_storage(lib, impl, harness):
    a_addr = clone_of(lib, harness, harness.functions.clone(impl.address))
    b_addr = clone_of(lib, harness, harness.functions.clone(impl.address))
    a, b = at(lib, "PatternsCloneImpl", a_addr), at(lib, "PatternsCloneImpl", b_addr)
    receipt = lib.send(a.functions.initialize(lib.accounts[1], 11), sender=5, value=3)
    assert lib.events(a, receipt, "PatternsInitializedWith") == [
        {"owner": lib.accounts[1], "value": 11, "paid": 3, "sender": lib.accounts[5]}]
    assert lib.events(a, receipt, "Initialized") == [{"version": 1}]
    lib.send(b.functions.initialize(lib.accounts[2], 22))
    assert (a.functions.owner().call(), a.functions.value().call()) == (lib.accounts[1], 11)
    assert (b.functions.owner().call(), b.functions.value().call()) == (lib.accounts[2], 22)
    assert a.functions.self().call() == a_addr  # address(this) is the clone
    assert lib.w3.eth.get_balance(a_addr) == 3
    lib.send(a.functions.setValue(99), sender=1)
    assert a.functions.value().call() == 99 and b.functions.value().call() == 22
    # the implementation's own storage is untouched (only the lock)
    assert (impl.functions.owner().call(), impl.functions.value().call()) == (ZERO, 0)
    assert impl.functions.version().call() == MAX64
    # reverts come back through the clone unchanged
    with lib.reverts(a, f"PatternsNotOwner(caller={lib.accounts[2]})"):
        a.functions.setValue(1).transact({"from": lib.accounts[2]})
    with lib.reverts(a, "AlreadyInitialized(version=1)"):
        a.functions.initialize(lib.accounts[2], 1).transact({"from": lib.accounts[2]})


def test_clone_deterministic_matches_python_create2(lib, impl, harness):
    salt = keccak(text="pool-1")
    predicted = harness.functions.predict(impl.address, salt).call()
    init = CREATION_PREFIX + runtime(impl.address)
    assert predicted == create2_address(harness.address, salt, init)
    assert bytes(lib.w3.eth.get_code(predicted)) == b""
    instance = clone_of(lib, harness, harness.functions.cloneDeterministic(impl.address, salt))
    assert instance == predicted
    assert bytes(lib.w3.eth.get_code(instance)) == runtime(impl.address)
    # same implementation, other salt -> other address; same salt, other implementation -> other address
    other_salt = clone_of(lib, harness, harness.functions.cloneDeterministic(impl.address, b"\x00" * 32))
    assert other_salt == create2_address(harness.address, b"\x00" * 32, init)
    impl2 = lib.deploy("PatternsCloneImpl", True)
    other_impl = clone_of(lib, harness, harness.functions.cloneDeterministic(impl2.address, salt))
    assert other_impl == create2_address(harness.address, salt, CREATION_PREFIX + runtime(impl2.address))
    assert len({instance, other_salt, other_impl}) == 3
    # salt reuse
    with lib.reverts(harness, f"ClonesCreate2Failed(implementation={impl.address}, salt=0x{salt.hex()})"):
        harness.functions.cloneDeterministic(impl.address, salt).transact({"from": lib.accounts[0]})


@SETTINGS
@given(salt=st.binary(min_size=32, max_size=32), deployer=st.binary(min_size=20, max_size=20),
       implementation=st.binary(min_size=20, max_size=20))
def test_predict_for_any_deployer(harness, salt, deployer, implementation):
    impl, dep = to_checksum_address(implementation), to_checksum_address(deployer)
    expected = create2_address(dep, salt, CREATION_PREFIX + runtime(impl))
    assert harness.functions.predictFor(impl, salt, dep).call() == expected


def test_clone_with_value(lib, impl, harness):
    lib.w3.eth.send_transaction({"from": lib.accounts[0], "to": harness.address, "value": 100})
    instance = clone_of(lib, harness, harness.functions.cloneWithValue(impl.address, 40))
    assert lib.w3.eth.get_balance(instance) == 40
    salt = b"\x01" * 32
    det = clone_of(lib, harness, harness.functions.cloneDeterministicWithValue(impl.address, salt, 60))
    assert det == harness.functions.predict(impl.address, salt).call()
    assert lib.w3.eth.get_balance(det) == 60
    assert lib.w3.eth.get_balance(harness.address) == 0
    with lib.reverts(harness, "ClonesInsufficientBalance(balance=0, needed=1)"):
        harness.functions.cloneWithValue(impl.address, 1).transact({"from": lib.accounts[0]})
    with lib.reverts(harness, "ClonesInsufficientBalance(balance=5, needed=6)"):
        harness.functions.cloneDeterministicWithValue(impl.address, salt, 6).transact(
            {"from": lib.accounts[0], "value": 5})


def test_clone_rejects_implementation_without_code(lib, harness):
    for target in (ZERO, lib.accounts[4]):
        with lib.reverts(harness, f"ClonesImplementationHasNoCode(implementation={target})"):
            harness.functions.clone(target).transact({"from": lib.accounts[0]})
        with lib.reverts(harness, f"ClonesImplementationHasNoCode(implementation={target})"):
            harness.functions.cloneDeterministic(target, b"\x00" * 32).transact({"from": lib.accounts[0]})


# ---------------------------------------------------------------- MinimalProxyFactory


def test_factory_creates_and_initialises_atomically(lib, impl, factory):
    init = impl.encode_abi("initialize", args=[lib.accounts[1], 5])
    receipt = lib.send(factory.functions.createClone(impl.address, init), sender=2, value=7)
    [event] = lib.events(factory, receipt, "CloneCreated")
    clone_addr = event["clone"]
    assert event == {"implementation": impl.address, "clone": clone_addr, "salt": b"\x00" * 32,
                     "creator": lib.accounts[2]}
    assert bytes(lib.w3.eth.get_code(clone_addr)) == runtime(impl.address)
    c = at(lib, "PatternsCloneImpl", clone_addr)
    assert lib.events(c, receipt, "PatternsInitializedWith") == [
        {"owner": lib.accounts[1], "value": 5, "paid": 7, "sender": factory.address}]
    assert lib.events(c, receipt, "Initialized") == [{"version": 1}]
    assert c.functions.version().call() == 1
    assert lib.w3.eth.get_balance(clone_addr) == 7
    assert lib.w3.eth.get_balance(factory.address) == 0
    assert factory.functions.implementationOf(clone_addr).call() == impl.address
    assert factory.functions.implementationOf(impl.address).call() == ZERO
    assert factory.functions.implementationOf(lib.accounts[1]).call() == ZERO
    # nobody can initialise it again
    with lib.reverts(c, "AlreadyInitialized(version=1)"):
        c.functions.initialize(lib.accounts[3], 1).transact({"from": lib.accounts[3]})


def test_factory_deterministic_predicted_equals_actual(lib, impl, factory):
    salt = keccak(text="vault")
    creator = lib.accounts[3]
    predicted = factory.functions.predictDeterministicAddress(impl.address, salt, creator).call()
    effective = keccak(encode(["address", "bytes32"], [creator, salt]))
    assert predicted == create2_address(factory.address, effective, CREATION_PREFIX + runtime(impl.address))
    init = impl.encode_abi("initialize", args=[creator, 1])
    receipt = lib.send(factory.functions.createCloneDeterministic(impl.address, salt, init), sender=3)
    assert lib.events(factory, receipt, "CloneCreated") == [
        {"implementation": impl.address, "clone": predicted, "salt": salt, "creator": creator}]
    assert at(lib, "PatternsCloneImpl", predicted).functions.owner().call() == creator
    # the same salt is free for another creator (salts are per creator): no front-running of addresses
    other = factory.functions.predictDeterministicAddress(impl.address, salt, lib.accounts[4]).call()
    assert other != predicted
    receipt = lib.send(factory.functions.createCloneDeterministic(impl.address, salt, init), sender=4)
    assert lib.events(factory, receipt, "CloneCreated")[0]["clone"] == other
    # salt reuse by the same creator
    with lib.reverts(factory, f"ClonesCreate2Failed(implementation={impl.address}, salt=0x{effective.hex()})"):
        factory.functions.createCloneDeterministic(impl.address, salt, init).transact({"from": creator})


def test_factory_failed_initialisation_reverts_everything(lib, impl, factory):
    salt = b"\x07" * 32
    predicted = factory.functions.predictDeterministicAddress(impl.address, salt, lib.accounts[0]).call()
    bad = impl.encode_abi("initializeRefusing", args=[5])
    expected = keccak(text="PatternsInitRefused(uint256)")[:4] + encode(["uint256"], [5])
    # the initialiser's revert data comes back unchanged
    assert revert_data(lambda: factory.functions.createCloneDeterministic(impl.address, salt, bad).call()) == expected
    with lib.reverts(impl, "PatternsInitRefused(code=5)"):
        factory.functions.createClone(impl.address, bad).transact({"from": lib.accounts[0]})
    with lib.reverts(impl, "PatternsInitRefused(code=5)"):
        factory.functions.createCloneDeterministic(impl.address, salt, bad).transact({"from": lib.accounts[0]})
    assert bytes(lib.w3.eth.get_code(predicted)) == b""
    # a failing initialiser without a reason also reverts (no silent success)
    with pytest.raises(ContractLogicError):
        factory.functions.createClone(impl.address, b"\x12\x34\x56\x78").transact({"from": lib.accounts[0]})
    # the salt is still free
    good = impl.encode_abi("initialize", args=[lib.accounts[0], 2])
    receipt = lib.send(factory.functions.createCloneDeterministic(impl.address, salt, good))
    assert lib.events(factory, receipt, "CloneCreated")[0]["clone"] == predicted


def test_factory_empty_init_data_and_no_code(lib, impl, factory):
    receipt = lib.send(factory.functions.createClone(impl.address, b""), sender=1, value=9)
    clone_addr = lib.events(factory, receipt, "CloneCreated")[0]["clone"]
    assert lib.w3.eth.get_balance(clone_addr) == 9  # endowed at creation
    c = at(lib, "PatternsCloneImpl", clone_addr)
    assert c.functions.version().call() == 0  # not initialised: only for implementations without set-up
    receipt = lib.send(factory.functions.createCloneDeterministic(impl.address, b"\x02" * 32, b""), sender=1, value=4)
    assert lib.w3.eth.get_balance(lib.events(factory, receipt, "CloneCreated")[0]["clone"]) == 4
    with lib.reverts(factory, f"ClonesImplementationHasNoCode(implementation={lib.accounts[5]})"):
        factory.functions.createClone(lib.accounts[5], b"").transact({"from": lib.accounts[0]})


def test_factory_reentrant_initialiser(lib, impl, factory):
    parent_impl = lib.deploy("PatternsReentrantImpl")
    init = parent_impl.encode_abi("initialize", args=[factory.address, impl.address])
    receipt = lib.send(factory.functions.createClone(parent_impl.address, init), sender=1)
    events = lib.events(factory, receipt, "CloneCreated")
    assert [(e["implementation"], e["creator"]) for e in events] == [
        (parent_impl.address, lib.accounts[1]), (impl.address, events[0]["clone"])]
    parent = at(lib, "PatternsReentrantImpl", events[0]["clone"])
    # the clone was registered before its initialiser ran
    assert parent.functions.registeredImplementation().call() == parent_impl.address
    child = at(lib, "PatternsCloneImpl", parent.functions.child().call())
    assert child.address == events[1]["clone"]
    assert (child.functions.owner().call(), child.functions.value().call()) == (parent.address, 7)
    assert factory.functions.implementationOf(child.address).call() == impl.address


# ---------------------------------------------------------------- Initializable


def test_implementation_locked_in_constructor(lib):
    impl, receipt = deploy_receipt(lib, "PatternsCloneImpl", True)
    assert lib.events(impl, receipt, "Initialized") == [{"version": MAX64}]
    assert impl.functions.version().call() == MAX64
    for fn in (impl.functions.initialize(lib.accounts[1], 1), impl.functions.initializeV2(1),
               impl.functions.reinit(MAX64)):
        with lib.reverts(impl, f"AlreadyInitialized(version={MAX64})"):
            fn.transact({"from": lib.accounts[1]})
    receipt = lib.send(impl.functions.lock())  # locking again is a no-op
    assert lib.events(impl, receipt, "Initialized") == []
    unlocked, receipt = deploy_receipt(lib, "PatternsCloneImpl", False)
    assert lib.events(unlocked, receipt, "Initialized") == []
    assert unlocked.functions.version().call() == 0


def test_versions_and_storage_slot(lib):
    c = lib.deploy("PatternsCloneImpl", False)
    slot = initializable_slot()
    assert slot == 0x2771F0FD4BE6A94A033CCDE2EB8B9FFB1107EBAFC4377629922775C88B6D5500
    with lib.reverts(c, "AlreadyInitialized(version=0)"):
        c.functions.reinit(0).transact({"from": lib.accounts[0]})
    receipt = lib.send(c.functions.initialize(lib.accounts[1], 3))
    assert lib.events(c, receipt, "Initialized") == [{"version": 1}]
    assert c.functions.parentSetups().call() == 1
    assert c.functions.initializing().call() is False
    # version 1, initializing = false, in the namespaced slot (and nothing in slot 0 but `owner`)
    assert int.from_bytes(lib.w3.eth.get_storage_at(c.address, slot), "big") == 1
    assert int.from_bytes(lib.w3.eth.get_storage_at(c.address, 0), "big") == int(lib.accounts[1], 16)
    with lib.reverts(c, "AlreadyInitialized(version=1)"):
        c.functions.initialize(lib.accounts[1], 3).transact({"from": lib.accounts[0]})
    with lib.reverts(c, "AlreadyInitialized(version=1)"):
        c.functions.reinit(1).transact({"from": lib.accounts[0]})
    receipt = lib.send(c.functions.initializeV2(8))
    assert lib.events(c, receipt, "Initialized") == [{"version": 2}]
    assert (c.functions.version().call(), c.functions.extra().call(), c.functions.parentSetups().call()) == (2, 8, 2)
    with lib.reverts(c, "AlreadyInitialized(version=2)"):
        c.functions.initializeV2(9).transact({"from": lib.accounts[0]})
    receipt = lib.send(c.functions.reinit(5))  # versions may be skipped
    assert lib.events(c, receipt, "Initialized") == [{"version": 5}]
    with lib.reverts(c, "AlreadyInitialized(version=5)"):
        c.functions.reinit(3).transact({"from": lib.accounts[0]})
    lib.send(c.functions.reinit(MAX64))  # the final version locks
    with lib.reverts(c, f"AlreadyInitialized(version={MAX64})"):
        c.functions.reinit(6).transact({"from": lib.accounts[0]})
    assert int.from_bytes(lib.w3.eth.get_storage_at(c.address, slot), "big") == MAX64


def test_initializer_misuse(lib):
    c = lib.deploy("PatternsCloneImpl", False)
    with lib.reverts(c, "NotInitializing()"):
        c.functions.setupParentOutside().transact({"from": lib.accounts[0]})
    with lib.reverts(c, "InitializationInProgress()"):
        c.functions.initializeNested().transact({"from": lib.accounts[0]})
    with lib.reverts(c, "InitializationInProgress()"):
        c.functions.initializeAndLock().transact({"from": lib.accounts[0]})
    # a reverted initializer leaves the contract uninitialised
    with lib.reverts(c, "PatternsInitRefused(code=3)"):
        c.functions.initializeRefusing(3).transact({"from": lib.accounts[0]})
    assert c.functions.version().call() == 0
    lib.send(c.functions.initialize(lib.accounts[2], 1))
    assert c.functions.owner().call() == lib.accounts[2]
    with lib.reverts(c, "NotInitializing()"):
        c.functions.setupParentOutside().transact({"from": lib.accounts[0]})
    receipt = lib.send(c.functions.lock())
    assert lib.events(c, receipt, "Initialized") == [{"version": MAX64}]
    with lib.reverts(c, f"AlreadyInitialized(version={MAX64})"):
        c.functions.initializeV2(1).transact({"from": lib.accounts[0]})
