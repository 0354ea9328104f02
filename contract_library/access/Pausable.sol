// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Pausable
/// @notice Emergency stop: functions guarded by whenNotPaused / whenPaused; the inheriting contract decides who may pause.
abstract contract Pausable {
    bool private _paused;

    /// @notice `account` paused the contract.
    event Paused(address account);
    /// @notice `account` unpaused the contract.
    event Unpaused(address account);

    /// @notice The operation is not allowed while paused.
    error EnforcedPause();
    /// @notice The operation needs the contract to be paused.
    error ExpectedPause();

    /// @dev Only while not paused.
    modifier whenNotPaused() {
        if (_paused) revert EnforcedPause();
        _;
    }

    /// @dev Only while paused.
    modifier whenPaused() {
        if (!_paused) revert ExpectedPause();
        _;
    }

    /// @notice Whether the contract is paused.
    function paused() public view virtual returns (bool) {
        return _paused;
    }

    /// @dev Pause; reverts EnforcedPause if already paused.
    function _pause() internal virtual whenNotPaused {
        _paused = true;
        emit Paused(msg.sender);
    }

    /// @dev Unpause; reverts ExpectedPause if not paused.
    function _unpause() internal virtual whenPaused {
        _paused = false;
        emit Unpaused(msg.sender);
    }
}
