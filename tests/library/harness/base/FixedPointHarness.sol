// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/base/FixedPoint.sol";

/// @notice Test harness exposing every FixedPoint function.
contract FixedPointHarness {
    function one() external pure returns (uint256) { return FixedPoint.ONE; }
    function fromUint(uint256 v) external pure returns (uint256) { return FixedPoint.fromUint(v); }
    function toUint(uint256 v) external pure returns (uint256) { return FixedPoint.toUint(v); }
    function mul(uint256 a, uint256 b) external pure returns (uint256) { return FixedPoint.mul(a, b); }
    function mulUp(uint256 a, uint256 b) external pure returns (uint256) { return FixedPoint.mulUp(a, b); }
    function div(uint256 a, uint256 b) external pure returns (uint256) { return FixedPoint.div(a, b); }
    function divUp(uint256 a, uint256 b) external pure returns (uint256) { return FixedPoint.divUp(a, b); }
}
