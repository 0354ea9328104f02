// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {EnumerableSet} from "@smartdev/structures/EnumerableSet.sol";

/// @notice Exposes every EnumerableSet operation on one set of each kind.
contract EnumerableSetHarness {
    using EnumerableSet for EnumerableSet.AddressSet;
    using EnumerableSet for EnumerableSet.Bytes32Set;
    using EnumerableSet for EnumerableSet.UintSet;

    EnumerableSet.AddressSet private _addresses;
    EnumerableSet.Bytes32Set private _bytes32s;
    EnumerableSet.UintSet private _uints;

    // address
    function addAddress(address v) external returns (bool) { return _addresses.add(v); }
    function removeAddress(address v) external returns (bool) { return _addresses.remove(v); }
    function containsAddress(address v) external view returns (bool) { return _addresses.contains(v); }
    function lengthAddress() external view returns (uint256) { return _addresses.length(); }
    function atAddress(uint256 i) external view returns (address) { return _addresses.at(i); }
    function valuesAddress() external view returns (address[] memory) { return _addresses.values(); }
    function clearAddress() external { _addresses.clear(); }

    /// @notice Applies adds (isAdd[i]) or removes to the address set; returns each result.
    function applyAddress(address[] memory vs, bool[] memory isAdd) public returns (bool[] memory out) {
        out = new bool[](vs.length);
        for (uint256 i = 0; i < vs.length; ++i) {
            out[i] = isAdd[i] ? _addresses.add(vs[i]) : _addresses.remove(vs[i]);
        }
    }

    // bytes32
    function addBytes32(bytes32 v) external returns (bool) { return _bytes32s.add(v); }
    function removeBytes32(bytes32 v) external returns (bool) { return _bytes32s.remove(v); }
    function containsBytes32(bytes32 v) external view returns (bool) { return _bytes32s.contains(v); }
    function lengthBytes32() external view returns (uint256) { return _bytes32s.length(); }
    function atBytes32(uint256 i) external view returns (bytes32) { return _bytes32s.at(i); }
    function valuesBytes32() external view returns (bytes32[] memory) { return _bytes32s.values(); }
    function clearBytes32() external { _bytes32s.clear(); }

    function applyBytes32(bytes32[] memory vs, bool[] memory isAdd) public returns (bool[] memory out) {
        out = new bool[](vs.length);
        for (uint256 i = 0; i < vs.length; ++i) {
            out[i] = isAdd[i] ? _bytes32s.add(vs[i]) : _bytes32s.remove(vs[i]);
        }
    }

    // uint256
    function addUint(uint256 v) external returns (bool) { return _uints.add(v); }
    function removeUint(uint256 v) external returns (bool) { return _uints.remove(v); }
    function containsUint(uint256 v) external view returns (bool) { return _uints.contains(v); }
    function lengthUint() external view returns (uint256) { return _uints.length(); }
    function atUint(uint256 i) external view returns (uint256) { return _uints.at(i); }
    function valuesUint() external view returns (uint256[] memory) { return _uints.values(); }
    function clearUint() external { _uints.clear(); }

    function applyUint(uint256[] memory vs, bool[] memory isAdd) public returns (bool[] memory out) {
        out = new bool[](vs.length);
        for (uint256 i = 0; i < vs.length; ++i) {
            out[i] = isAdd[i] ? _uints.add(vs[i]) : _uints.remove(vs[i]);
        }
    }

    /// @notice contains() for many values at once.
    function containsManyUint(uint256[] memory vs) public view returns (bool[] memory out) {
        out = new bool[](vs.length);
        for (uint256 i = 0; i < vs.length; ++i) out[i] = _uints.contains(vs[i]);
    }

    /// @notice applyUint, then observe: values(), every at(i), length(), contains() of each probe.
    ///         Meant for eth_call, so one property example costs a single call.
    function runUint(uint256[] memory vs, bool[] memory isAdd, uint256[] memory probe)
        external
        returns (bool[] memory results, uint256[] memory vals, uint256[] memory viaAt, uint256 len, bool[] memory contained)
    {
        results = applyUint(vs, isAdd);
        vals = _uints.values();
        len = _uints.length();
        viaAt = new uint256[](len);
        for (uint256 i = 0; i < len; ++i) viaAt[i] = _uints.at(i);
        contained = containsManyUint(probe);
    }

    function containsManyAddress(address[] memory vs) public view returns (bool[] memory out) {
        out = new bool[](vs.length);
        for (uint256 i = 0; i < vs.length; ++i) out[i] = _addresses.contains(vs[i]);
    }

    /// @notice applyAddress, then observe: values(), every at(i), length(), contains() of each probe.
    ///         Meant for eth_call, so one property example costs a single call.
    function runAddress(address[] memory vs, bool[] memory isAdd, address[] memory probe)
        external
        returns (bool[] memory results, address[] memory vals, address[] memory viaAt, uint256 len, bool[] memory contained)
    {
        results = applyAddress(vs, isAdd);
        vals = _addresses.values();
        len = _addresses.length();
        viaAt = new address[](len);
        for (uint256 i = 0; i < len; ++i) viaAt[i] = _addresses.at(i);
        contained = containsManyAddress(probe);
    }

    function containsManyBytes32(bytes32[] memory vs) public view returns (bool[] memory out) {
        out = new bool[](vs.length);
        for (uint256 i = 0; i < vs.length; ++i) out[i] = _bytes32s.contains(vs[i]);
    }

    /// @notice applyBytes32, then observe: values(), every at(i), length(), contains() of each probe.
    ///         Meant for eth_call, so one property example costs a single call.
    function runBytes32(bytes32[] memory vs, bool[] memory isAdd, bytes32[] memory probe)
        external
        returns (bool[] memory results, bytes32[] memory vals, bytes32[] memory viaAt, uint256 len, bool[] memory contained)
    {
        results = applyBytes32(vs, isAdd);
        vals = _bytes32s.values();
        len = _bytes32s.length();
        viaAt = new bytes32[](len);
        for (uint256 i = 0; i < len; ++i) viaAt[i] = _bytes32s.at(i);
        contained = containsManyBytes32(probe);
    }
}
