// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Math
/// @notice Integer math helpers: sqrt, pow, logarithms, full-precision mulDiv, min/max/average, ceilDiv and safe casts.
/// @dev All functions are `internal pure`; they are inlined into the calling contract.
library Math {
    /// @notice The result does not fit in a uint256.
    error MathOverflow();
    /// @notice A division (or mulDiv/ceilDiv) by zero was requested.
    error MathDivisionByZero();
    /// @notice The logarithm of zero is undefined.
    error MathLogOfZero();
    /// @notice `value` does not fit in an unsigned integer of `bits` bits.
    error SafeCastOverflow(uint256 bits, uint256 value);
    /// @notice A negative `value` cannot be cast to an unsigned integer.
    error SafeCastNegative(int256 value);
    /// @notice `value` is larger than type(int256).max.
    error SafeCastIntOverflow(uint256 value);

    // ------------------------------------------------------------------
    // min / max / average / ceilDiv
    // ------------------------------------------------------------------

    /// @notice The smaller of `a` and `b`.
    function min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }

    /// @notice The larger of `a` and `b`.
    function max(uint256 a, uint256 b) internal pure returns (uint256) {
        return a > b ? a : b;
    }

    /// @notice The average of `a` and `b`, rounded down, without overflow.
    /// @dev (a & b) is the carry-free common part, (a ^ b) / 2 half of the differing bits; their sum is
    ///      floor((a + b) / 2) and never exceeds max(a, b), so the checked addition cannot overflow.
    function average(uint256 a, uint256 b) internal pure returns (uint256) {
        return (a & b) + (a ^ b) / 2;
    }

    /// @notice `a / b` rounded up; reverts with MathDivisionByZero when `b` is 0.
    function ceilDiv(uint256 a, uint256 b) internal pure returns (uint256) {
        if (b == 0) revert MathDivisionByZero();
        // a - 1 cannot underflow (a > 0 in that branch) and (a - 1) / b + 1 <= a.
        return a == 0 ? 0 : (a - 1) / b + 1;
    }

    // ------------------------------------------------------------------
    // pow / sqrt / logarithms
    // ------------------------------------------------------------------

    /// @notice `base ** exponent` (0 ** 0 == 1); reverts with MathOverflow when the result exceeds uint256.
    function pow(uint256 base, uint256 exponent) internal pure returns (uint256 result) {
        result = 1;
        while (exponent != 0) {
            if (exponent & 1 == 1) {
                if (base != 0 && result > type(uint256).max / base) revert MathOverflow();
                result *= base;
            }
            exponent >>= 1;
            if (exponent != 0) {
                // A further bit of the exponent is set, so the final result is at least base**2:
                // if squaring overflows, so does the result.
                if (base != 0 && base > type(uint256).max / base) revert MathOverflow();
                base *= base;
            }
        }
    }

    /// @notice Floor of the square root of `a`, exact for every uint256.
    /// @dev Newton's iteration from x0 = 2**(floor(log2(a)/2)+1), which is above the root and within a factor 2
    ///      of it (relative error <= 1). Each step squares the error (e' = e**2 / (2(1+e))), so seven steps take
    ///      it below 2**-200, i.e. to floor(sqrt(a)) or floor(sqrt(a)) + 1 for a 128-bit root; the last line
    ///      removes the + 1. No step can overflow: x <= 2**128 and a / x < 2**129.
    function sqrt(uint256 a) internal pure returns (uint256 x) {
        if (a <= 1) return a;
        x = uint256(1) << ((log2(a) >> 1) + 1);
        assembly ("memory-safe") {
            x := shr(1, add(x, div(a, x)))
            x := shr(1, add(x, div(a, x)))
            x := shr(1, add(x, div(a, x)))
            x := shr(1, add(x, div(a, x)))
            x := shr(1, add(x, div(a, x)))
            x := shr(1, add(x, div(a, x)))
            x := shr(1, add(x, div(a, x)))
            x := sub(x, gt(x, div(a, x)))
        }
    }

    /// @notice Floor of log2(`value`), i.e. the index of its highest set bit; reverts with MathLogOfZero for 0.
    function log2(uint256 value) internal pure returns (uint256 result) {
        if (value == 0) revert MathLogOfZero();
        // Binary search for the highest set bit, without branches: each line adds `shift`
        // (128, 64, ..., 1) when the remaining value is at least 2**shift, and shifts it down.
        assembly ("memory-safe") {
            let shift := shl(7, gt(value, 0xffffffffffffffffffffffffffffffff))
            result := shift
            value := shr(shift, value)
            shift := shl(6, gt(value, 0xffffffffffffffff))
            result := or(result, shift)
            value := shr(shift, value)
            shift := shl(5, gt(value, 0xffffffff))
            result := or(result, shift)
            value := shr(shift, value)
            shift := shl(4, gt(value, 0xffff))
            result := or(result, shift)
            value := shr(shift, value)
            shift := shl(3, gt(value, 0xff))
            result := or(result, shift)
            value := shr(shift, value)
            shift := shl(2, gt(value, 0xf))
            result := or(result, shift)
            value := shr(shift, value)
            shift := shl(1, gt(value, 0x3))
            result := or(result, shift)
            value := shr(shift, value)
            result := or(result, gt(value, 0x1))
        }
    }

    /// @notice Floor of log10(`value`); reverts with MathLogOfZero for 0.
    function log10(uint256 value) internal pure returns (uint256 result) {
        if (value == 0) revert MathLogOfZero();
        unchecked {
            if (value >= 1e64) { value /= 1e64; result += 64; }
            if (value >= 1e32) { value /= 1e32; result += 32; }
            if (value >= 1e16) { value /= 1e16; result += 16; }
            if (value >= 1e8) { value /= 1e8; result += 8; }
            if (value >= 1e4) { value /= 1e4; result += 4; }
            if (value >= 1e2) { value /= 1e2; result += 2; }
            if (value >= 1e1) { result += 1; }
        }
    }

    // ------------------------------------------------------------------
    // mulDiv
    // ------------------------------------------------------------------

    /// @notice floor(`x` * `y` / `denominator`) with full 512-bit intermediate precision.
    /// @dev Reverts with MathDivisionByZero when `denominator` is 0 and MathOverflow when the result
    ///      exceeds uint256. Algorithm by Remco Bloemen (MIT), "Mathemagic: full multiply" / "512-bit division".
    function mulDiv(uint256 x, uint256 y, uint256 denominator) internal pure returns (uint256 result) {
        if (denominator == 0) revert MathDivisionByZero();
        // 512-bit product [prod1 prod0] = x * y, computed modulo 2**256 and 2**256 - 1 and combined
        // with the Chinese Remainder Theorem. The wrapping in assembly is intended: it is arithmetic mod 2**256.
        uint256 prod0;
        uint256 prod1;
        assembly {
            let mm := mulmod(x, y, not(0))
            prod0 := mul(x, y)
            prod1 := sub(sub(mm, prod0), lt(mm, prod0))
        }
        if (prod1 == 0) return prod0 / denominator; // fits in 256 bits: plain division
        // The quotient fits in 256 bits iff denominator > prod1.
        if (denominator <= prod1) revert MathOverflow();

        assembly {
            // Make the division exact: subtract the remainder from [prod1 prod0].
            let remainder := mulmod(x, y, denominator)
            prod1 := sub(prod1, gt(remainder, prod0))
            prod0 := sub(prod0, remainder)

            // Factor the largest power of two out of the denominator (twos >= 1 since denominator > 0).
            let twos := and(denominator, sub(0, denominator))
            denominator := div(denominator, twos)
            prod0 := div(prod0, twos)
            // twos becomes 2**256 / twos (wrapping: 0 - twos == 2**256 - twos).
            twos := add(div(sub(0, twos), twos), 1)
            // Shift the high bits of prod1 into prod0.
            prod0 := or(prod0, mul(prod1, twos))

            // denominator is now odd, so it has an inverse mod 2**256. Newton-Raphson starting from a seed
            // correct to 4 bits doubles the correct bits each step: 8, 16, 32, 64, 128, 256.
            let inverse := xor(mul(3, denominator), 2)
            inverse := mul(inverse, sub(2, mul(denominator, inverse)))
            inverse := mul(inverse, sub(2, mul(denominator, inverse)))
            inverse := mul(inverse, sub(2, mul(denominator, inverse)))
            inverse := mul(inverse, sub(2, mul(denominator, inverse)))
            inverse := mul(inverse, sub(2, mul(denominator, inverse)))
            inverse := mul(inverse, sub(2, mul(denominator, inverse)))

            // The division is exact, so multiplying by the modular inverse gives the quotient; since the
            // quotient is < 2**256 (checked above) it is the exact result.
            result := mul(prod0, inverse)
        }
    }

    /// @notice ceil(`x` * `y` / `denominator`) with full 512-bit intermediate precision.
    /// @dev Same errors as mulDiv; also MathOverflow when rounding up passes type(uint256).max.
    function mulDivUp(uint256 x, uint256 y, uint256 denominator) internal pure returns (uint256 result) {
        result = mulDiv(x, y, denominator);
        if (mulmod(x, y, denominator) != 0) {
            if (result == type(uint256).max) revert MathOverflow();
            result += 1;
        }
    }

    // ------------------------------------------------------------------
    // Safe casts
    // ------------------------------------------------------------------

    /// @notice `value` as uint8; reverts with SafeCastOverflow(8, value) when it does not fit.
    function toUint8(uint256 value) internal pure returns (uint8) {
        if (value > type(uint8).max) revert SafeCastOverflow(8, value);
        return uint8(value);
    }

    /// @notice `value` as uint16; reverts with SafeCastOverflow(16, value) when it does not fit.
    function toUint16(uint256 value) internal pure returns (uint16) {
        if (value > type(uint16).max) revert SafeCastOverflow(16, value);
        return uint16(value);
    }

    /// @notice `value` as uint32; reverts with SafeCastOverflow(32, value) when it does not fit.
    function toUint32(uint256 value) internal pure returns (uint32) {
        if (value > type(uint32).max) revert SafeCastOverflow(32, value);
        return uint32(value);
    }

    /// @notice `value` as uint64; reverts with SafeCastOverflow(64, value) when it does not fit.
    function toUint64(uint256 value) internal pure returns (uint64) {
        if (value > type(uint64).max) revert SafeCastOverflow(64, value);
        return uint64(value);
    }

    /// @notice `value` as uint96; reverts with SafeCastOverflow(96, value) when it does not fit.
    function toUint96(uint256 value) internal pure returns (uint96) {
        if (value > type(uint96).max) revert SafeCastOverflow(96, value);
        return uint96(value);
    }

    /// @notice `value` as uint128; reverts with SafeCastOverflow(128, value) when it does not fit.
    function toUint128(uint256 value) internal pure returns (uint128) {
        if (value > type(uint128).max) revert SafeCastOverflow(128, value);
        return uint128(value);
    }

    /// @notice `value` as int256; reverts with SafeCastIntOverflow(value) when it exceeds type(int256).max.
    function toInt256(uint256 value) internal pure returns (int256) {
        if (value > uint256(type(int256).max)) revert SafeCastIntOverflow(value);
        return int256(value);
    }

    /// @notice `value` as uint256; reverts with SafeCastNegative(value) when it is negative.
    function toUint256(int256 value) internal pure returns (uint256) {
        if (value < 0) revert SafeCastNegative(value);
        return uint256(value);
    }
}
