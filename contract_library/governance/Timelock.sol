// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Timelock
/// @notice Delayed execution: the admin queues calls with an ETA at least `delay` ahead, executes them within a grace period, or cancels them.
/// @dev A queued call is identified by `keccak256(abi.encode(target, value, data, eta))`.
/// The delay and the admin change only through the timelock itself (queue a call to `setDelay` /
/// `setPendingAdmin`); the pending admin then calls `acceptAdmin`.
contract Timelock {
    /// @notice Lowest allowed delay.
    uint256 public immutable minDelay;
    /// @notice Highest allowed delay.
    uint256 public constant MAX_DELAY = 30 days;
    /// @notice How long after its ETA a queued call stays executable.
    uint256 public immutable gracePeriod;

    /// @notice The admin, who queues, executes and cancels.
    address public admin;
    /// @notice The nominated next admin (zero if none).
    address public pendingAdmin;
    /// @notice The current delay (minDelay <= delay <= MAX_DELAY).
    uint256 public delay;
    /// @notice Whether a call with this id is queued.
    mapping(bytes32 => bool) public queued;

    /// @notice A call was queued.
    event Queued(bytes32 indexed id, address indexed target, uint256 value, bytes data, uint256 eta);
    /// @notice A queued call was executed.
    event Executed(bytes32 indexed id, address indexed target, uint256 value, bytes data, uint256 eta);
    /// @notice A queued call was cancelled.
    event Cancelled(bytes32 indexed id);
    /// @notice The delay changed.
    event DelayChanged(uint256 delay);
    /// @notice `pendingAdmin` was nominated as the next admin.
    event PendingAdminSet(address indexed pendingAdmin);
    /// @notice The admin changed.
    event AdminChanged(address indexed previousAdmin, address indexed newAdmin);

    /// @notice The caller is not the admin.
    error NotAdmin(address caller);
    /// @notice The caller is not the pending admin.
    error NotPendingAdmin(address caller);
    /// @notice Only the timelock itself (a queued call) may do this.
    error OnlyTimelock(address caller);
    /// @notice The zero address where an account is needed.
    error ZeroAddress();
    /// @notice Delay outside minDelay..MAX_DELAY (or a zero grace period / minDelay above MAX_DELAY at construction).
    error InvalidDelay(uint256 delay);
    /// @notice The grace period must be positive.
    error InvalidGracePeriod();
    /// @notice The ETA is earlier than now + delay.
    error EtaTooEarly(uint256 eta, uint256 earliest);
    /// @notice The call is already queued.
    error AlreadyQueued(bytes32 id);
    /// @notice The call is not queued.
    error NotQueued(bytes32 id);
    /// @notice The ETA has not been reached yet.
    error NotReady(bytes32 id, uint256 eta);
    /// @notice The grace period is over.
    error Expired(bytes32 id, uint256 deadline);
    /// @notice The call reverted; `reason` is its revert data.
    error ExecutionFailed(bytes32 id, bytes reason);

    constructor(address admin_, uint256 minDelay_, uint256 initialDelay, uint256 gracePeriod_) {
        if (admin_ == address(0)) revert ZeroAddress();
        if (minDelay_ > MAX_DELAY) revert InvalidDelay(minDelay_);
        if (initialDelay < minDelay_ || initialDelay > MAX_DELAY) revert InvalidDelay(initialDelay);
        if (gracePeriod_ == 0) revert InvalidGracePeriod();
        admin = admin_;
        minDelay = minDelay_;
        delay = initialDelay;
        gracePeriod = gracePeriod_;
        emit AdminChanged(address(0), admin_);
        emit DelayChanged(initialDelay);
    }

    modifier onlyAdmin() {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        _;
    }

    modifier onlyTimelock() {
        if (msg.sender != address(this)) revert OnlyTimelock(msg.sender);
        _;
    }

    /// @notice Accept ether (to fund queued calls with value).
    receive() external payable {}

    /// @notice The id of a queued call.
    function hashCall(address target, uint256 value, bytes calldata data, uint256 eta) public pure returns (bytes32) {
        return keccak256(abi.encode(target, value, data, eta));
    }

    /// @notice Queue a call of `target` with `value` and `data` for `eta` (>= now + delay). Only the admin.
    /// @return id The call id.
    function queue(address target, uint256 value, bytes calldata data, uint256 eta)
        external
        onlyAdmin
        returns (bytes32 id)
    {
        uint256 earliest = block.timestamp + delay;
        if (eta < earliest) revert EtaTooEarly(eta, earliest);
        id = hashCall(target, value, data, eta);
        if (queued[id]) revert AlreadyQueued(id);
        queued[id] = true;
        emit Queued(id, target, value, data, eta);
    }

    /// @notice Cancel a queued call. Only the admin.
    function cancel(address target, uint256 value, bytes calldata data, uint256 eta) external onlyAdmin {
        bytes32 id = hashCall(target, value, data, eta);
        if (!queued[id]) revert NotQueued(id);
        queued[id] = false;
        emit Cancelled(id);
    }

    /// @notice Execute a queued call between its ETA and ETA + gracePeriod. Only the admin.
    /// @return result The call's return data.
    function execute(address target, uint256 value, bytes calldata data, uint256 eta)
        external
        payable
        onlyAdmin
        returns (bytes memory result)
    {
        bytes32 id = hashCall(target, value, data, eta);
        if (!queued[id]) revert NotQueued(id);
        if (block.timestamp < eta) revert NotReady(id, eta);
        if (block.timestamp > eta + gracePeriod) revert Expired(id, eta + gracePeriod);
        queued[id] = false;
        bool ok;
        (ok, result) = target.call{value: value}(data);
        if (!ok) revert ExecutionFailed(id, result);
        emit Executed(id, target, value, data, eta);
    }

    /// @notice Change the delay (minDelay..MAX_DELAY). Only through a queued call.
    function setDelay(uint256 newDelay) external onlyTimelock {
        if (newDelay < minDelay || newDelay > MAX_DELAY) revert InvalidDelay(newDelay);
        delay = newDelay;
        emit DelayChanged(newDelay);
    }

    /// @notice Nominate the next admin. Only through a queued call.
    function setPendingAdmin(address newPendingAdmin) external onlyTimelock {
        if (newPendingAdmin == address(0)) revert ZeroAddress();
        pendingAdmin = newPendingAdmin;
        emit PendingAdminSet(newPendingAdmin);
    }

    /// @notice Become admin. Only the pending admin.
    function acceptAdmin() external {
        if (msg.sender != pendingAdmin) revert NotPendingAdmin(msg.sender);
        address previous = admin;
        admin = msg.sender;
        pendingAdmin = address(0);
        emit AdminChanged(previous, msg.sender);
    }
}
