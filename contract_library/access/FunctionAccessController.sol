// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title FunctionAccessController
/// @notice Per-function access rules (account groups x function groups, allow-list or deny-list per target+selector), governed by an admin or an M-of-N committee.
/// @dev Every account belongs to at most one account group and every (target, selector) to at most
/// one function group; group id 0 means "none". A permission links an account group to a
/// function group ("listed"). `canCall(caller, target, selector)`:
///   * mode Open (default)  -> true
///   * mode AllowList       -> true iff the caller's account group is linked to the function's group
///   * mode DenyList        -> true iff it is NOT linked.
/// Rule changes are made by the admin (admin mode) or, in committee mode, by proposals that
/// call this contract and execute once `threshold` members approved.
contract FunctionAccessController {
    /// @notice How a (target, selector) is guarded.
    enum Mode {
        Open,
        AllowList,
        DenyList
    }

    struct Proposal {
        address proposer;
        bool executed;
        uint32 approvals;
        uint64 epoch;
        bytes data;
    }

    /// @notice Largest committee.
    uint256 public constant MAX_MEMBERS = 32;

    /// @notice The admin in admin mode; zero in committee mode.
    address public admin;
    /// @notice Committee approvals needed to execute a proposal (0 in admin mode).
    uint256 public threshold;
    /// @notice Bumped on every committee change; proposals of earlier epochs are stale.
    uint64 public epoch;

    address[] private _members;
    mapping(address => bool) private _isMember;

    mapping(address => bytes32) private _accountGroup;
    mapping(address => mapping(bytes4 => bytes32)) private _functionGroup;
    mapping(address => mapping(bytes4 => Mode)) private _mode;
    mapping(bytes32 => mapping(bytes32 => bool)) private _permitted; // accountGroup => functionGroup

    Proposal[] private _proposals;
    mapping(uint256 => mapping(address => bool)) private _approved;

    /// @notice `account` was put into account group `group` (0 = removed from any group).
    event AccountGroupSet(address indexed account, bytes32 indexed group);
    /// @notice Function `selector` of `target` was put into function group `group` (0 = none).
    event FunctionGroupSet(address indexed target, bytes4 indexed selector, bytes32 indexed group);
    /// @notice Function `selector` of `target` is now guarded in `mode`.
    event FunctionModeSet(address indexed target, bytes4 indexed selector, Mode mode);
    /// @notice Account group `accountGroup` is now (un)listed for function group `functionGroup`.
    event PermissionSet(bytes32 indexed accountGroup, bytes32 indexed functionGroup, bool listed);
    /// @notice Admin mode: the admin changed (zero `newAdmin` when switching to committee mode).
    event AdminChanged(address indexed previousAdmin, address indexed newAdmin);
    /// @notice Committee mode: the committee and its threshold were replaced.
    event CommitteeChanged(address[] members, uint256 threshold, uint64 epoch);
    /// @notice Committee member `proposer` proposed calling this contract with `data`.
    event ProposalCreated(uint256 indexed id, address indexed proposer, bytes data);
    /// @notice Committee member `member` approved proposal `id`; `approvals` is the running count.
    event ProposalApproved(uint256 indexed id, address indexed member, uint256 approvals);
    /// @notice Proposal `id` was executed.
    event ProposalExecuted(uint256 indexed id);

    /// @notice The caller may not change rules (not the admin / not an executed proposal).
    error NotGovernance(address caller);
    /// @notice The caller is not a committee member.
    error NotCommitteeMember(address caller);
    /// @notice A zero address where an account is needed.
    error ZeroAddress();
    /// @notice A committee member appears twice.
    error DuplicateMember(address member);
    /// @notice The threshold is not within 1..memberCount, or the committee is too large.
    error InvalidThreshold(uint256 threshold, uint256 memberCount);
    /// @notice No proposal with this id.
    error UnknownProposal(uint256 id);
    /// @notice The proposal was already executed.
    error ProposalAlreadyExecuted(uint256 id);
    /// @notice The committee changed since the proposal was made.
    error ProposalStale(uint256 id);
    /// @notice The member already approved this proposal.
    error AlreadyApproved(uint256 id, address member);
    /// @notice Both an admin and a committee were given to the constructor.
    error ConflictingGovernance();
    /// @notice Proposal data must call this contract's governance functions (at least a selector).
    error InvalidProposalData();

    /// @param initialAdmin The admin (admin mode) — pass zero together with a committee for committee mode.
    /// @param initialMembers Committee members (empty for admin mode).
    /// @param threshold_ Committee approvals needed (ignored in admin mode, must be 0 there).
    constructor(address initialAdmin, address[] memory initialMembers, uint256 threshold_) {
        if (initialMembers.length == 0) {
            if (initialAdmin == address(0)) revert ZeroAddress();
            if (threshold_ != 0) revert InvalidThreshold(threshold_, 0);
            admin = initialAdmin;
            emit AdminChanged(address(0), initialAdmin);
        } else {
            if (initialAdmin != address(0)) revert ConflictingGovernance();
            _setCommittee(initialMembers, threshold_);
        }
    }

    /// @dev The admin, or this contract itself (an executed committee proposal).
    modifier onlyGovernance() {
        if (msg.sender != admin && msg.sender != address(this)) revert NotGovernance(msg.sender);
        _;
    }

    // ---------------------------------------------------------------- the check

    /// @notice Whether `caller` may call function `selector` of `target`.
    function canCall(address caller, address target, bytes4 selector) public view returns (bool) {
        Mode mode = _mode[target][selector];
        if (mode == Mode.Open) return true;
        bytes32 ag = _accountGroup[caller];
        bytes32 fg = _functionGroup[target][selector];
        bool listed = ag != bytes32(0) && fg != bytes32(0) && _permitted[ag][fg];
        return mode == Mode.AllowList ? listed : !listed;
    }

    // ---------------------------------------------------------------- views

    /// @notice The account group of `account` (0 = none).
    function accountGroupOf(address account) external view returns (bytes32) {
        return _accountGroup[account];
    }

    /// @notice The function group of `selector` on `target` (0 = none).
    function functionGroupOf(address target, bytes4 selector) external view returns (bytes32) {
        return _functionGroup[target][selector];
    }

    /// @notice The guard mode of `selector` on `target`.
    function modeOf(address target, bytes4 selector) external view returns (Mode) {
        return _mode[target][selector];
    }

    /// @notice Whether account group `accountGroup` is listed for function group `functionGroup`.
    function isPermitted(bytes32 accountGroup, bytes32 functionGroup) external view returns (bool) {
        return _permitted[accountGroup][functionGroup];
    }

    /// @notice The committee members (empty in admin mode).
    function members() external view returns (address[] memory) {
        return _members;
    }

    /// @notice Whether `account` is a committee member.
    function isMember(address account) external view returns (bool) {
        return _isMember[account];
    }

    /// @notice Number of proposals ever made.
    function proposalCount() external view returns (uint256) {
        return _proposals.length;
    }

    /// @notice Proposal `id`: proposer, executed flag, approvals, epoch and call data.
    function getProposal(uint256 id)
        external
        view
        returns (address proposer, bool executed, uint256 approvals, uint64 proposalEpoch, bytes memory data)
    {
        if (id >= _proposals.length) revert UnknownProposal(id);
        Proposal storage p = _proposals[id];
        return (p.proposer, p.executed, p.approvals, p.epoch, p.data);
    }

    /// @notice Whether `member` approved proposal `id`.
    function hasApproved(uint256 id, address member) external view returns (bool) {
        return _approved[id][member];
    }

    // ---------------------------------------------------------------- rules (governance only)

    /// @notice Put `account` into account group `group` (0 removes it from its group).
    function setAccountGroup(address account, bytes32 group) external onlyGovernance {
        if (account == address(0)) revert ZeroAddress();
        _accountGroup[account] = group;
        emit AccountGroupSet(account, group);
    }

    /// @notice Put function `selector` of `target` into function group `group` (0 = none).
    function setFunctionGroup(address target, bytes4 selector, bytes32 group) external onlyGovernance {
        if (target == address(0)) revert ZeroAddress();
        _functionGroup[target][selector] = group;
        emit FunctionGroupSet(target, selector, group);
    }

    /// @notice Guard function `selector` of `target` in `mode` (Open, AllowList or DenyList).
    function setFunctionMode(address target, bytes4 selector, Mode mode) external onlyGovernance {
        if (target == address(0)) revert ZeroAddress();
        _mode[target][selector] = mode;
        emit FunctionModeSet(target, selector, mode);
    }

    /// @notice List (or unlist) account group `accountGroup` for function group `functionGroup`.
    function setPermission(bytes32 accountGroup, bytes32 functionGroup, bool listed) external onlyGovernance {
        _permitted[accountGroup][functionGroup] = listed;
        emit PermissionSet(accountGroup, functionGroup, listed);
    }

    /// @notice Switch to (or stay in) admin mode with `newAdmin`; clears the committee.
    function setAdmin(address newAdmin) external onlyGovernance {
        if (newAdmin == address(0)) revert ZeroAddress();
        if (_members.length != 0) {
            _clearCommittee();
            threshold = 0;
            epoch += 1;
            emit CommitteeChanged(_members, 0, epoch);
        }
        address previous = admin;
        admin = newAdmin;
        emit AdminChanged(previous, newAdmin);
    }

    /// @notice Switch to (or stay in) committee mode with `newMembers` and `newThreshold`; clears the admin.
    /// Pending proposals become stale.
    function setCommittee(address[] calldata newMembers, uint256 newThreshold) external onlyGovernance {
        if (admin != address(0)) {
            emit AdminChanged(admin, address(0));
            admin = address(0);
        }
        _clearCommittee();
        _setCommittee(newMembers, newThreshold);
    }

    // ---------------------------------------------------------------- committee

    /// @notice Propose calling this contract with `data` (a governance function call); counts as the
    /// proposer's approval and executes immediately when the threshold is 1.
    /// @return id The proposal id.
    function propose(bytes calldata data) external returns (uint256 id) {
        if (!_isMember[msg.sender]) revert NotCommitteeMember(msg.sender);
        if (data.length < 4) revert InvalidProposalData();
        id = _proposals.length;
        _proposals.push(Proposal({proposer: msg.sender, executed: false, approvals: 0, epoch: epoch, data: data}));
        emit ProposalCreated(id, msg.sender, data);
        _approve(id);
    }

    /// @notice Approve proposal `id`; executes it when approvals reach the threshold.
    function approve(uint256 id) external {
        if (!_isMember[msg.sender]) revert NotCommitteeMember(msg.sender);
        if (id >= _proposals.length) revert UnknownProposal(id);
        _approve(id);
    }

    // ---------------------------------------------------------------- internals

    function _approve(uint256 id) private {
        Proposal storage p = _proposals[id];
        if (p.executed) revert ProposalAlreadyExecuted(id);
        if (p.epoch != epoch) revert ProposalStale(id);
        if (_approved[id][msg.sender]) revert AlreadyApproved(id, msg.sender);
        _approved[id][msg.sender] = true;
        uint32 count = p.approvals + 1;
        p.approvals = count;
        emit ProposalApproved(id, msg.sender, count);
        if (count >= threshold) {
            p.executed = true;
            (bool ok, bytes memory ret) = address(this).call(p.data);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(ret, 0x20), mload(ret))
                }
            }
            emit ProposalExecuted(id);
        }
    }

    function _clearCommittee() private {
        for (uint256 i = 0; i < _members.length; i++) {
            _isMember[_members[i]] = false;
        }
        delete _members;
    }

    function _setCommittee(address[] memory newMembers, uint256 newThreshold) private {
        uint256 n = newMembers.length;
        if (n > MAX_MEMBERS || newThreshold == 0 || newThreshold > n) revert InvalidThreshold(newThreshold, n);
        for (uint256 i = 0; i < n; i++) {
            address m = newMembers[i];
            if (m == address(0)) revert ZeroAddress();
            if (_isMember[m]) revert DuplicateMember(m);
            _isMember[m] = true;
            _members.push(m);
        }
        threshold = newThreshold;
        epoch += 1;
        emit CommitteeChanged(newMembers, newThreshold, epoch);
    }
}
