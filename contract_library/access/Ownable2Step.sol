// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Ownable2Step
/// @notice Single-owner access control where ownership moves in two steps: the owner nominates, the nominee accepts.
abstract contract Ownable2Step {
    address private _owner;
    address private _pendingOwner;

    /// @notice Ownership moved from `previousOwner` to `newOwner` (zero `newOwner` = renounced).
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    /// @notice The owner nominated `newOwner`; it becomes owner once it calls acceptOwnership.
    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    /// @notice The owner withdrew the nomination of `pendingOwner`.
    event OwnershipTransferCancelled(address indexed owner, address indexed pendingOwner);

    /// @notice `account` is not allowed to do this (not the owner, or not the pending owner).
    error OwnableUnauthorizedAccount(address account);
    /// @notice `owner` cannot be the owner (the zero address, or already the owner).
    error OwnableInvalidOwner(address owner);
    /// @notice There is no pending ownership transfer.
    error OwnableNoPendingTransfer();

    constructor(address initialOwner) {
        if (initialOwner == address(0)) revert OwnableInvalidOwner(address(0));
        _owner = initialOwner;
        emit OwnershipTransferred(address(0), initialOwner);
    }

    /// @dev Only the current owner.
    modifier onlyOwner() {
        if (msg.sender != _owner) revert OwnableUnauthorizedAccount(msg.sender);
        _;
    }

    /// @notice The current owner (zero after renouncing).
    function owner() public view virtual returns (address) {
        return _owner;
    }

    /// @notice The nominated next owner (zero if none).
    function pendingOwner() public view virtual returns (address) {
        return _pendingOwner;
    }

    /// @notice Nominate `newOwner`; replaces any earlier nomination. Only the owner.
    function transferOwnership(address newOwner) external virtual onlyOwner {
        if (newOwner == address(0) || newOwner == _owner) revert OwnableInvalidOwner(newOwner);
        _pendingOwner = newOwner;
        emit OwnershipTransferStarted(_owner, newOwner);
    }

    /// @notice Withdraw the pending nomination. Only the owner.
    function cancelOwnershipTransfer() external virtual onlyOwner {
        address pending = _pendingOwner;
        if (pending == address(0)) revert OwnableNoPendingTransfer();
        delete _pendingOwner;
        emit OwnershipTransferCancelled(_owner, pending);
    }

    /// @notice Accept a nomination. Only the pending owner.
    function acceptOwnership() external virtual {
        if (msg.sender != _pendingOwner) revert OwnableUnauthorizedAccount(msg.sender);
        _transferOwnership(msg.sender);
    }

    /// @notice Give up ownership for good (owner becomes zero, pending nomination cleared). Only the owner.
    function renounceOwnership() external virtual onlyOwner {
        _transferOwnership(address(0));
    }

    function _transferOwnership(address newOwner) internal virtual {
        address previous = _owner;
        delete _pendingOwner;
        _owner = newOwner;
        emit OwnershipTransferred(previous, newOwner);
    }
}
