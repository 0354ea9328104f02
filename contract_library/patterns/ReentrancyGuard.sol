// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title ReentrancyGuard
/// @notice A `nonReentrant` modifier: a guarded function cannot be entered again, directly or through another guarded function, before it returns.
/// @dev One storage word, 1 = free and 2 = entered (never 0, so every entry is a warm non-zero write).
abstract contract ReentrancyGuard {
    uint256 private _status = 1;

    /// @notice A `nonReentrant` function was called while one was already running.
    error ReentrancyGuardReentrantCall();

    /// @notice Reverts ReentrancyGuardReentrantCall when any `nonReentrant` function of this contract is running.
    modifier nonReentrant() {
        if (_status == 2) revert ReentrancyGuardReentrantCall();
        _status = 2;
        _;
        _status = 1;
    }

    /// @notice Whether a `nonReentrant` function is running (for views that must not be read mid-call).
    function _reentrancyGuardEntered() internal view returns (bool) {
        return _status == 2;
    }
}
