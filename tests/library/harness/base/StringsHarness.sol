// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/base/Strings.sol";

/// @notice Test harness exposing every Strings function (overloads under distinct names).
contract StringsHarness {
    function toStringUint(uint256 v) external pure returns (string memory) { return Strings.toString(v); }
    function toStringInt(int256 v) external pure returns (string memory) { return Strings.toString(v); }
    function toHexString(uint256 v) external pure returns (string memory) { return Strings.toHexString(v); }
    function toHexStringFixed(uint256 v, uint256 len) external pure returns (string memory) { return Strings.toHexString(v, len); }
    function toHexStringAddress(address a) external pure returns (string memory) { return Strings.toHexString(a); }
    function toChecksumHexString(address a) external pure returns (string memory) { return Strings.toChecksumHexString(a); }
    function equal(string memory a, string memory b) external pure returns (bool) { return Strings.equal(a, b); }
    function concat(string memory a, string memory b) external pure returns (string memory) { return Strings.concat(a, b); }
    function length(string memory s) external pure returns (uint256) { return Strings.length(s); }
    function parseUint(string memory s) external pure returns (uint256) { return Strings.parseUint(s); }
    function lower(string memory s) external pure returns (string memory) { return Strings.lower(s); }
    function upper(string memory s) external pure returns (string memory) { return Strings.upper(s); }

    // Batched variants for property tests.
    function toStringUintMany(uint256[] calldata v) external pure returns (string[] memory r) {
        r = new string[](v.length);
        for (uint256 i = 0; i < v.length; i++) r[i] = Strings.toString(v[i]);
    }
    function toStringIntMany(int256[] calldata v) external pure returns (string[] memory r) {
        r = new string[](v.length);
        for (uint256 i = 0; i < v.length; i++) r[i] = Strings.toString(v[i]);
    }
    function toHexStringMany(uint256[] calldata v) external pure returns (string[] memory r) {
        r = new string[](v.length);
        for (uint256 i = 0; i < v.length; i++) r[i] = Strings.toHexString(v[i]);
    }
    function toChecksumMany(address[] calldata v) external pure returns (string[] memory r) {
        r = new string[](v.length);
        for (uint256 i = 0; i < v.length; i++) r[i] = Strings.toChecksumHexString(v[i]);
    }
    function parseUintMany(string[] calldata v) external pure returns (uint256[] memory r) {
        r = new uint256[](v.length);
        for (uint256 i = 0; i < v.length; i++) r[i] = Strings.parseUint(v[i]);
    }
}
