// SPDX-License-Identifier: {{ cookiecutter.license if cookiecutter.license != "Proprietary" else "UNLICENSED" }}
pragma solidity ^0.8.20;

/// @title Notary
/// @notice Proof that a document existed: anyone records a digest (e.g. a SHA-256) with a note;
///         the chain keeps who recorded it and when. The recorder may revoke its own record.
contract Notary {
    struct Proof {
        address recorder;
        uint64 recordedAt;
        bool revoked;
        string note;
    }

    mapping(bytes32 => Proof) private _proofs;
    uint256 public count;

    event Notarized(bytes32 indexed digest, address indexed recorder, string note);
    event Revoked(bytes32 indexed digest, address indexed recorder);

    error AlreadyNotarized(bytes32 digest, address recorder);
    error NotNotarized(bytes32 digest);
    error NotRecorder(bytes32 digest, address caller);

    /// @notice Record `digest` with a free-text `note`.
    function notarize(bytes32 digest, string calldata note) external {
        Proof storage proof = _proofs[digest];
        if (proof.recorder != address(0)) revert AlreadyNotarized(digest, proof.recorder);
        _proofs[digest] = Proof(msg.sender, uint64(block.timestamp), false, note);
        count += 1;
        emit Notarized(digest, msg.sender, note);
    }

    /// @notice Withdraw a record (it stays visible, marked revoked). Its recorder only.
    function revoke(bytes32 digest) external {
        Proof storage proof = _proofs[digest];
        if (proof.recorder == address(0)) revert NotNotarized(digest);
        if (proof.recorder != msg.sender) revert NotRecorder(digest, msg.sender);
        proof.revoked = true;
        emit Revoked(digest, msg.sender);
    }

    /// @notice The record of `digest`; reverts NotNotarized if there is none.
    function proofOf(bytes32 digest) external view returns (Proof memory) {
        Proof memory proof = _proofs[digest];
        if (proof.recorder == address(0)) revert NotNotarized(digest);
        return proof;
    }

    /// @notice Whether `digest` is recorded and not revoked.
    function isValid(bytes32 digest) external view returns (bool) {
        Proof storage proof = _proofs[digest];
        return proof.recorder != address(0) && !proof.revoked;
    }
}
