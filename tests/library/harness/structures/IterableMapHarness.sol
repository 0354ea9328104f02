// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IterableMap} from "@smartdev/structures/IterableMap.sol";

/// @notice Exposes every IterableMap operation on one map of each kind.
contract IterableMapHarness {
    using IterableMap for IterableMap.AddressToUintMap;
    using IterableMap for IterableMap.Bytes32ToBytes32Map;

    IterableMap.AddressToUintMap private _a;
    IterableMap.Bytes32ToBytes32Map private _b;

    // address => uint256
    function setA(address k, uint256 v) external returns (bool) { return _a.set(k, v); }
    function getA(address k) external view returns (uint256) { return _a.get(k); }
    function tryGetA(address k) external view returns (bool, uint256) { return _a.tryGet(k); }
    function removeA(address k) external returns (bool) { return _a.remove(k); }
    function containsA(address k) external view returns (bool) { return _a.contains(k); }
    function lengthA() external view returns (uint256) { return _a.length(); }
    function atA(uint256 i) external view returns (address, uint256) { return _a.at(i); }
    function keysA() external view returns (address[] memory) { return _a.keys(); }
    function clearA() external { _a.clear(); }

    /// @notice Applies ops in order: isSet[i] ? set(ks[i], vs[i]) : remove(ks[i]); returns each result.
    function applyA(address[] memory ks, uint256[] memory vs, bool[] memory isSet) public returns (bool[] memory out) {
        out = new bool[](ks.length);
        for (uint256 i = 0; i < ks.length; ++i) out[i] = isSet[i] ? _a.set(ks[i], vs[i]) : _a.remove(ks[i]);
    }

    /// @notice applyA, then observe keys(), every at(i), and tryGet/contains of each probe (for eth_call).
    function runA(address[] memory ks, uint256[] memory vs, bool[] memory isSet, address[] memory probe)
        external
        returns (
            bool[] memory results,
            address[] memory keyList,
            address[] memory atKeys,
            uint256[] memory atValues,
            bool[] memory found,
            uint256[] memory probeValues,
            bool[] memory contained
        )
    {
        results = applyA(ks, vs, isSet);
        keyList = _a.keys();
        uint256 len = _a.length();
        atKeys = new address[](len);
        atValues = new uint256[](len);
        for (uint256 i = 0; i < len; ++i) (atKeys[i], atValues[i]) = _a.at(i);
        found = new bool[](probe.length);
        probeValues = new uint256[](probe.length);
        contained = new bool[](probe.length);
        for (uint256 i = 0; i < probe.length; ++i) {
            (found[i], probeValues[i]) = _a.tryGet(probe[i]);
            contained[i] = _a.contains(probe[i]);
            if (found[i]) require(_a.get(probe[i]) == probeValues[i], "get != tryGet");
        }
    }

    // bytes32 => bytes32
    function setB(bytes32 k, bytes32 v) external returns (bool) { return _b.set(k, v); }
    function getB(bytes32 k) external view returns (bytes32) { return _b.get(k); }
    function tryGetB(bytes32 k) external view returns (bool, bytes32) { return _b.tryGet(k); }
    function removeB(bytes32 k) external returns (bool) { return _b.remove(k); }
    function containsB(bytes32 k) external view returns (bool) { return _b.contains(k); }
    function lengthB() external view returns (uint256) { return _b.length(); }
    function atB(uint256 i) external view returns (bytes32, bytes32) { return _b.at(i); }
    function keysB() external view returns (bytes32[] memory) { return _b.keys(); }
    function clearB() external { _b.clear(); }

    function applyB(bytes32[] memory ks, bytes32[] memory vs, bool[] memory isSet) public returns (bool[] memory out) {
        out = new bool[](ks.length);
        for (uint256 i = 0; i < ks.length; ++i) out[i] = isSet[i] ? _b.set(ks[i], vs[i]) : _b.remove(ks[i]);
    }

    function runB(bytes32[] memory ks, bytes32[] memory vs, bool[] memory isSet, bytes32[] memory probe)
        external
        returns (
            bool[] memory results,
            bytes32[] memory keyList,
            bytes32[] memory atKeys,
            bytes32[] memory atValues,
            bool[] memory found,
            bytes32[] memory probeValues,
            bool[] memory contained
        )
    {
        results = applyB(ks, vs, isSet);
        keyList = _b.keys();
        uint256 len = _b.length();
        atKeys = new bytes32[](len);
        atValues = new bytes32[](len);
        for (uint256 i = 0; i < len; ++i) (atKeys[i], atValues[i]) = _b.at(i);
        found = new bool[](probe.length);
        probeValues = new bytes32[](probe.length);
        contained = new bool[](probe.length);
        for (uint256 i = 0; i < probe.length; ++i) {
            (found[i], probeValues[i]) = _b.tryGet(probe[i]);
            contained[i] = _b.contains(probe[i]);
            if (found[i]) require(_b.get(probe[i]) == probeValues[i], "get != tryGet");
        }
    }
}
