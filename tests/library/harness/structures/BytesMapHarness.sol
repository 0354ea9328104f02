// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {BytesMap} from "@smartdev/structures/BytesMap.sol";

/// @notice Exposes every BytesMap operation on one map.
contract BytesMapHarness {
    using BytesMap for BytesMap.Map;

    BytesMap.Map private _m;

    function set(bytes calldata k, bytes calldata v) external returns (bool) { return _m.set(k, v); }
    function get(bytes calldata k) external view returns (bytes memory) { return _m.get(k); }
    function tryGet(bytes calldata k) external view returns (bool, bytes memory) { return _m.tryGet(k); }
    function remove(bytes calldata k) external returns (bool) { return _m.remove(k); }
    function contains(bytes calldata k) external view returns (bool) { return _m.contains(k); }
    function length() external view returns (uint256) { return _m.length(); }
    function at(uint256 i) external view returns (bytes memory, bytes memory) { return _m.at(i); }
    function keys() external view returns (bytes[] memory) { return _m.keys(); }
    function clear() external { _m.clear(); }

    /// @notice Applies ops in order: isSet[i] ? set(ks[i], vs[i]) : remove(ks[i]); returns each result.
    function applyOps(bytes[] memory ks, bytes[] memory vs, bool[] memory isSet) public returns (bool[] memory out) {
        out = new bool[](ks.length);
        for (uint256 i = 0; i < ks.length; ++i) out[i] = isSet[i] ? _m.set(ks[i], vs[i]) : _m.remove(ks[i]);
    }

    /// @notice applyOps, then observe keys(), every at(i), and tryGet/contains of each probe (for eth_call).
    function run(bytes[] memory ks, bytes[] memory vs, bool[] memory isSet, bytes[] memory probe)
        external
        returns (
            bool[] memory results,
            bytes[] memory keyList,
            bytes[] memory atKeys,
            bytes[] memory atValues,
            bool[] memory found,
            bytes[] memory probeValues
        )
    {
        results = applyOps(ks, vs, isSet);
        keyList = _m.keys();
        uint256 len = _m.length();
        atKeys = new bytes[](len);
        atValues = new bytes[](len);
        for (uint256 i = 0; i < len; ++i) (atKeys[i], atValues[i]) = _m.at(i);
        found = new bool[](probe.length);
        probeValues = new bytes[](probe.length);
        for (uint256 i = 0; i < probe.length; ++i) {
            (found[i], probeValues[i]) = _m.tryGet(probe[i]);
            require(_m.contains(probe[i]) == found[i], "contains != tryGet");
            if (found[i]) require(keccak256(_m.get(probe[i])) == keccak256(probeValues[i]), "get != tryGet");
        }
    }
}
