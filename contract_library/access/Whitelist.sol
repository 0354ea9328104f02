// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/access/Ownable2Step.sol";

/// @title Whitelist
/// @notice Owner-managed, enumerable set of allowed addresses, with an onlyWhitelisted modifier for inheriting contracts.
contract Whitelist is Ownable2Step {
    address[] private _members;
    mapping(address => uint256) private _position; // index + 1; 0 = not a member

    /// @notice `account` was added to the whitelist.
    event WhitelistAdded(address indexed account);
    /// @notice `account` was removed from the whitelist.
    event WhitelistRemoved(address indexed account);

    /// @notice `account` is already whitelisted.
    error AlreadyWhitelisted(address account);
    /// @notice `account` is not whitelisted.
    error NotWhitelisted(address account);
    /// @notice The zero address cannot be whitelisted.
    error WhitelistZeroAddress();
    /// @notice `index` is past the end of the member list.
    error WhitelistIndexOutOfBounds(uint256 index);

    constructor(address initialOwner) Ownable2Step(initialOwner) {}

    /// @dev Only whitelisted callers.
    modifier onlyWhitelisted() {
        if (_position[msg.sender] == 0) revert NotWhitelisted(msg.sender);
        _;
    }

    /// @notice Whether `account` is whitelisted.
    function isWhitelisted(address account) public view returns (bool) {
        return _position[account] != 0;
    }

    /// @notice Number of whitelisted addresses.
    function memberCount() external view returns (uint256) {
        return _members.length;
    }

    /// @notice The whitelisted address at `index` (order changes on removal).
    function memberAt(uint256 index) external view returns (address) {
        if (index >= _members.length) revert WhitelistIndexOutOfBounds(index);
        return _members[index];
    }

    /// @notice All whitelisted addresses.
    function members() external view returns (address[] memory) {
        return _members;
    }

    /// @notice Add `account`. Only the owner.
    function add(address account) external onlyOwner {
        _add(account);
    }

    /// @notice Add every address of `accounts` (all-or-nothing). Only the owner.
    function addBatch(address[] calldata accounts) external onlyOwner {
        for (uint256 i = 0; i < accounts.length; i++) _add(accounts[i]);
    }

    /// @notice Remove `account`. Only the owner.
    function remove(address account) external onlyOwner {
        _remove(account);
    }

    /// @notice Remove every address of `accounts` (all-or-nothing). Only the owner.
    function removeBatch(address[] calldata accounts) external onlyOwner {
        for (uint256 i = 0; i < accounts.length; i++) _remove(accounts[i]);
    }

    function _add(address account) internal {
        if (account == address(0)) revert WhitelistZeroAddress();
        if (_position[account] != 0) revert AlreadyWhitelisted(account);
        _members.push(account);
        _position[account] = _members.length;
        emit WhitelistAdded(account);
    }

    function _remove(address account) internal {
        uint256 pos = _position[account];
        if (pos == 0) revert NotWhitelisted(account);
        uint256 last = _members.length;
        if (pos != last) {
            address moved = _members[last - 1];
            _members[pos - 1] = moved;
            _position[moved] = pos;
        }
        _members.pop();
        delete _position[account];
        emit WhitelistRemoved(account);
    }
}
