// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {Deque} from "@smartdev/structures/Deque.sol";

/// @notice Exposes every Deque operation on one uint256 deque and one bytes32 deque.
contract DequeHarness {
    using Deque for Deque.Uint256Deque;
    using Deque for Deque.Bytes32Deque;

    Deque.Uint256Deque private _Uint;
    Deque.Bytes32Deque private _Bytes32;

    event PoppedUint(uint256 value);
    event PoppedBytes32(bytes32 value);

    // ---- Uint
    function pushFrontUint(uint256 v) external { _Uint.pushFront(v); }
    function pushBackUint(uint256 v) external { _Uint.pushBack(v); }
    function popFrontUint() external returns (uint256 v) { v = _Uint.popFront(); emit PoppedUint(v); }
    function popBackUint() external returns (uint256 v) { v = _Uint.popBack(); emit PoppedUint(v); }
    function frontUint() external view returns (uint256) { return _Uint.front(); }
    function backUint() external view returns (uint256) { return _Uint.back(); }
    function atUint(uint256 i) external view returns (uint256) { return _Uint.at(i); }
    function lengthUint() external view returns (uint256) { return _Uint.length(); }
    function emptyUint() external view returns (bool) { return _Uint.empty(); }
    function clearUint() external { _Uint.clear(); }
    function itemsUint() public view returns (uint256[] memory out) {
        out = new uint256[](_Uint.length());
        for (uint256 i = 0; i < out.length; ++i) out[i] = _Uint.at(i);
    }

    /// @notice Ops for eth_call: 0 pushFront(vs[i]), 1 pushBack(vs[i]), 2 popFront, 3 popBack,
    ///         4 front, 5 back, 6 clear; outs[i] is the value ops 2-5 returned. Then every at(i).
    function runUint(uint8[] calldata ops, uint256[] calldata vs)
        external
        returns (uint256[] memory outs, uint256 len, bool isEmpty, uint256[] memory items)
    {
        outs = new uint256[](ops.length);
        for (uint256 i = 0; i < ops.length; ++i) {
            uint8 op = ops[i];
            if (op == 0) _Uint.pushFront(vs[i]);
            else if (op == 1) _Uint.pushBack(vs[i]);
            else if (op == 2) outs[i] = _Uint.popFront();
            else if (op == 3) outs[i] = _Uint.popBack();
            else if (op == 4) outs[i] = _Uint.front();
            else if (op == 5) outs[i] = _Uint.back();
            else _Uint.clear();
        }
        len = _Uint.length();
        isEmpty = _Uint.empty();
        items = itemsUint();
    }

    // ---- Bytes32
    function pushFrontBytes32(bytes32 v) external { _Bytes32.pushFront(v); }
    function pushBackBytes32(bytes32 v) external { _Bytes32.pushBack(v); }
    function popFrontBytes32() external returns (bytes32 v) { v = _Bytes32.popFront(); emit PoppedBytes32(v); }
    function popBackBytes32() external returns (bytes32 v) { v = _Bytes32.popBack(); emit PoppedBytes32(v); }
    function frontBytes32() external view returns (bytes32) { return _Bytes32.front(); }
    function backBytes32() external view returns (bytes32) { return _Bytes32.back(); }
    function atBytes32(uint256 i) external view returns (bytes32) { return _Bytes32.at(i); }
    function lengthBytes32() external view returns (uint256) { return _Bytes32.length(); }
    function emptyBytes32() external view returns (bool) { return _Bytes32.empty(); }
    function clearBytes32() external { _Bytes32.clear(); }
    function itemsBytes32() public view returns (bytes32[] memory out) {
        out = new bytes32[](_Bytes32.length());
        for (uint256 i = 0; i < out.length; ++i) out[i] = _Bytes32.at(i);
    }

    /// @notice Ops for eth_call: 0 pushFront(vs[i]), 1 pushBack(vs[i]), 2 popFront, 3 popBack,
    ///         4 front, 5 back, 6 clear; outs[i] is the value ops 2-5 returned. Then every at(i).
    function runBytes32(uint8[] calldata ops, bytes32[] calldata vs)
        external
        returns (bytes32[] memory outs, uint256 len, bool isEmpty, bytes32[] memory items)
    {
        outs = new bytes32[](ops.length);
        for (uint256 i = 0; i < ops.length; ++i) {
            uint8 op = ops[i];
            if (op == 0) _Bytes32.pushFront(vs[i]);
            else if (op == 1) _Bytes32.pushBack(vs[i]);
            else if (op == 2) outs[i] = _Bytes32.popFront();
            else if (op == 3) outs[i] = _Bytes32.popBack();
            else if (op == 4) outs[i] = _Bytes32.front();
            else if (op == 5) outs[i] = _Bytes32.back();
            else _Bytes32.clear();
        }
        len = _Bytes32.length();
        isEmpty = _Bytes32.empty();
        items = itemsBytes32();
    }
}
