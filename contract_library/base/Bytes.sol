// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Bytes
/// @notice Bounds-checked slicing of `bytes memory` and equality.
library Bytes {
    /// @notice The range [start, start + len) is not inside a byte array of `length` bytes.
    error BytesOutOfRange(uint256 start, uint256 len, uint256 length);

    /// @notice A copy of `len` bytes of `b` starting at `start`.
    /// @dev Reverts with BytesOutOfRange when start + len > b.length (checked without overflow).
    function slice(bytes memory b, uint256 start, uint256 len) internal pure returns (bytes memory out) {
        // len <= b.length holds before b.length - len is computed, so that subtraction cannot underflow.
        if (len > b.length || start > b.length - len) revert BytesOutOfRange(start, len, b.length);
        out = new bytes(len);
        // Copy whole 32-byte words; the last word may copy bytes past `len` into the padding of `out`,
        // which is then rewritten to zero so the free-memory tail stays clean.
        assembly {
            let src := add(add(b, 0x20), start)
            let dst := add(out, 0x20)
            for { let i := 0 } lt(i, len) { i := add(i, 0x20) } {
                mstore(add(dst, i), mload(add(src, i)))
            }
            // Zero the bytes after the end of `out` within its last word.
            mstore(add(dst, len), 0)
        }
    }

    /// @notice A copy of `b` from `start` to its end.
    /// @dev Reverts with BytesOutOfRange when start > b.length.
    function slice(bytes memory b, uint256 start) internal pure returns (bytes memory) {
        if (start > b.length) revert BytesOutOfRange(start, 0, b.length);
        return slice(b, start, b.length - start);
    }

    /// @notice Whether `a` and `b` hold the same bytes.
    function equal(bytes memory a, bytes memory b) internal pure returns (bool) {
        return a.length == b.length && keccak256(a) == keccak256(b);
    }
}
