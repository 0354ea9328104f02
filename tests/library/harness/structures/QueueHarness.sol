// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {Queue} from "@smartdev/structures/Queue.sol";

/// @notice Exposes every Queue operation on one uint256 and one bytes32 queue.
contract QueueHarness {
    using Queue for Queue.Uint256Queue;
    using Queue for Queue.Bytes32Queue;

    Queue.Uint256Queue private _Uint;
    Queue.Bytes32Queue private _Bytes32;

    event DequeuedUint(uint256 value);
    event DequeuedBytes32(bytes32 value);

    // ---- Uint
    function enqueueUint(uint256 v) external { _Uint.enqueue(v); }
    function dequeueUint() external returns (uint256 v) { v = _Uint.dequeue(); emit DequeuedUint(v); }
    function peekUint() external view returns (uint256) { return _Uint.peek(); }
    function atUint(uint256 i) external view returns (uint256) { return _Uint.at(i); }
    function lengthUint() external view returns (uint256) { return _Uint.length(); }
    function isEmptyUint() external view returns (bool) { return _Uint.isEmpty(); }
    function clearUint() external { _Uint.clear(); }
    function enqueueManyUint(uint256[] calldata vs) external { for (uint256 i = 0; i < vs.length; ++i) _Uint.enqueue(vs[i]); }
    function dequeueAllUint() external returns (uint256[] memory out) {
        out = new uint256[](_Uint.length());
        for (uint256 i = 0; i < out.length; ++i) out[i] = _Uint.dequeue();
    }
    function itemsUint() public view returns (uint256[] memory out) {
        out = new uint256[](_Uint.length());
        for (uint256 i = 0; i < out.length; ++i) out[i] = _Uint.at(i);
    }

    /// @notice Ops for eth_call: 0 enqueue(vs[i]), 1 dequeue, 2 peek, 3 clear; outs[i] is what
    ///         dequeue/peek returned. Then every at(i).
    function runUint(uint8[] calldata ops, uint256[] calldata vs)
        external
        returns (uint256[] memory outs, uint256 len, bool empty, uint256[] memory items)
    {
        outs = new uint256[](ops.length);
        for (uint256 i = 0; i < ops.length; ++i) {
            uint8 op = ops[i];
            if (op == 0) _Uint.enqueue(vs[i]);
            else if (op == 1) outs[i] = _Uint.dequeue();
            else if (op == 2) outs[i] = _Uint.peek();
            else _Uint.clear();
        }
        len = _Uint.length();
        empty = _Uint.isEmpty();
        items = itemsUint();
    }

    // ---- Bytes32
    function enqueueBytes32(bytes32 v) external { _Bytes32.enqueue(v); }
    function dequeueBytes32() external returns (bytes32 v) { v = _Bytes32.dequeue(); emit DequeuedBytes32(v); }
    function peekBytes32() external view returns (bytes32) { return _Bytes32.peek(); }
    function atBytes32(uint256 i) external view returns (bytes32) { return _Bytes32.at(i); }
    function lengthBytes32() external view returns (uint256) { return _Bytes32.length(); }
    function isEmptyBytes32() external view returns (bool) { return _Bytes32.isEmpty(); }
    function clearBytes32() external { _Bytes32.clear(); }
    function enqueueManyBytes32(bytes32[] calldata vs) external { for (uint256 i = 0; i < vs.length; ++i) _Bytes32.enqueue(vs[i]); }
    function dequeueAllBytes32() external returns (bytes32[] memory out) {
        out = new bytes32[](_Bytes32.length());
        for (uint256 i = 0; i < out.length; ++i) out[i] = _Bytes32.dequeue();
    }
    function itemsBytes32() public view returns (bytes32[] memory out) {
        out = new bytes32[](_Bytes32.length());
        for (uint256 i = 0; i < out.length; ++i) out[i] = _Bytes32.at(i);
    }

    /// @notice Ops for eth_call: 0 enqueue(vs[i]), 1 dequeue, 2 peek, 3 clear; outs[i] is what
    ///         dequeue/peek returned. Then every at(i).
    function runBytes32(uint8[] calldata ops, bytes32[] calldata vs)
        external
        returns (bytes32[] memory outs, uint256 len, bool empty, bytes32[] memory items)
    {
        outs = new bytes32[](ops.length);
        for (uint256 i = 0; i < ops.length; ++i) {
            uint8 op = ops[i];
            if (op == 0) _Bytes32.enqueue(vs[i]);
            else if (op == 1) outs[i] = _Bytes32.dequeue();
            else if (op == 2) outs[i] = _Bytes32.peek();
            else _Bytes32.clear();
        }
        len = _Bytes32.length();
        empty = _Bytes32.isEmpty();
        items = itemsBytes32();
    }
}
