// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/patterns/Initializable.sol";
import "@smartdev/patterns/Clones.sol";
import "@smartdev/patterns/MinimalProxyFactory.sol";

/// An implementation to clone: owner + value set by `initialize`, a v2 migration, and misuse entry points.
contract PatternsCloneImpl is Initializable {
    address public owner;
    uint256 public value;
    uint256 public extra;
    uint256 public parentSetups;

    event PatternsInitializedWith(address owner, uint256 value, uint256 paid, address sender);

    error PatternsNotOwner(address caller);
    error PatternsInitRefused(uint256 code);

    /// `lock_` = the recommended `_disableInitializers()` in the implementation's constructor.
    constructor(bool lock_) {
        if (lock_) _disableInitializers();
    }

    function initialize(address owner_, uint256 value_) public payable initializer {
        owner = owner_;
        value = value_;
        _setupParent();
        emit PatternsInitializedWith(owner_, value_, msg.value, msg.sender);
    }

    function initializeV2(uint256 extra_) external reinitializer(2) {
        extra = extra_;
        _setupParent();
    }

    function reinit(uint64 v) external reinitializer(v) {}

    function initializeRefusing(uint256 code) external initializer {
        value = code;
        if (code != 0) revert PatternsInitRefused(code);
    }

    /// An initializer calling another initializer: InitializationInProgress.
    function initializeNested() external initializer {
        initialize(msg.sender, 1);
    }

    /// _disableInitializers inside an initializer: InitializationInProgress.
    function initializeAndLock() external initializer {
        _disableInitializers();
    }

    /// An onlyInitializing helper called outside an initializer: NotInitializing.
    function setupParentOutside() external {
        _setupParent();
    }

    function lock() external {
        _disableInitializers();
    }

    function setValue(uint256 v) external {
        if (msg.sender != owner) revert PatternsNotOwner(msg.sender);
        value = v;
    }

    function version() external view returns (uint64) {
        return _getInitializedVersion();
    }

    function initializing() external view returns (bool) {
        return _isInitializing();
    }

    function self() external view returns (address) {
        return address(this);
    }

    function _setupParent() internal onlyInitializing {
        parentSetups += 1;
    }
}

/// Exposes the Clones library.
contract PatternsClonesHarness {
    event PatternsCloned(address instance);

    receive() external payable {}

    function clone(address impl) external returns (address instance) {
        instance = Clones.clone(impl);
        emit PatternsCloned(instance);
    }

    function cloneWithValue(address impl, uint256 value) external payable returns (address instance) {
        instance = Clones.clone(impl, value);
        emit PatternsCloned(instance);
    }

    function cloneDeterministic(address impl, bytes32 salt) external returns (address instance) {
        instance = Clones.cloneDeterministic(impl, salt);
        emit PatternsCloned(instance);
    }

    function cloneDeterministicWithValue(address impl, bytes32 salt, uint256 value)
        external
        payable
        returns (address instance)
    {
        instance = Clones.cloneDeterministic(impl, salt, value);
        emit PatternsCloned(instance);
    }

    function predict(address impl, bytes32 salt) external view returns (address) {
        return Clones.predictDeterministicAddress(impl, salt);
    }

    function predictFor(address impl, bytes32 salt, address deployer) external pure returns (address) {
        return Clones.predictDeterministicAddress(impl, salt, deployer);
    }

    function initCode(address impl) external pure returns (bytes memory) {
        return Clones.initCode(impl);
    }

    function initCodeHash(address impl) external pure returns (bytes32) {
        return Clones.initCodeHash(impl);
    }

    function runtimeCode(address impl) external pure returns (bytes memory) {
        return Clones.runtimeCode(impl);
    }

    function implementationOf(address instance) external view returns (address) {
        return Clones.implementationOf(instance);
    }
}

/// Calls back into the factory from its initializer (re-entrancy through the factory is harmless).
contract PatternsReentrantImpl is Initializable {
    address public child;
    address public registeredImplementation;

    constructor() {
        _disableInitializers();
    }

    function initialize(MinimalProxyFactory factory, address childImpl) external initializer {
        registeredImplementation = factory.implementationOf(address(this));
        if (childImpl != address(0)) {
            child = factory.createClone(childImpl, abi.encodeCall(PatternsCloneImpl.initialize, (address(this), 7)));
        }
    }
}
