// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/access/Ownable2Step.sol";
import "@smartdev/patterns/SnapshotHistory.sol";

/// @title SnapshotBalances
/// @notice Owner-issued, transferable balances (shares, voting power) with per-block history: balanceOfAt and totalSupplyAt.
/// @dev An example of SnapshotHistory keyed by block number. Every balance change writes a checkpoint for
/// the current block (several changes in one block share one checkpoint), so balanceOfAt(account, b) is the
/// balance at the end of block `b`. Only finished blocks can be queried (b < block.number): the current
/// block's values may still change, which makes them unusable for votes or payouts.
/// Balances and the total supply are limited to 2**224-1 and block numbers to 2**32-1 (SnapshotHistory errors).
/// This is a ledger, not an ERC-20 token (no allowances, no decimals).
contract SnapshotBalances is Ownable2Step {
    using SnapshotHistory for SnapshotHistory.History;

    mapping(address account => SnapshotHistory.History) private _balances;
    SnapshotHistory.History private _totalSupply;

    /// @notice `amount` moved from `from` to `to`; `from` is zero for mints, `to` is zero for burns.
    event Transfer(address indexed from, address indexed to, uint256 amount);

    /// @notice `account` holds `balance`, less than the `needed` amount.
    error InsufficientBalance(address account, uint256 balance, uint256 needed);
    /// @notice The zero address cannot hold or send balances.
    error InvalidAccount(address account);
    /// @notice Block `blockNumber` is not finished yet (the current block is `currentBlock`).
    error FutureLookup(uint256 blockNumber, uint256 currentBlock);

    constructor(address initialOwner) Ownable2Step(initialOwner) {}

    // ---------------------------------------------------------------- changes

    /// @notice Create `amount` for `to`. Only the owner.
    function mint(address to, uint256 amount) external onlyOwner {
        if (to == address(0)) revert InvalidAccount(address(0));
        _totalSupply.push(block.number, _totalSupply.latest() + amount);
        _balances[to].push(block.number, _balances[to].latest() + amount);
        emit Transfer(address(0), to, amount);
    }

    /// @notice Destroy `amount` of `from`'s balance. Only the owner.
    function burn(address from, uint256 amount) external onlyOwner {
        if (from == address(0)) revert InvalidAccount(address(0));
        _debit(from, amount);
        _totalSupply.push(block.number, _totalSupply.latest() - amount);
        emit Transfer(from, address(0), amount);
    }

    /// @notice Move `amount` of the caller's balance to `to`.
    function transfer(address to, uint256 amount) external {
        if (to == address(0)) revert InvalidAccount(address(0));
        _debit(msg.sender, amount);
        _balances[to].push(block.number, _balances[to].latest() + amount);
        emit Transfer(msg.sender, to, amount);
    }

    // ---------------------------------------------------------------- views

    /// @notice The current balance of `account`.
    function balanceOf(address account) external view returns (uint256) {
        return _balances[account].latest();
    }

    /// @notice The current total of all balances.
    function totalSupply() external view returns (uint256) {
        return _totalSupply.latest();
    }

    /// @notice The balance of `account` at the end of block `blockNumber`; only finished blocks (FutureLookup otherwise).
    function balanceOfAt(address account, uint256 blockNumber) external view returns (uint256) {
        _checkPast(blockNumber);
        return _balances[account].upperLookupRecent(blockNumber);
    }

    /// @notice The total supply at the end of block `blockNumber`; only finished blocks (FutureLookup otherwise).
    function totalSupplyAt(uint256 blockNumber) external view returns (uint256) {
        _checkPast(blockNumber);
        return _totalSupply.upperLookupRecent(blockNumber);
    }

    /// @notice The number of balance checkpoints of `account`.
    function checkpointCount(address account) external view returns (uint256) {
        return _balances[account].length();
    }

    /// @notice Balance checkpoint `index` of `account`: from block `blockNumber` on, the balance was `balance`.
    function checkpointAt(address account, uint256 index) external view returns (uint256 blockNumber, uint256 balance) {
        return _balances[account].at(index);
    }

    // ---------------------------------------------------------------- internals

    function _debit(address from, uint256 amount) private {
        uint256 balance = _balances[from].latest();
        if (balance < amount) revert InsufficientBalance(from, balance, amount);
        _balances[from].push(block.number, balance - amount);
    }

    function _checkPast(uint256 blockNumber) private view {
        if (blockNumber >= block.number) revert FutureLookup(blockNumber, block.number);
    }
}
