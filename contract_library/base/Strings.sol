// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/base/Math.sol";

/// @title Strings
/// @notice String helpers: decimal and hex formatting, EIP-55 checksummed addresses, comparison, concatenation, parsing and ASCII case.
/// @dev Strings are treated as raw bytes: `length` counts bytes, `lower`/`upper` change ASCII letters only.
library Strings {
    /// @notice `value` is not a decimal number: empty, or `position` holds a byte other than '0'-'9'.
    error StringsInvalidUint(string value, uint256 position);
    /// @notice The decimal number `value` exceeds type(uint256).max.
    error StringsUintOverflow(string value);
    /// @notice `value` needs more than `length` bytes of hex digits.
    error StringsInsufficientHexLength(uint256 value, uint256 length);

    bytes16 private constant HEX_DIGITS = "0123456789abcdef";

    /// @notice The decimal representation of `value` ("0" for 0).
    function toString(uint256 value) internal pure returns (string memory out) {
        uint256 digits = value == 0 ? 1 : Math.log10(value) + 1;
        out = new string(digits);
        assembly ("memory-safe") {
            // Digits from the last one backwards: p starts just past the string's bytes.
            let p := add(add(out, 0x20), digits)
            for {} 1 {} {
                p := sub(p, 1)
                mstore8(p, add(48, mod(value, 10)))
                value := div(value, 10)
                if iszero(value) { break }
            }
        }
    }

    /// @notice The decimal representation of `value`, with a leading '-' when negative (type(int256).min included).
    function toString(int256 value) internal pure returns (string memory) {
        if (value >= 0) return toString(uint256(value));
        // -(value + 1) cannot overflow, even for type(int256).min; add the 1 back as uint256.
        return string.concat("-", toString(uint256(-(value + 1)) + 1));
    }

    /// @notice `value` as "0x"-prefixed lowercase hex with the fewest whole bytes ("0x00" for 0).
    function toHexString(uint256 value) internal pure returns (string memory) {
        return toHexString(value, value == 0 ? 1 : Math.log2(value) / 8 + 1);
    }

    /// @notice `value` as "0x"-prefixed lowercase hex padded to exactly `byteLength` bytes (2 * `byteLength` digits).
    /// @dev Reverts with StringsInsufficientHexLength when `value` does not fit in `byteLength` bytes.
    function toHexString(uint256 value, uint256 byteLength) internal pure returns (string memory) {
        uint256 original = value;
        bytes memory buffer = new bytes(2 * byteLength + 2);
        buffer[0] = "0";
        buffer[1] = "x";
        for (uint256 i = 2 * byteLength + 1; i > 1; i--) {
            buffer[i] = HEX_DIGITS[value & 0xf];
            value >>= 4;
        }
        if (value != 0) revert StringsInsufficientHexLength(original, byteLength);
        return string(buffer);
    }

    /// @notice `addr` as "0x" followed by 40 lowercase hex digits.
    function toHexString(address addr) internal pure returns (string memory) {
        return toHexString(uint256(uint160(addr)), 20);
    }

    /// @notice `addr` in EIP-55 mixed-case checksum form ("0x" + 40 hex digits).
    function toChecksumHexString(address addr) internal pure returns (string memory) {
        bytes memory buffer = bytes(toHexString(addr));
        // Hash of the 40 lowercase hex digits (skipping "0x"); its top 160 bits decide the case of each digit.
        uint256 hashValue;
        assembly {
            hashValue := shr(96, keccak256(add(buffer, 0x22), 40))
        }
        for (uint256 i = 41; i > 1; i--) {
            // Digit i - 2 (from the left) corresponds to the lowest nibble of hashValue when i == 41.
            if (hashValue & 0xf > 7 && uint8(buffer[i]) > 96) {
                buffer[i] = bytes1(uint8(buffer[i]) - 32); // 'a'-'f' -> 'A'-'F'
            }
            hashValue >>= 4;
        }
        return string(buffer);
    }

    /// @notice Whether `a` and `b` have the same bytes.
    function equal(string memory a, string memory b) internal pure returns (bool) {
        return bytes(a).length == bytes(b).length && keccak256(bytes(a)) == keccak256(bytes(b));
    }

    /// @notice `a` followed by `b`.
    function concat(string memory a, string memory b) internal pure returns (string memory) {
        return string.concat(a, b);
    }

    /// @notice The length of `s` in bytes (not characters: a multi-byte UTF-8 character counts once per byte).
    function length(string memory s) internal pure returns (uint256) {
        return bytes(s).length;
    }

    /// @notice Parses a decimal string of digits '0'-'9' (no sign, spaces or prefix; leading zeros allowed).
    /// @dev Reverts with StringsInvalidUint for an empty string or a non-digit byte, StringsUintOverflow when too large.
    function parseUint(string memory s) internal pure returns (uint256 result) {
        bytes memory b = bytes(s);
        if (b.length == 0) revert StringsInvalidUint(s, 0);
        for (uint256 i = 0; i < b.length; i++) {
            uint8 c = uint8(b[i]);
            if (c < 48 || c > 57) revert StringsInvalidUint(s, i);
            uint256 digit = c - 48;
            // Up to 77 digits always fit (10**77 - 1 < 2**256), so only longer inputs need the overflow test.
            if (i >= 77 && result > (type(uint256).max - digit) / 10) revert StringsUintOverflow(s);
            result = result * 10 + digit;
        }
    }

    /// @notice A copy of `s` with ASCII 'A'-'Z' turned into 'a'-'z'; other bytes unchanged.
    function lower(string memory s) internal pure returns (string memory) {
        bytes memory b = bytes(s);
        bytes memory out = new bytes(b.length);
        for (uint256 i = 0; i < b.length; i++) {
            uint8 c = uint8(b[i]);
            out[i] = bytes1(c >= 65 && c <= 90 ? c + 32 : c);
        }
        return string(out);
    }

    /// @notice A copy of `s` with ASCII 'a'-'z' turned into 'A'-'Z'; other bytes unchanged.
    function upper(string memory s) internal pure returns (string memory) {
        bytes memory b = bytes(s);
        bytes memory out = new bytes(b.length);
        for (uint256 i = 0; i < b.length; i++) {
            uint8 c = uint8(b[i]);
            out[i] = bytes1(c >= 97 && c <= 122 ? c - 32 : c);
        }
        return string(out);
    }
}
