// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

// The same probes as benchmarks/gas/smartdev/StructuresBench.sol, over OpenZeppelin.
import "@openzeppelin/contracts/utils/structs/Heap.sol";
import "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

contract OzHeapBench {
    using Heap for Heap.Uint256Heap;
    Heap.Uint256Heap private _heap;

    function fill(uint256[] calldata values) external {
        for (uint256 i = 0; i < values.length; ++i) _heap.insert(values[i]);
    }

    function gasPush(uint256 value) external returns (uint256 used) {
        uint256 start = gasleft();
        _heap.insert(value);
        used = start - gasleft();
    }

    function gasPop() external returns (uint256 used) {
        uint256 start = gasleft();
        _heap.pop();
        used = start - gasleft();
    }
}

contract OzSetBench {
    using EnumerableSet for EnumerableSet.UintSet;
    EnumerableSet.UintSet private _set;

    function fill(uint256[] calldata values) external {
        for (uint256 i = 0; i < values.length; ++i) _set.add(values[i]);
    }

    function gasAdd(uint256 value) external returns (uint256 used) {
        uint256 start = gasleft();
        _set.add(value);
        used = start - gasleft();
    }

    function gasRemove(uint256 value) external returns (uint256 used) {
        uint256 start = gasleft();
        _set.remove(value);
        used = start - gasleft();
    }

    function gasContains(uint256 value) external view returns (uint256 used, bool found) {
        uint256 start = gasleft();
        found = _set.contains(value);
        used = start - gasleft();
    }
}

contract OzMerkleBench {
    function gasVerify(bytes32[] calldata proof, bytes32 root, bytes32 leaf) external view returns (uint256 used) {
        uint256 start = gasleft();
        bool ok = MerkleProof.verifyCalldata(proof, root, leaf);
        used = start - gasleft();
        require(ok, "bad proof");
    }
}
