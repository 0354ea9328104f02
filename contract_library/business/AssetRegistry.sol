// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/access/AccessControl.sol";
import "@smartdev/access/Pausable.sol";
import {EnumerableSet} from "@smartdev/structures/EnumerableSet.sol";

/// @title AssetRegistry
/// @notice Consortium asset registry: members admitted by M-of-N approval register assets and transfer them by offer and acceptance, with admin freezes and ownership history.
/// @dev Members are addresses standing for organisations. A candidate joins once `threshold` current
/// members approved its admission (approvals of members removed since then no longer count). Admins
/// (DEFAULT_ADMIN_ROLE) set the threshold, remove members, freeze assets and pause; they cannot move
/// assets. Assets of a removed member stay recorded under it and can only move again once it is
/// re-admitted. Member count is bounded by MAX_MEMBERS, so approval counting is bounded.
contract AssetRegistry is AccessControl, Pausable {
    using EnumerableSet for EnumerableSet.AddressSet;
    using EnumerableSet for EnumerableSet.Bytes32Set;

    /// @notice An admission request.
    struct Admission {
        address candidate;
        address proposer;
        bool executed;
        bool cancelled;
        uint64 createdAt;
        string name;
        address[] approvers;
    }

    /// @notice A registered asset.
    struct Asset {
        address owner;
        address pendingOwner;
        bool frozen;
        uint64 registeredAt;
        bytes32 metadataHash;
        string uri;
    }

    /// @notice One owner in an asset's history, from `since`.
    struct Ownership {
        address owner;
        uint64 since;
    }

    /// @notice Largest membership.
    uint256 public constant MAX_MEMBERS = 50;

    /// @notice Approvals (by current members) needed to admit a member.
    uint256 public threshold;
    EnumerableSet.AddressSet private _members;
    mapping(address => string) private _names;
    Admission[] private _admissions; // index = id - 1
    mapping(uint256 => mapping(address => bool)) private _approved;
    mapping(bytes32 => Asset) private _assets;
    mapping(bytes32 => Ownership[]) private _ownership;
    bytes32[] private _assetIds;
    mapping(address => EnumerableSet.Bytes32Set) private _assetsOf;

    /// @notice `account` became a member named `name` (admission `admissionId`, 0 = founder).
    event MemberAdmitted(address indexed account, string name, uint256 indexed admissionId);
    /// @notice An admin removed member `account`.
    event MemberRemoved(address indexed account);
    /// @notice The admission threshold is now `threshold`.
    event ThresholdChanged(uint256 threshold);
    /// @notice Member `proposer` asked to admit `candidate` named `name` (admission `id`).
    event AdmissionProposed(uint256 indexed id, address indexed candidate, address indexed proposer, string name);
    /// @notice Member `member` approved admission `id`.
    event AdmissionApproved(uint256 indexed id, address indexed member);
    /// @notice Admission `id` was cancelled by `by`.
    event AdmissionCancelled(uint256 indexed id, address indexed by);
    /// @notice Member `owner` registered asset `assetId`.
    event AssetRegistered(bytes32 indexed assetId, address indexed owner, string uri, bytes32 metadataHash);
    /// @notice The owner updated the metadata of asset `assetId`.
    event MetadataUpdated(bytes32 indexed assetId, string uri, bytes32 metadataHash);
    /// @notice `from` offered asset `assetId` to `to`.
    event TransferOffered(bytes32 indexed assetId, address indexed from, address indexed to);
    /// @notice `from` withdrew its offer of asset `assetId` to `to`.
    event TransferCancelled(bytes32 indexed assetId, address indexed from, address indexed to);
    /// @notice `to` rejected the offer of asset `assetId` from `from`.
    event TransferRejected(bytes32 indexed assetId, address indexed from, address indexed to);
    /// @notice Asset `assetId` moved from `from` to `to`.
    event AssetTransferred(bytes32 indexed assetId, address indexed from, address indexed to);
    /// @notice An admin froze asset `assetId` for `reason`.
    event AssetFrozen(bytes32 indexed assetId, bytes32 reason);
    /// @notice An admin unfroze asset `assetId`.
    event AssetUnfrozen(bytes32 indexed assetId);

    /// @notice The zero address where an account is needed.
    error ZeroAddress();
    /// @notice Founder accounts and names differ in length.
    error LengthMismatch(uint256 accounts, uint256 names);
    /// @notice The threshold is not within 1..memberCount.
    error InvalidThreshold(uint256 threshold, uint256 memberCount);
    /// @notice The membership would exceed MAX_MEMBERS.
    error TooManyMembers();
    /// @notice `account` is not a member.
    error NotMember(address account);
    /// @notice `account` is already a member.
    error AlreadyMember(address account);
    /// @notice The last member cannot be removed.
    error LastMember();
    /// @notice No admission with id `id`.
    error UnknownAdmission(uint256 id);
    /// @notice Admission `id` was already executed or cancelled.
    error AdmissionClosed(uint256 id);
    /// @notice `member` already approved admission `id`.
    error AlreadyApproved(uint256 id, address member);
    /// @notice Only the proposer or an admin may cancel admission `id`.
    error NotProposer(uint256 id, address account);
    /// @notice The zero id cannot be registered.
    error ZeroAssetId();
    /// @notice Asset `assetId` is already registered.
    error AssetExists(bytes32 assetId);
    /// @notice Asset `assetId` is not registered.
    error UnknownAsset(bytes32 assetId);
    /// @notice `account` does not own asset `assetId`.
    error NotAssetOwner(bytes32 assetId, address account);
    /// @notice `account` was not offered asset `assetId`.
    error NotPendingOwner(bytes32 assetId, address account);
    /// @notice Asset `assetId` is frozen.
    error AssetIsFrozen(bytes32 assetId);
    /// @notice Asset `assetId` is not frozen.
    error AssetNotFrozen(bytes32 assetId);
    /// @notice Asset `assetId` already has a pending offer to `pendingOwner`.
    error TransferPending(bytes32 assetId, address pendingOwner);
    /// @notice Asset `assetId` has no pending offer.
    error NoPendingTransfer(bytes32 assetId);
    /// @notice An asset cannot be offered to its owner.
    error InvalidRecipient(address account);

    /// @param admin Receives DEFAULT_ADMIN_ROLE.
    /// @param founders The first members; `names` their organisation names.
    /// @param threshold_ Approvals needed to admit a member (1..founders).
    constructor(address admin, address[] memory founders, string[] memory names, uint256 threshold_) {
        if (admin == address(0)) revert ZeroAddress();
        if (founders.length != names.length) revert LengthMismatch(founders.length, names.length);
        if (founders.length > MAX_MEMBERS) revert TooManyMembers();
        if (threshold_ == 0 || threshold_ > founders.length) revert InvalidThreshold(threshold_, founders.length);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        for (uint256 i = 0; i < founders.length; i++) {
            _admit(founders[i], names[i], 0);
        }
        threshold = threshold_;
        emit ThresholdChanged(threshold_);
    }

    modifier onlyMember() {
        if (!_members.contains(msg.sender)) revert NotMember(msg.sender);
        _;
    }

    // ---------------------------------------------------------------- admin

    /// @notice Stop every member action. Only admins.
    function pause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _pause();
    }

    /// @notice Resume. Only admins.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    /// @notice Set the admission threshold to `newThreshold` (1..memberCount). Only admins.
    function setThreshold(uint256 newThreshold) external onlyRole(DEFAULT_ADMIN_ROLE) {
        uint256 n = _members.length();
        if (newThreshold == 0 || newThreshold > n) revert InvalidThreshold(newThreshold, n);
        threshold = newThreshold;
        emit ThresholdChanged(newThreshold);
    }

    /// @notice Remove member `account` (lowers the threshold to the member count if needed). Only admins.
    function removeMember(address account) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (_members.length() == 1 && _members.contains(account)) revert LastMember();
        if (!_members.remove(account)) revert NotMember(account);
        delete _names[account];
        emit MemberRemoved(account);
        uint256 n = _members.length();
        if (threshold > n) {
            threshold = n;
            emit ThresholdChanged(n);
        }
    }

    /// @notice Freeze asset `assetId` for `reason`: no metadata updates, offers or acceptances. Only admins.
    function freeze(bytes32 assetId, bytes32 reason) external onlyRole(DEFAULT_ADMIN_ROLE) {
        Asset storage a = _asset(assetId);
        if (a.frozen) revert AssetIsFrozen(assetId);
        a.frozen = true;
        emit AssetFrozen(assetId, reason);
    }

    /// @notice Unfreeze asset `assetId`. Only admins.
    function unfreeze(bytes32 assetId) external onlyRole(DEFAULT_ADMIN_ROLE) {
        Asset storage a = _asset(assetId);
        if (!a.frozen) revert AssetNotFrozen(assetId);
        a.frozen = false;
        emit AssetUnfrozen(assetId);
    }

    // ---------------------------------------------------------------- membership

    /// @notice Ask to admit `candidate` named `name`; counts as the caller's approval (admits at once if that
    /// reaches the threshold). Only members.
    /// @return id The admission id (ids start at 1).
    function proposeMember(address candidate, string calldata name) external onlyMember whenNotPaused returns (uint256 id) {
        if (candidate == address(0)) revert ZeroAddress();
        if (_members.contains(candidate)) revert AlreadyMember(candidate);
        Admission storage a = _admissions.push();
        a.candidate = candidate;
        a.proposer = msg.sender;
        a.createdAt = uint64(block.timestamp);
        a.name = name;
        id = _admissions.length;
        emit AdmissionProposed(id, candidate, msg.sender, name);
        _approve(id, a);
    }

    /// @notice Approve admission `id`; admits the candidate once `threshold` current members approved. Only members.
    function approveMember(uint256 id) external onlyMember whenNotPaused {
        Admission storage a = _openAdmission(id);
        if (_approved[id][msg.sender]) revert AlreadyApproved(id, msg.sender);
        _approve(id, a);
    }

    /// @notice Cancel admission `id`. Only its proposer or an admin.
    function cancelAdmission(uint256 id) external {
        Admission storage a = _openAdmission(id);
        if (msg.sender != a.proposer && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) revert NotProposer(id, msg.sender);
        a.cancelled = true;
        emit AdmissionCancelled(id, msg.sender);
    }

    // ---------------------------------------------------------------- assets

    /// @notice Register asset `assetId` owned by the caller, with metadata at `uri` hashing to `metadataHash`. Only members.
    function registerAsset(bytes32 assetId, string calldata uri, bytes32 metadataHash) external onlyMember whenNotPaused {
        if (assetId == bytes32(0)) revert ZeroAssetId();
        Asset storage a = _assets[assetId];
        if (a.owner != address(0)) revert AssetExists(assetId);
        a.owner = msg.sender;
        a.registeredAt = uint64(block.timestamp);
        a.metadataHash = metadataHash;
        a.uri = uri;
        _assetIds.push(assetId);
        _assetsOf[msg.sender].add(assetId);
        _ownership[assetId].push(Ownership({owner: msg.sender, since: uint64(block.timestamp)}));
        emit AssetRegistered(assetId, msg.sender, uri, metadataHash);
    }

    /// @notice Replace the metadata of asset `assetId`. Only its owner, while a member and not frozen.
    function updateMetadata(bytes32 assetId, string calldata uri, bytes32 metadataHash) external onlyMember whenNotPaused {
        Asset storage a = _ownedUnfrozen(assetId);
        a.uri = uri;
        a.metadataHash = metadataHash;
        emit MetadataUpdated(assetId, uri, metadataHash);
    }

    /// @notice Offer asset `assetId` to member `to`, who must accept. Only its owner, while a member and not frozen.
    function offerTransfer(bytes32 assetId, address to) external onlyMember whenNotPaused {
        Asset storage a = _ownedUnfrozen(assetId);
        if (to == msg.sender) revert InvalidRecipient(to);
        if (!_members.contains(to)) revert NotMember(to);
        if (a.pendingOwner != address(0)) revert TransferPending(assetId, a.pendingOwner);
        a.pendingOwner = to;
        emit TransferOffered(assetId, msg.sender, to);
    }

    /// @notice Withdraw the pending offer of asset `assetId`. Only its owner.
    function cancelTransfer(bytes32 assetId) external whenNotPaused {
        Asset storage a = _asset(assetId);
        if (msg.sender != a.owner) revert NotAssetOwner(assetId, msg.sender);
        address to = a.pendingOwner;
        if (to == address(0)) revert NoPendingTransfer(assetId);
        a.pendingOwner = address(0);
        emit TransferCancelled(assetId, msg.sender, to);
    }

    /// @notice Refuse the offer of asset `assetId`. Only the offered organisation.
    function rejectTransfer(bytes32 assetId) external whenNotPaused {
        Asset storage a = _asset(assetId);
        if (msg.sender != a.pendingOwner) revert NotPendingOwner(assetId, msg.sender);
        a.pendingOwner = address(0);
        emit TransferRejected(assetId, a.owner, msg.sender);
    }

    /// @notice Take asset `assetId`. Only the offered organisation, while a member and the asset is not frozen.
    function acceptTransfer(bytes32 assetId) external onlyMember whenNotPaused {
        Asset storage a = _asset(assetId);
        if (msg.sender != a.pendingOwner) revert NotPendingOwner(assetId, msg.sender);
        if (a.frozen) revert AssetIsFrozen(assetId);
        address from = a.owner;
        a.owner = msg.sender;
        a.pendingOwner = address(0);
        _assetsOf[from].remove(assetId);
        _assetsOf[msg.sender].add(assetId);
        _ownership[assetId].push(Ownership({owner: msg.sender, since: uint64(block.timestamp)}));
        emit AssetTransferred(assetId, from, msg.sender);
    }

    // ---------------------------------------------------------------- views

    /// @notice Whether `account` is a member.
    function isMember(address account) external view returns (bool) {
        return _members.contains(account);
    }

    /// @notice The organisation name of member `account` (empty if not a member).
    function memberName(address account) external view returns (string memory) {
        return _names[account];
    }

    /// @notice Number of members.
    function memberCount() external view returns (uint256) {
        return _members.length();
    }

    /// @notice Members, `limit` of them from `offset` (order changes on removal).
    function members(uint256 offset, uint256 limit) external view returns (address[] memory page) {
        (uint256 start, uint256 end) = _window(_members.length(), offset, limit);
        page = new address[](end - start);
        for (uint256 i = start; i < end; i++) {
            page[i - start] = _members.at(i);
        }
    }

    /// @notice Number of admissions ever proposed (ids are 1..admissionCount).
    function admissionCount() external view returns (uint256) {
        return _admissions.length;
    }

    /// @notice Admission `id` (its `approvers` include members removed since).
    function getAdmission(uint256 id) external view returns (Admission memory) {
        return _admission(id);
    }

    /// @notice Approvals of admission `id` by current members.
    function approvalCount(uint256 id) public view returns (uint256 count) {
        address[] storage approvers = _admission(id).approvers;
        for (uint256 i = 0; i < approvers.length; i++) {
            if (_members.contains(approvers[i])) count++;
        }
    }

    /// @notice Whether `member` approved admission `id`.
    function hasApproved(uint256 id, address member) external view returns (bool) {
        return _approved[id][member];
    }

    /// @notice Asset `assetId`.
    function getAsset(bytes32 assetId) external view returns (Asset memory) {
        return _asset(assetId);
    }

    /// @notice Every owner of asset `assetId`, oldest first (the last is the current owner).
    function ownershipHistory(bytes32 assetId) external view returns (Ownership[] memory) {
        _asset(assetId);
        return _ownership[assetId];
    }

    /// @notice Number of registered assets.
    function assetCount() external view returns (uint256) {
        return _assetIds.length;
    }

    /// @notice Registered asset ids in registration order, `limit` of them from `offset`.
    function assetIds(uint256 offset, uint256 limit) external view returns (bytes32[] memory page) {
        (uint256 start, uint256 end) = _window(_assetIds.length, offset, limit);
        page = new bytes32[](end - start);
        for (uint256 i = start; i < end; i++) {
            page[i - start] = _assetIds[i];
        }
    }

    /// @notice Number of assets `org` owns.
    function assetCountOf(address org) external view returns (uint256) {
        return _assetsOf[org].length();
    }

    /// @notice Ids of assets `org` owns, `limit` of them from `offset` (order changes on transfer).
    function assetsOf(address org, uint256 offset, uint256 limit) external view returns (bytes32[] memory page) {
        EnumerableSet.Bytes32Set storage s = _assetsOf[org];
        (uint256 start, uint256 end) = _window(s.length(), offset, limit);
        page = new bytes32[](end - start);
        for (uint256 i = start; i < end; i++) {
            page[i - start] = s.at(i);
        }
    }

    // ---------------------------------------------------------------- internals

    function _admit(address account, string memory name, uint256 admissionId) private {
        if (account == address(0)) revert ZeroAddress();
        if (_members.length() >= MAX_MEMBERS) revert TooManyMembers();
        if (!_members.add(account)) revert AlreadyMember(account);
        _names[account] = name;
        emit MemberAdmitted(account, name, admissionId);
    }

    function _approve(uint256 id, Admission storage a) private {
        _approved[id][msg.sender] = true;
        a.approvers.push(msg.sender);
        emit AdmissionApproved(id, msg.sender);
        if (approvalCount(id) >= threshold) {
            a.executed = true;
            _admit(a.candidate, a.name, id);
        }
    }

    function _admission(uint256 id) private view returns (Admission storage) {
        if (id == 0 || id > _admissions.length) revert UnknownAdmission(id);
        return _admissions[id - 1];
    }

    function _openAdmission(uint256 id) private view returns (Admission storage a) {
        a = _admission(id);
        if (a.executed || a.cancelled) revert AdmissionClosed(id);
    }

    function _asset(bytes32 assetId) private view returns (Asset storage a) {
        a = _assets[assetId];
        if (a.owner == address(0)) revert UnknownAsset(assetId);
    }

    function _ownedUnfrozen(bytes32 assetId) private view returns (Asset storage a) {
        a = _asset(assetId);
        if (msg.sender != a.owner) revert NotAssetOwner(assetId, msg.sender);
        if (a.frozen) revert AssetIsFrozen(assetId);
    }

    function _window(uint256 length, uint256 offset, uint256 limit) private pure returns (uint256, uint256) {
        if (offset >= length) return (length, length);
        return (offset, limit > length - offset ? length : offset + limit);
    }
}
