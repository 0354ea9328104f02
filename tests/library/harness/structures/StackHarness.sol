// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {Stack} from "@smartdev/structures/Stack.sol";

/// @notice Exposes every Stack operation on one uint256 and one bytes32 stack.
contract StackHarness {
    using Stack for Stack.Uint256Stack;
    using Stack for Stack.Bytes32Stack;

    Stack.Uint256Stack private _Uint;
    Stack.Bytes32Stack private _Bytes32;

    event PoppedUint(uint256 value);
    event PoppedBytes32(bytes32 value);

    // ---- Uint
    function pushUint(uint256 v) external { _Uint.push(v); }
    function popUint() external returns (uint256 v) { v = _Uint.pop(); emit PoppedUint(v); }
    function peekUint() external view returns (uint256) { return _Uint.peek(); }
    function atUint(uint256 i) external view returns (uint256) { return _Uint.at(i); }
    function lengthUint() external view returns (uint256) { return _Uint.length(); }
    function isEmptyUint() external view returns (bool) { return _Uint.isEmpty(); }
    function valuesUint() external view returns (uint256[] memory) { return _Uint.values(); }
    function clearUint() external { _Uint.clear(); }
    function pushManyUint(uint256[] calldata vs) external { for (uint256 i = 0; i < vs.length; ++i) _Uint.push(vs[i]); }
    function popAllUint() external returns (uint256[] memory out) {
        out = new uint256[](_Uint.length());
        for (uint256 i = 0; i < out.length; ++i) out[i] = _Uint.pop();
    }

    /// @notice Ops for eth_call: 0 push(vs[i]), 1 pop, 2 peek, 3 clear; outs[i] is what pop/peek
    ///         returned. Then values() and every at(i).
    function runUint(uint8[] calldata ops, uint256[] calldata vs)
        external
        returns (uint256[] memory outs, uint256 len, bool empty, uint256[] memory vals, uint256[] memory viaAt)
    {
        outs = new uint256[](ops.length);
        for (uint256 i = 0; i < ops.length; ++i) {
            uint8 op = ops[i];
            if (op == 0) _Uint.push(vs[i]);
            else if (op == 1) outs[i] = _Uint.pop();
            else if (op == 2) outs[i] = _Uint.peek();
            else _Uint.clear();
        }
        len = _Uint.length();
        empty = _Uint.isEmpty();
        vals = _Uint.values();
        viaAt = new uint256[](len);
        for (uint256 i = 0; i < len; ++i) viaAt[i] = _Uint.at(i);
    }

    // ---- Bytes32
    function pushBytes32(bytes32 v) external { _Bytes32.push(v); }
    function popBytes32() external returns (bytes32 v) { v = _Bytes32.pop(); emit PoppedBytes32(v); }
    function peekBytes32() external view returns (bytes32) { return _Bytes32.peek(); }
    function atBytes32(uint256 i) external view returns (bytes32) { return _Bytes32.at(i); }
    function lengthBytes32() external view returns (uint256) { return _Bytes32.length(); }
    function isEmptyBytes32() external view returns (bool) { return _Bytes32.isEmpty(); }
    function valuesBytes32() external view returns (bytes32[] memory) { return _Bytes32.values(); }
    function clearBytes32() external { _Bytes32.clear(); }
    function pushManyBytes32(bytes32[] calldata vs) external { for (uint256 i = 0; i < vs.length; ++i) _Bytes32.push(vs[i]); }
    function popAllBytes32() external returns (bytes32[] memory out) {
        out = new bytes32[](_Bytes32.length());
        for (uint256 i = 0; i < out.length; ++i) out[i] = _Bytes32.pop();
    }

    /// @notice Ops for eth_call: 0 push(vs[i]), 1 pop, 2 peek, 3 clear; outs[i] is what pop/peek
    ///         returned. Then values() and every at(i).
    function runBytes32(uint8[] calldata ops, bytes32[] calldata vs)
        external
        returns (bytes32[] memory outs, uint256 len, bool empty, bytes32[] memory vals, bytes32[] memory viaAt)
    {
        outs = new bytes32[](ops.length);
        for (uint256 i = 0; i < ops.length; ++i) {
            uint8 op = ops[i];
            if (op == 0) _Bytes32.push(vs[i]);
            else if (op == 1) outs[i] = _Bytes32.pop();
            else if (op == 2) outs[i] = _Bytes32.peek();
            else _Bytes32.clear();
        }
        len = _Bytes32.length();
        empty = _Bytes32.isEmpty();
        vals = _Bytes32.values();
        viaAt = new bytes32[](len);
        for (uint256 i = 0; i < len; ++i) viaAt[i] = _Bytes32.at(i);
    }
}
