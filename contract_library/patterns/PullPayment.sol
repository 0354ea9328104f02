// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/patterns/ReentrancyGuard.sol";

/// @title PullPayment
/// @notice Pull payments: a contract credits ether to accounts and each account withdraws its own, so a recipient that refuses ether or re-enters cannot block or drain the contract.
/// @dev Inherit it, call `_credit(account, amount)` where you would have sent ether, and keep the ether in the
///      contract. `withdraw` sends the caller's whole credit (state cleared before the call, `nonReentrant`).
abstract contract PullPayment is ReentrancyGuard {
    mapping(address => uint256) private _credits;
    uint256 private _totalCredits;

    /// @notice `account` withdrew `amount` wei.
    event Withdrawn(address indexed account, uint256 amount);

    /// @notice `account` has nothing to withdraw.
    error NothingToWithdraw(address account);
    /// @notice Sending `amount` wei to `to` failed (the recipient refused it); the credit is kept.
    error TransferFailed(address to, uint256 amount);

    /// @notice Sends the caller its whole credit.
    function withdraw() external virtual nonReentrant {
        uint256 amount = _credits[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        _credits[msg.sender] = 0;
        _totalCredits -= amount;
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = payable(msg.sender).call{value: amount}("");
        if (!ok) revert TransferFailed(msg.sender, amount);
    }

    /// @notice The wei `account` can withdraw.
    function withdrawable(address account) public view returns (uint256) {
        return _credits[account];
    }

    /// @notice The wei owed to all accounts together (the contract must hold at least this much).
    function totalWithdrawable() public view returns (uint256) {
        return _totalCredits;
    }

    /// @notice Owes `amount` more wei to `account`.
    function _credit(address account, uint256 amount) internal {
        _credits[account] += amount;
        _totalCredits += amount;
    }
}
