// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title MultiSigWallet
/// @notice M-of-N owner wallet: owners submit, confirm, revoke and execute arbitrary calls; owners and threshold change only through the wallet itself.
/// @dev The threshold is validated in the constructor (1 <= threshold <= owners) and on every change,
/// so a wallet can never run with an uninitialised or unreachable threshold. Confirmations are
/// counted over the *current* owners at execution time, so a removed owner's confirmation no longer counts
/// (not even after the owner is added again).
contract MultiSigWallet {
    struct Transaction {
        address to;
        uint256 value;
        bytes data;
        bool executed;
    }

    /// @notice Largest owner set.
    uint256 public constant MAX_OWNERS = 32;

    /// @notice Confirmations needed to execute.
    uint256 public threshold;
    address[] private _owners;
    mapping(address => bool) private _isOwner;
    Transaction[] private _transactions;
    // id => owner => the owner's membership generation at confirmation time (0 = none);
    // a confirmation is valid only while it matches the owner's current generation, so
    // confirmations do not survive removing and re-adding an owner.
    mapping(uint256 => mapping(address => uint256)) private _confirmed;
    mapping(address => uint256) private _generation;
    uint256 private _generations;

    /// @notice `sender` sent `amount` wei to the wallet.
    event Deposit(address indexed sender, uint256 amount);
    /// @notice Owner `owner` submitted transaction `id` calling `to` with `value` and `data`.
    event Submitted(uint256 indexed id, address indexed owner, address indexed to, uint256 value, bytes data);
    /// @notice Owner `owner` confirmed transaction `id`.
    event Confirmed(uint256 indexed id, address indexed owner);
    /// @notice Owner `owner` withdrew its confirmation of transaction `id`.
    event Revoked(uint256 indexed id, address indexed owner);
    /// @notice Transaction `id` was executed by `executor`.
    event Executed(uint256 indexed id, address indexed executor);
    /// @notice `owner` became an owner.
    event OwnerAdded(address indexed owner);
    /// @notice `owner` stopped being an owner.
    event OwnerRemoved(address indexed owner);
    /// @notice The threshold changed to `threshold`.
    event ThresholdChanged(uint256 threshold);

    /// @notice The caller is not an owner (or `account` is not one, for removeOwner).
    error NotOwner(address account);
    /// @notice Owner management is only possible through a wallet transaction.
    error OnlyWallet(address caller);
    /// @notice The threshold is not within 1..ownerCount (or too many owners).
    error InvalidThreshold(uint256 threshold, uint256 ownerCount);
    /// @notice An owner appears twice, or is already an owner.
    error DuplicateOwner(address owner);
    /// @notice The zero address cannot be an owner.
    error ZeroAddress();
    /// @notice No transaction with this id.
    error UnknownTransaction(uint256 id);
    /// @notice The transaction was already executed.
    error AlreadyExecuted(uint256 id);
    /// @notice The owner already confirmed the transaction.
    error AlreadyConfirmed(uint256 id, address owner);
    /// @notice The owner has not confirmed the transaction.
    error NotConfirmed(uint256 id, address owner);
    /// @notice Not enough confirmations yet.
    error ThresholdNotReached(uint256 id, uint256 confirmations, uint256 threshold);
    /// @notice The call reverted; `reason` is its revert data.
    error ExecutionFailed(uint256 id, bytes reason);

    constructor(address[] memory owners_, uint256 threshold_) {
        uint256 n = owners_.length;
        if (n > MAX_OWNERS || threshold_ == 0 || threshold_ > n) revert InvalidThreshold(threshold_, n);
        for (uint256 i = 0; i < n; i++) {
            _addOwner(owners_[i]);
        }
        threshold = threshold_;
        emit ThresholdChanged(threshold_);
    }

    modifier onlyOwner() {
        if (!_isOwner[msg.sender]) revert NotOwner(msg.sender);
        _;
    }

    modifier onlyWallet() {
        if (msg.sender != address(this)) revert OnlyWallet(msg.sender);
        _;
    }

    modifier pending(uint256 id) {
        if (id >= _transactions.length) revert UnknownTransaction(id);
        if (_transactions[id].executed) revert AlreadyExecuted(id);
        _;
    }

    /// @notice Accept ether.
    receive() external payable {
        emit Deposit(msg.sender, msg.value);
    }

    // ---------------------------------------------------------------- views

    /// @notice The owners.
    function owners() external view returns (address[] memory) {
        return _owners;
    }

    /// @notice Whether `account` is an owner.
    function isOwner(address account) external view returns (bool) {
        return _isOwner[account];
    }

    /// @notice Number of transactions ever submitted.
    function transactionCount() external view returns (uint256) {
        return _transactions.length;
    }

    /// @notice Transaction `id`.
    function getTransaction(uint256 id)
        external
        view
        returns (address to, uint256 value, bytes memory data, bool executed)
    {
        if (id >= _transactions.length) revert UnknownTransaction(id);
        Transaction storage t = _transactions[id];
        return (t.to, t.value, t.data, t.executed);
    }

    /// @notice Whether `owner` confirmed transaction `id`.
    function isConfirmed(uint256 id, address owner) external view returns (bool) {
        return _isOwner[owner] && _confirmed[id][owner] == _generation[owner];
    }

    /// @notice Confirmations of transaction `id` by current owners.
    function confirmationCount(uint256 id) public view returns (uint256 count) {
        for (uint256 i = 0; i < _owners.length; i++) {
            address o = _owners[i];
            if (_confirmed[id][o] == _generation[o]) count++;
        }
    }

    // ---------------------------------------------------------------- owners

    /// @notice Submit a call of `to` with `value` wei and `data`; counts as the submitter's confirmation.
    /// @return id The transaction id.
    function submit(address to, uint256 value, bytes calldata data) external onlyOwner returns (uint256 id) {
        id = _transactions.length;
        _transactions.push(Transaction({to: to, value: value, data: data, executed: false}));
        emit Submitted(id, msg.sender, to, value, data);
        _confirmed[id][msg.sender] = _generation[msg.sender];
        emit Confirmed(id, msg.sender);
    }

    /// @notice Confirm transaction `id`.
    function confirm(uint256 id) external onlyOwner pending(id) {
        if (_confirmed[id][msg.sender] == _generation[msg.sender]) revert AlreadyConfirmed(id, msg.sender);
        _confirmed[id][msg.sender] = _generation[msg.sender];
        emit Confirmed(id, msg.sender);
    }

    /// @notice Withdraw your confirmation of transaction `id`.
    function revoke(uint256 id) external onlyOwner pending(id) {
        if (_confirmed[id][msg.sender] != _generation[msg.sender]) revert NotConfirmed(id, msg.sender);
        _confirmed[id][msg.sender] = 0;
        emit Revoked(id, msg.sender);
    }

    /// @notice Execute transaction `id` once it has `threshold` confirmations. Any owner.
    function execute(uint256 id) external onlyOwner pending(id) {
        uint256 count = confirmationCount(id);
        if (count < threshold) revert ThresholdNotReached(id, count, threshold);
        Transaction storage t = _transactions[id];
        t.executed = true;
        (bool ok, bytes memory ret) = t.to.call{value: t.value}(t.data);
        if (!ok) revert ExecutionFailed(id, ret);
        emit Executed(id, msg.sender);
    }

    // ---------------------------------------------------------------- wallet-only management

    /// @notice Add `owner`. Only through a wallet transaction.
    function addOwner(address owner) external onlyWallet {
        if (_owners.length >= MAX_OWNERS) revert InvalidThreshold(threshold, _owners.length + 1);
        _addOwner(owner);
    }

    /// @notice Remove `owner`; lowers the threshold to the owner count if needed. Only through a wallet transaction.
    function removeOwner(address owner) external onlyWallet {
        if (!_isOwner[owner]) revert NotOwner(owner);
        if (_owners.length == 1) revert InvalidThreshold(threshold, 0);
        _isOwner[owner] = false;
        uint256 n = _owners.length;
        for (uint256 i = 0; i < n; i++) {
            if (_owners[i] == owner) {
                _owners[i] = _owners[n - 1];
                _owners.pop();
                break;
            }
        }
        emit OwnerRemoved(owner);
        if (threshold > _owners.length) {
            threshold = _owners.length;
            emit ThresholdChanged(threshold);
        }
    }

    /// @notice Set the threshold to `newThreshold` (1..ownerCount). Only through a wallet transaction.
    function changeThreshold(uint256 newThreshold) external onlyWallet {
        if (newThreshold == 0 || newThreshold > _owners.length) revert InvalidThreshold(newThreshold, _owners.length);
        threshold = newThreshold;
        emit ThresholdChanged(newThreshold);
    }

    function _addOwner(address owner) private {
        if (owner == address(0)) revert ZeroAddress();
        if (_isOwner[owner]) revert DuplicateOwner(owner);
        _isOwner[owner] = true;
        _generation[owner] = ++_generations;
        _owners.push(owner);
        emit OwnerAdded(owner);
    }
}
