// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/base/Math.sol";

/// @title Bits
/// @notice Single-bit operations on uint256 words (get/set/clear/toggle), population count and highest/lowest set bit.
/// @dev Bit 0 is the least significant bit.
library Bits {
    /// @notice `index` is not a bit position of a uint256 (0..255).
    error BitsIndexOutOfRange(uint256 index);
    /// @notice msb/lsb of 0 are undefined.
    error BitsZeroValue();

    /// @notice Whether bit `index` of `word` is set.
    function get(uint256 word, uint256 index) internal pure returns (bool) {
        if (index > 255) revert BitsIndexOutOfRange(index);
        return (word >> index) & 1 == 1;
    }

    /// @notice `word` with bit `index` set to 1.
    function set(uint256 word, uint256 index) internal pure returns (uint256) {
        if (index > 255) revert BitsIndexOutOfRange(index);
        return word | (uint256(1) << index);
    }

    /// @notice `word` with bit `index` set to 0.
    function clear(uint256 word, uint256 index) internal pure returns (uint256) {
        if (index > 255) revert BitsIndexOutOfRange(index);
        return word & ~(uint256(1) << index);
    }

    /// @notice `word` with bit `index` flipped.
    function toggle(uint256 word, uint256 index) internal pure returns (uint256) {
        if (index > 255) revert BitsIndexOutOfRange(index);
        return word ^ (uint256(1) << index);
    }

    /// @notice The number of set bits in `word` (0..256).
    /// @dev SWAR count; every intermediate stays far below 2**256 (see the per-step bounds), so the checked
    ///      arithmetic never reverts.
    function popCount(uint256 word) internal pure returns (uint256 x) {
        x = word;
        // Per 2-bit group v: v - (v >> 1) is its bit count (0..2); no group borrows from its neighbour.
        x = x - ((x >> 1) & 0x5555555555555555555555555555555555555555555555555555555555555555);
        // Per 4-bit group: sum of two 2-bit counts (0..4).
        x = (x & 0x3333333333333333333333333333333333333333333333333333333333333333)
            + ((x >> 2) & 0x3333333333333333333333333333333333333333333333333333333333333333);
        // Per byte: sum of two nibble counts (0..8); x <= 0x4444..44, so x + (x >> 4) cannot overflow.
        x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f;
        // Per 16-bit lane: sum of two byte counts (0..16).
        x = (x & 0x00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff)
            + ((x >> 8) & 0x00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff);
        // Fold the 16 lanes into the lowest one. Every lane only ever holds a sum of lane counts (<= 256 < 2**16),
        // so no lane carries into the next and no addition can overflow.
        x = x + (x >> 16);
        x = x + (x >> 32);
        x = x + (x >> 64);
        x = x + (x >> 128);
        x &= 0xffff; // lane 0 holds the total (0..256)
    }

    /// @notice The index of the highest set bit of `word`; BitsZeroValue for 0.
    function msb(uint256 word) internal pure returns (uint256) {
        if (word == 0) revert BitsZeroValue();
        return Math.log2(word);
    }

    /// @notice The index of the lowest set bit of `word`; BitsZeroValue for 0.
    function lsb(uint256 word) internal pure returns (uint256) {
        if (word == 0) revert BitsZeroValue();
        // word & -word isolates the lowest set bit; ~word + 1 cannot overflow because word != 0.
        return Math.log2(word & (~word + 1));
    }
}
