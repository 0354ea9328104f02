// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title MerkleTree
/// @notice Builds Merkle roots and proofs from leaves and verifies proofs, with sorted-pair keccak256 hashing compatible with OpenZeppelin's MerkleProof.
/// @dev Tree shape: each level hashes adjacent pairs (0,1), (2,3), ...; an odd last node is
///      carried up unchanged. Pairs are hashed sorted (`keccak256(min ‖ max)`), so a proof is
///      just the list of siblings, bottom-up, with no left/right flags; levels where the node
///      had no sibling contribute nothing. Proofs built here verify with OpenZeppelin's
///      `MerkleProof.verify`, and vice versa for any tree built with sorted-pair hashing.
///      Hash leaves before building (see `leafHash`): a 64-byte leaf preimage could otherwise
///      be passed off as an inner node.
library MerkleTree {
    /// @notice root() or proof() of an empty list of leaves.
    error MerkleTreeEmpty();

    /// @notice proof() for a leaf index at or past the number of leaves.
    /// @param index The requested leaf index.
    /// @param length The number of leaves.
    error MerkleTreeIndexOutOfBounds(uint256 index, uint256 length);

    /// @notice keccak256 of the two values in ascending order (commutative). O(1).
    function hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32 h) {
        if (a > b) (a, b) = (b, a);
        assembly ("memory-safe") {
            mstore(0x00, a)
            mstore(0x20, b)
            h := keccak256(0x00, 0x40)
        }
    }

    /// @notice The leaf for `data`: `keccak256(bytes.concat(keccak256(data)))` (double hash,
    ///         as in OpenZeppelin's StandardMerkleTree, so leaves never collide with inner nodes).
    function leafHash(bytes memory data) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(data)));
    }

    /// @notice The root of the tree over `leaves` (a single leaf is its own root). O(n) hashes;
    ///         `leaves` is not modified. Reverts MerkleTreeEmpty if there are no leaves.
    function root(bytes32[] memory leaves) internal pure returns (bytes32) {
        uint256 n = leaves.length;
        if (n == 0) revert MerkleTreeEmpty();
        bytes32[] memory level = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) level[i] = leaves[i];
        while (n > 1) {
            uint256 half = n >> 1;
            for (uint256 i = 0; i < half; ++i) level[i] = hashPair(level[2 * i], level[2 * i + 1]);
            if (n & 1 == 1) level[half] = level[n - 1];
            n = half + (n & 1);
        }
        return level[0];
    }

    /// @notice The proof for `leaves[index]`: its siblings from the bottom up. O(n) hashes
    ///         (the tree is rebuilt). Reverts MerkleTreeEmpty if there are no leaves and
    ///         MerkleTreeIndexOutOfBounds if `index >= leaves.length`.
    function proof(bytes32[] memory leaves, uint256 index) internal pure returns (bytes32[] memory out) {
        uint256 n = leaves.length;
        if (n == 0) revert MerkleTreeEmpty();
        if (index >= n) revert MerkleTreeIndexOutOfBounds(index, n);
        bytes32[] memory level = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) level[i] = leaves[i];
        out = new bytes32[](256);
        uint256 count = 0;
        while (n > 1) {
            uint256 sibling = index ^ 1;
            if (sibling < n) out[count++] = level[sibling];
            uint256 half = n >> 1;
            for (uint256 i = 0; i < half; ++i) level[i] = hashPair(level[2 * i], level[2 * i + 1]);
            if (n & 1 == 1) level[half] = level[n - 1];
            n = half + (n & 1);
            index >>= 1;
        }
        assembly ("memory-safe") {
            mstore(out, count) // shrink to the siblings actually used
        }
    }

    /// @notice The root obtained by folding `proof` into `leaf` with hashPair. O(proof length).
    function processProof(bytes32[] memory proof_, bytes32 leaf) internal pure returns (bytes32 computed) {
        computed = leaf;
        for (uint256 i = 0; i < proof_.length; ++i) computed = hashPair(computed, proof_[i]);
    }

    /// @notice processProof for a calldata proof (cheaper from an external function).
    function processProofCalldata(bytes32[] calldata proof_, bytes32 leaf) internal pure returns (bytes32 computed) {
        computed = leaf;
        for (uint256 i = 0; i < proof_.length; ++i) computed = hashPair(computed, proof_[i]);
    }

    /// @notice Whether `proof` proves that `leaf` is in the tree with root `root_`. O(proof length).
    function verify(bytes32[] memory proof_, bytes32 root_, bytes32 leaf) internal pure returns (bool) {
        return processProof(proof_, leaf) == root_;
    }

    /// @notice verify for a calldata proof.
    function verifyCalldata(bytes32[] calldata proof_, bytes32 root_, bytes32 leaf) internal pure returns (bool) {
        return processProofCalldata(proof_, leaf) == root_;
    }
}
