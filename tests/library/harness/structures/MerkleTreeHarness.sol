// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {MerkleTree} from "@smartdev/structures/MerkleTree.sol";

/// @notice Exposes every MerkleTree function.
contract MerkleTreeHarness {
    function hashPair(bytes32 a, bytes32 b) external pure returns (bytes32) { return MerkleTree.hashPair(a, b); }
    function leafHash(bytes calldata data) external pure returns (bytes32) { return MerkleTree.leafHash(data); }
    function root(bytes32[] calldata leaves) external pure returns (bytes32) { return MerkleTree.root(leaves); }
    function proof(bytes32[] calldata leaves, uint256 index) external pure returns (bytes32[] memory) {
        return MerkleTree.proof(leaves, index);
    }
    function processProof(bytes32[] memory p, bytes32 leaf) external pure returns (bytes32) {
        return MerkleTree.processProof(p, leaf);
    }
    function verify(bytes32[] memory p, bytes32 r, bytes32 leaf) external pure returns (bool) {
        return MerkleTree.verify(p, r, leaf);
    }
    function verifyCalldata(bytes32[] calldata p, bytes32 r, bytes32 leaf) external pure returns (bool) {
        return MerkleTree.verifyCalldata(p, r, leaf);
    }

    /// @notice For every leaf: its proof, and whether both verify variants accept it.
    function allProofs(bytes32[] calldata leaves)
        external
        view
        returns (bytes32 r, bytes32[][] memory proofs, bool[] memory ok)
    {
        r = MerkleTree.root(leaves);
        proofs = new bytes32[][](leaves.length);
        ok = new bool[](leaves.length);
        for (uint256 i = 0; i < leaves.length; ++i) {
            proofs[i] = MerkleTree.proof(leaves, i);
            ok[i] = MerkleTree.verify(proofs[i], r, leaves[i]) && this.verifyCalldata(proofs[i], r, leaves[i]);
        }
    }
}
