// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/base/Math.sol";

/// @title FixedPoint
/// @notice Unsigned 18-decimal fixed-point ("wad") arithmetic: 1.0 is 1e18.
/// @dev Products and quotients use Math.mulDiv, so intermediate results never overflow: only results that do not
///      fit in uint256 revert (Math.MathOverflow), and a zero divisor reverts with Math.MathDivisionByZero.
library FixedPoint {
    /// @notice The integer `value` is too large to be represented as a fixed-point number.
    error FixedPointOverflow(uint256 value);

    /// @notice 1.0 in fixed-point.
    uint256 internal constant ONE = 1e18;

    /// @notice The integer `value` as fixed-point (value * 1e18); FixedPointOverflow when it does not fit.
    function fromUint(uint256 value) internal pure returns (uint256) {
        if (value > type(uint256).max / ONE) revert FixedPointOverflow(value);
        return value * ONE;
    }

    /// @notice The integer part of the fixed-point `value` (rounded down).
    function toUint(uint256 value) internal pure returns (uint256) {
        return value / ONE;
    }

    /// @notice `a * b` for fixed-point operands, rounded down.
    function mul(uint256 a, uint256 b) internal pure returns (uint256) {
        return Math.mulDiv(a, b, ONE);
    }

    /// @notice `a * b` for fixed-point operands, rounded up.
    function mulUp(uint256 a, uint256 b) internal pure returns (uint256) {
        return Math.mulDivUp(a, b, ONE);
    }

    /// @notice `a / b` for fixed-point operands, rounded down; Math.MathDivisionByZero when `b` is 0.
    function div(uint256 a, uint256 b) internal pure returns (uint256) {
        return Math.mulDiv(a, ONE, b);
    }

    /// @notice `a / b` for fixed-point operands, rounded up; Math.MathDivisionByZero when `b` is 0.
    function divUp(uint256 a, uint256 b) internal pure returns (uint256) {
        return Math.mulDivUp(a, ONE, b);
    }
}
