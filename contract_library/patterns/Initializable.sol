// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Initializable
/// @notice Run-once and versioned initialisers for contracts behind clones or proxies, with a constructor lock for the implementation.
/// @dev Clones and proxies do not run the implementation's constructor, so their setup happens in an
/// `initializer` function instead. This base guarantees that:
///  * an `initializer` function runs at most once per contract (per clone);
///  * `reinitializer(v)` functions run once each, only in increasing version order (upgrade migrations);
///  * `onlyInitializing` helpers (parent set-up code) can only run inside an initializer;
///  * `_disableInitializers()` (call it in the implementation's constructor) locks the implementation forever,
///    so nobody can take it over by initialising it directly.
/// The state (version and in-progress flag) lives in one ERC-7201 namespaced slot,
/// `keccak256(abi.encode(uint256(keccak256("smartdev.storage.Initializable")) - 1)) & ~bytes32(uint256(0xff))`,
/// so it never collides with the inheriting contract's ordinary storage layout.
abstract contract Initializable {
    /// @custom:storage-location erc7201:smartdev.storage.Initializable
    struct InitializableStorage {
        uint64 version; // highest version initialised so far; type(uint64).max = locked
        bool initializing; // an initializer / reinitializer is running
    }

    // keccak256(abi.encode(uint256(keccak256("smartdev.storage.Initializable")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _INITIALIZABLE_SLOT = 0x2771f0fd4be6a94a033ccde2eb8b9ffb1107ebafc4377629922775c88b6d5500;

    /// @notice The contract was initialised to `version` (type(uint64).max when initialisers were disabled).
    event Initialized(uint64 version);

    /// @notice The contract is already initialised to `version`, which is not below the requested version.
    error AlreadyInitialized(uint64 version);
    /// @notice An initializer is already running (nested initializer, or disabling initialisers from inside one).
    error InitializationInProgress();
    /// @notice An `onlyInitializing` function was called outside an initializer.
    error NotInitializing();

    /// @dev The function runs once, as version 1. Reverts AlreadyInitialized once any version was initialised
    ///      (or initialisers were disabled), InitializationInProgress inside another initializer.
    modifier initializer() {
        _beginInitialization(1);
        _;
        _endInitialization(1);
    }

    /// @dev The function runs once, as `version`, only if the contract is initialised to a lower version.
    ///      `reinitializer(1)` is equivalent to `initializer`; versions may be skipped; `reinitializer(0)` can
    ///      never run and type(uint64).max is the final version (the contract is locked afterwards).
    modifier reinitializer(uint64 version) {
        _beginInitialization(version);
        _;
        _endInitialization(version);
    }

    /// @dev Only inside an `initializer` / `reinitializer` function (for set-up code of parent contracts).
    modifier onlyInitializing() {
        if (!_initializableStorage().initializing) revert NotInitializing();
        _;
    }

    /// @dev Lock the contract: no initializer or reinitializer can ever run afterwards. Call it in the
    ///      constructor of implementation contracts. Emits Initialized(type(uint64).max) the first time;
    ///      a no-op when already locked. Reverts InitializationInProgress inside an initializer.
    function _disableInitializers() internal virtual {
        InitializableStorage storage s = _initializableStorage();
        if (s.initializing) revert InitializationInProgress();
        if (s.version != type(uint64).max) {
            s.version = type(uint64).max;
            emit Initialized(type(uint64).max);
        }
    }

    /// @dev The highest version initialised so far (0 = never; type(uint64).max = disabled).
    function _getInitializedVersion() internal view returns (uint64) {
        return _initializableStorage().version;
    }

    /// @dev Whether an initializer or reinitializer is currently running.
    function _isInitializing() internal view returns (bool) {
        return _initializableStorage().initializing;
    }

    function _beginInitialization(uint64 version) private {
        InitializableStorage storage s = _initializableStorage();
        if (s.initializing) revert InitializationInProgress();
        if (s.version >= version) revert AlreadyInitialized(s.version);
        // Effects before the body runs: a re-entrant call into any initializer now fails.
        s.version = version;
        s.initializing = true;
    }

    function _endInitialization(uint64 version) private {
        _initializableStorage().initializing = false;
        emit Initialized(version);
    }

    function _initializableStorage() private pure returns (InitializableStorage storage s) {
        assembly ("memory-safe") {
            s.slot := _INITIALIZABLE_SLOT
        }
    }
}
