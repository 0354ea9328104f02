// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/base/Math.sol";

/// @notice Test harness exposing every Math function (plus batched variants for property tests).
contract MathHarness {
    function min(uint256 a, uint256 b) external pure returns (uint256) { return Math.min(a, b); }
    function max(uint256 a, uint256 b) external pure returns (uint256) { return Math.max(a, b); }
    function average(uint256 a, uint256 b) external pure returns (uint256) { return Math.average(a, b); }
    function ceilDiv(uint256 a, uint256 b) external pure returns (uint256) { return Math.ceilDiv(a, b); }
    function pow(uint256 b, uint256 e) external pure returns (uint256) { return Math.pow(b, e); }
    function sqrt(uint256 a) external pure returns (uint256) { return Math.sqrt(a); }
    function log2(uint256 a) external pure returns (uint256) { return Math.log2(a); }
    function log10(uint256 a) external pure returns (uint256) { return Math.log10(a); }
    function mulDiv(uint256 x, uint256 y, uint256 d) external pure returns (uint256) { return Math.mulDiv(x, y, d); }
    function mulDivUp(uint256 x, uint256 y, uint256 d) external pure returns (uint256) { return Math.mulDivUp(x, y, d); }
    function toUint8(uint256 v) external pure returns (uint8) { return Math.toUint8(v); }
    function toUint16(uint256 v) external pure returns (uint16) { return Math.toUint16(v); }
    function toUint32(uint256 v) external pure returns (uint32) { return Math.toUint32(v); }
    function toUint64(uint256 v) external pure returns (uint64) { return Math.toUint64(v); }
    function toUint96(uint256 v) external pure returns (uint96) { return Math.toUint96(v); }
    function toUint128(uint256 v) external pure returns (uint128) { return Math.toUint128(v); }
    function toInt256(uint256 v) external pure returns (int256) { return Math.toInt256(v); }
    function toUint256(int256 v) external pure returns (uint256) { return Math.toUint256(v); }

    // Batched variants: one eth_call checks many inputs.
    function sqrtMany(uint256[] calldata a) external pure returns (uint256[] memory r) {
        r = new uint256[](a.length);
        for (uint256 i = 0; i < a.length; i++) r[i] = Math.sqrt(a[i]);
    }
    function log2Many(uint256[] calldata a) external pure returns (uint256[] memory r) {
        r = new uint256[](a.length);
        for (uint256 i = 0; i < a.length; i++) r[i] = Math.log2(a[i]);
    }
    function log10Many(uint256[] calldata a) external pure returns (uint256[] memory r) {
        r = new uint256[](a.length);
        for (uint256 i = 0; i < a.length; i++) r[i] = Math.log10(a[i]);
    }
    function averageMany(uint256[] calldata a, uint256[] calldata b) external pure returns (uint256[] memory r) {
        r = new uint256[](a.length);
        for (uint256 i = 0; i < a.length; i++) r[i] = Math.average(a[i], b[i]);
    }
}
