// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/access/AccessControl.sol";
import "@smartdev/access/Pausable.sol";

/// @title Evidence
/// @notice Proof of existence with multi-party sign-off: a recorded document hash becomes final once a threshold of its named signers have signed.
/// @dev Each evidence hash can be recorded once, ever (also after cancellation). A record is Pending
/// until `threshold` of its listed signers have signed by transaction; signers may revoke while it is
/// Pending; once Final it can no longer change. Signer lists are bounded by MAX_SIGNERS, so every
/// loop is bounded. Submitting needs SUBMITTER_ROLE; the DEFAULT_ADMIN_ROLE manages roles and pausing.
contract Evidence is AccessControl, Pausable {
    /// @notice Lifecycle of a record. None = never submitted.
    enum Status {
        None,
        Pending,
        Final,
        Cancelled
    }

    struct Record {
        address submitter;
        uint64 createdAt;
        uint64 finalizedAt;
        Status status;
        uint32 threshold;
        uint32 signatureCount;
        string uri;
        address[] signers;
    }

    /// @notice A record as returned by getEvidence.
    struct EvidenceInfo {
        bytes32 hash;
        address submitter;
        Status status;
        uint256 threshold;
        uint256 signatureCount;
        uint64 createdAt;
        uint64 finalizedAt;
        string uri;
        address[] signers;
    }

    /// @notice Role allowed to submit evidence.
    bytes32 public constant SUBMITTER_ROLE = keccak256("SUBMITTER_ROLE");
    /// @notice Largest signer set of one record.
    uint256 public constant MAX_SIGNERS = 32;

    mapping(bytes32 => Record) private _records;
    // hash => signer => 1 if listed (0 = not a signer of this record)
    mapping(bytes32 => mapping(address => bool)) private _isSigner;
    // hash => signer => timestamp of its current signature (0 = not signed)
    mapping(bytes32 => mapping(address => uint64)) private _signedAt;
    bytes32[] private _hashes;

    /// @notice `submitter` recorded evidence `hash` (metadata at `uri`) needing `threshold` of `signers`.
    event EvidenceSubmitted(
        bytes32 indexed hash, address indexed submitter, string uri, address[] signers, uint256 threshold
    );
    /// @notice `signer` signed `hash`; it now has `signatureCount` signatures.
    event EvidenceSigned(bytes32 indexed hash, address indexed signer, uint256 signatureCount);
    /// @notice `signer` withdrew its signature of `hash`; it now has `signatureCount` signatures.
    event SignatureRevoked(bytes32 indexed hash, address indexed signer, uint256 signatureCount);
    /// @notice `hash` reached its threshold at `timestamp` and is final.
    event EvidenceFinalized(bytes32 indexed hash, uint64 timestamp);
    /// @notice The submitter cancelled the pending record `hash`.
    event EvidenceCancelled(bytes32 indexed hash, address indexed submitter);

    /// @notice The zero address where an account is needed.
    error ZeroAddress();
    /// @notice The zero hash cannot be recorded.
    error ZeroHash();
    /// @notice `hash` was already recorded (hashes are unique forever).
    error EvidenceExists(bytes32 hash);
    /// @notice No record for `hash`.
    error UnknownEvidence(bytes32 hash);
    /// @notice The signer list is empty or longer than MAX_SIGNERS.
    error InvalidSignerCount(uint256 count);
    /// @notice The threshold is not within 1..signerCount.
    error InvalidThreshold(uint256 threshold, uint256 signerCount);
    /// @notice `signer` appears twice in the signer list.
    error DuplicateSigner(address signer);
    /// @notice `account` is not a listed signer of `hash`.
    error NotSigner(bytes32 hash, address account);
    /// @notice `signer` already signed `hash`.
    error AlreadySigned(bytes32 hash, address signer);
    /// @notice `signer` has no signature on `hash` to revoke.
    error NotSigned(bytes32 hash, address signer);
    /// @notice The record is not Pending (it is `status`), so it cannot change.
    error NotPending(bytes32 hash, Status status);
    /// @notice Only the submitter of `hash` may do this.
    error NotSubmitter(bytes32 hash, address account);

    /// @param admin Receives DEFAULT_ADMIN_ROLE and SUBMITTER_ROLE.
    constructor(address admin) {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(SUBMITTER_ROLE, admin);
    }

    // ---------------------------------------------------------------- admin

    /// @notice Stop submitting, signing, revoking and cancelling. Only admins.
    function pause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _pause();
    }

    /// @notice Resume. Only admins.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    // ---------------------------------------------------------------- records

    /// @notice Record `hash` with metadata `uri`, to be signed by `threshold` of `signers`. Only submitters.
    function submit(bytes32 hash, string calldata uri, address[] calldata signers, uint256 threshold)
        external
        onlyRole(SUBMITTER_ROLE)
        whenNotPaused
    {
        if (hash == bytes32(0)) revert ZeroHash();
        Record storage r = _records[hash];
        if (r.status != Status.None) revert EvidenceExists(hash);
        uint256 n = signers.length;
        if (n == 0 || n > MAX_SIGNERS) revert InvalidSignerCount(n);
        if (threshold == 0 || threshold > n) revert InvalidThreshold(threshold, n);
        for (uint256 i = 0; i < n; i++) {
            address s = signers[i];
            if (s == address(0)) revert ZeroAddress();
            if (_isSigner[hash][s]) revert DuplicateSigner(s);
            _isSigner[hash][s] = true;
        }
        r.submitter = msg.sender;
        r.createdAt = uint64(block.timestamp);
        r.status = Status.Pending;
        r.threshold = uint32(threshold);
        r.uri = uri;
        r.signers = signers;
        _hashes.push(hash);
        emit EvidenceSubmitted(hash, msg.sender, uri, signers, threshold);
    }

    /// @notice Sign `hash`; the record becomes final when this signature reaches the threshold. Only its listed signers.
    function sign(bytes32 hash) external whenNotPaused {
        Record storage r = _pending(hash);
        if (!_isSigner[hash][msg.sender]) revert NotSigner(hash, msg.sender);
        if (_signedAt[hash][msg.sender] != 0) revert AlreadySigned(hash, msg.sender);
        _signedAt[hash][msg.sender] = uint64(block.timestamp);
        uint32 count = r.signatureCount + 1;
        r.signatureCount = count;
        emit EvidenceSigned(hash, msg.sender, count);
        if (count >= r.threshold) {
            r.status = Status.Final;
            r.finalizedAt = uint64(block.timestamp);
            emit EvidenceFinalized(hash, uint64(block.timestamp));
        }
    }

    /// @notice Withdraw your signature of `hash` while it is still pending.
    function revoke(bytes32 hash) external whenNotPaused {
        Record storage r = _pending(hash);
        if (_signedAt[hash][msg.sender] == 0) revert NotSigned(hash, msg.sender);
        _signedAt[hash][msg.sender] = 0;
        uint32 count = r.signatureCount - 1;
        r.signatureCount = count;
        emit SignatureRevoked(hash, msg.sender, count);
    }

    /// @notice Cancel the pending record `hash` (the hash stays taken). Only its submitter.
    function cancel(bytes32 hash) external whenNotPaused {
        Record storage r = _pending(hash);
        if (msg.sender != r.submitter) revert NotSubmitter(hash, msg.sender);
        r.status = Status.Cancelled;
        emit EvidenceCancelled(hash, msg.sender);
    }

    // ---------------------------------------------------------------- views

    /// @notice The status of `hash` (None if never recorded).
    function statusOf(bytes32 hash) external view returns (Status) {
        return _records[hash].status;
    }

    /// @notice Whether `hash` is final (signed by at least its threshold).
    function isFinal(bytes32 hash) external view returns (bool) {
        return _records[hash].status == Status.Final;
    }

    /// @notice The full record of `hash`.
    function getEvidence(bytes32 hash) external view returns (EvidenceInfo memory info) {
        Record storage r = _existing(hash);
        info = EvidenceInfo({
            hash: hash,
            submitter: r.submitter,
            status: r.status,
            threshold: r.threshold,
            signatureCount: r.signatureCount,
            createdAt: r.createdAt,
            finalizedAt: r.finalizedAt,
            uri: r.uri,
            signers: r.signers
        });
    }

    /// @notice The listed signers of `hash`.
    function signersOf(bytes32 hash) external view returns (address[] memory) {
        return _existing(hash).signers;
    }

    /// @notice Whether `account` is a listed signer of `hash`.
    function isSigner(bytes32 hash, address account) external view returns (bool) {
        return _isSigner[hash][account];
    }

    /// @notice When `signer` signed `hash` (0 = has not signed, or revoked).
    function signedAt(bytes32 hash, address signer) external view returns (uint64) {
        return _signedAt[hash][signer];
    }

    /// @notice Every listed signer of `hash` with its signature timestamp (0 = not signed).
    function signatures(bytes32 hash) external view returns (address[] memory signers, uint64[] memory timestamps) {
        signers = _existing(hash).signers;
        timestamps = new uint64[](signers.length);
        for (uint256 i = 0; i < signers.length; i++) {
            timestamps[i] = _signedAt[hash][signers[i]];
        }
    }

    /// @notice Number of records ever submitted.
    function evidenceCount() external view returns (uint256) {
        return _hashes.length;
    }

    /// @notice Recorded hashes in submission order, `limit` of them from `offset` (fewer at the end).
    function evidenceHashes(uint256 offset, uint256 limit) external view returns (bytes32[] memory page) {
        uint256 n = _hashes.length;
        uint256 end = offset >= n ? offset : (limit > n - offset ? n : offset + limit);
        page = new bytes32[](end - offset);
        for (uint256 i = offset; i < end; i++) {
            page[i - offset] = _hashes[i];
        }
    }

    function _existing(bytes32 hash) private view returns (Record storage r) {
        r = _records[hash];
        if (r.status == Status.None) revert UnknownEvidence(hash);
    }

    function _pending(bytes32 hash) private view returns (Record storage r) {
        r = _existing(hash);
        if (r.status != Status.Pending) revert NotPending(hash, r.status);
    }
}
