// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

// Gas probes for the smartdev structures; benchmarks/gas/openzeppelin/ has the same
// ABI over OpenZeppelin's equivalents. Each gasX function measures one operation with
// gasleft() and is called with eth_call, so the state it changes is thrown away.
import "@smartdev/structures/Heap.sol";
import "@smartdev/structures/EnumerableSet.sol";
import "@smartdev/structures/MerkleTree.sol";

contract HeapBench {
    using Heap for Heap.MinHeap;
    Heap.MinHeap private _heap;

    function fill(uint256[] calldata values) external {
        for (uint256 i = 0; i < values.length; ++i) _heap.push(values[i]);
    }

    function gasPush(uint256 value) external returns (uint256 used) {
        uint256 start = gasleft();
        _heap.push(value);
        used = start - gasleft();
    }

    function gasPop() external returns (uint256 used) {
        uint256 start = gasleft();
        _heap.pop();
        used = start - gasleft();
    }
}

contract SetBench {
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

contract MerkleBench {
    function gasVerify(bytes32[] calldata proof, bytes32 root, bytes32 leaf) external view returns (uint256 used) {
        uint256 start = gasleft();
        bool ok = MerkleTree.verifyCalldata(proof, root, leaf);
        used = start - gasleft();
        require(ok, "bad proof");
    }
}
