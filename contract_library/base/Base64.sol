// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Base64
/// @notice RFC 4648 Base64 encoding (standard alphabet with '=' padding, or URL-safe without) and strict decoding of both forms.
/// @dev `decode` accepts exactly the strings that some `encode` or `encodeURL` output could be turned into by
///      swapping alphabets and adding or dropping the final padding:
///      - characters `A-Z a-z 0-9`, plus `+` or `-` for 62 and `/` or `_` for 63 (the two alphabets may be mixed);
///      - padding is either absent (length % 4 is 0, 2 or 3) or complete (length % 4 == 0, ending in one or two
///        `=` that stand for the missing characters of the last group); '=' anywhere else is an error;
///      - the unused low bits of the last character must be zero (canonical form), so every byte string has
///        exactly one unpadded encoding per alphabet;
///      - no whitespace, line breaks or other bytes.
///      Errors report the first offending position (0-based byte index into the input).
library Base64 {
    /// @notice The input length `length` leaves one character over (length % 4 == 1), which cannot encode a byte.
    error Base64InvalidLength(uint256 length);
    /// @notice The byte `character` at `position` is not in the standard or URL-safe alphabet.
    error Base64InvalidCharacter(uint256 position, bytes1 character);
    /// @notice The '=' at `position` is not part of complete final padding.
    error Base64InvalidPadding(uint256 position);
    /// @notice The last character (at `position`) has non-zero unused low bits (a non-canonical encoding).
    error Base64NonCanonical(uint256 position);

    /// @notice `data` as standard Base64 (`+`, `/`), padded with '=' to a multiple of 4 characters.
    function encode(bytes memory data) internal pure returns (string memory) {
        return _encode(data, "ghijklmnopqrstuvwxyz0123456789+/", true);
    }

    /// @notice `data` as URL- and filename-safe Base64 (`-`, `_`) without padding.
    function encodeURL(bytes memory data) internal pure returns (string memory) {
        return _encode(data, "ghijklmnopqrstuvwxyz0123456789-_", false);
    }

    /// @notice The bytes encoded by `input` (standard or URL-safe alphabet, padded or not; see the library notes).
    /// @dev Reverts with Base64InvalidLength, Base64InvalidCharacter, Base64InvalidPadding or Base64NonCanonical.
    function decode(string memory input) internal pure returns (bytes memory result) {
        bytes memory s = bytes(input);
        uint256 n = s.length;
        if (n % 4 == 1) revert Base64InvalidLength(n);
        // Characters that carry data; trailing '=' are stripped only from a padded (length % 4 == 0) input.
        uint256 dataLen = n;
        if (n != 0 && n % 4 == 0 && s[n - 1] == "=") {
            dataLen = s[n - 2] == "=" ? n - 2 : n - 1;
        }
        // dataLen % 4 is 0, 2 or 3 here, giving 3 bytes per full group and 1 or 2 for the tail.
        result = new bytes((dataLen * 3) / 4);
        uint256 bad;
        assembly ("memory-safe") {
            // A 256-entry reverse table in free memory (not allocated: used only inside this block). It starts one
            // word after the free memory pointer because the 32-byte stores below may run up to 29 bytes past
            // `result`'s end. Entries: the 6-bit value, or 0xff for bytes outside both alphabets ('=' included).
            let table := add(mload(0x40), 0x20)
            mstore(table, not(0))                                                                              // 0x00-0x1f
            mstore(add(table, 0x20), 0xffffffffffffffffffffff3eff3eff3f3435363738393a3b3c3dffffffffffff) // ' '-'?'
            mstore(add(table, 0x40), 0xff000102030405060708090a0b0c0d0e0f10111213141516171819ffffffff3f) // '@'-'_'
            mstore(add(table, 0x60), 0xff1a1b1c1d1e1f202122232425262728292a2b2c2d2e2f30313233ffffffffff) // '`'-DEL
            mstore(add(table, 0x80), not(0))                                                                   // 0x80-0xff
            mstore(add(table, 0xa0), not(0))
            mstore(add(table, 0xc0), not(0))
            mstore(add(table, 0xe0), not(0))

            let src := add(s, 0x20)
            let end := add(src, and(dataLen, not(3))) // full groups of 4 characters
            let out := add(result, 0x20)
            for {} lt(src, end) {
                src := add(src, 4)
                out := add(out, 3)
            } {
                let w := mload(src) // the group's 4 characters are its top 4 bytes
                let a := byte(0, mload(add(table, byte(0, w))))
                let b := byte(0, mload(add(table, byte(1, w))))
                let c := byte(0, mload(add(table, byte(2, w))))
                let d := byte(0, mload(add(table, byte(3, w))))
                bad := or(bad, or(or(a, b), or(c, d)))
                // 24 bits to the top 3 bytes; the 29 zero bytes after them are overwritten by later groups or
                // land in `result`'s padding / unallocated memory before `table`.
                mstore(out, shl(232, or(or(shl(18, a), shl(12, b)), or(shl(6, c), d))))
            }
            switch and(dataLen, 3)
            case 2 {
                let w := mload(src)
                let a := byte(0, mload(add(table, byte(0, w))))
                let b := byte(0, mload(add(table, byte(1, w))))
                bad := or(bad, or(a, b))
                if and(b, 0x0f) { bad := or(bad, 0x40) } // 4 unused bits
                mstore8(out, or(shl(2, a), shr(4, b)))
            }
            case 3 {
                let w := mload(src)
                let a := byte(0, mload(add(table, byte(0, w))))
                let b := byte(0, mload(add(table, byte(1, w))))
                let c := byte(0, mload(add(table, byte(2, w))))
                bad := or(bad, or(or(a, b), c))
                if and(c, 0x03) { bad := or(bad, 0x40) } // 2 unused bits
                let v := or(or(shl(10, a), shl(4, b)), shr(2, c))
                mstore8(out, shr(8, v))
                mstore8(add(out, 1), v)
            }
            // Valid sextets are < 0x40, so bit 6 or 7 flags an invalid character or non-canonical tail.
            bad := and(bad, 0xc0)
        }
        if (bad != 0) _revertFirstError(s, dataLen);
    }

    /// @dev Encodes with the table `ABC...Zabcdef` + `tableHigh`; `padded` adds '=' to a multiple of 4.
    function _encode(bytes memory data, bytes32 tableHigh, bool padded) private pure returns (string memory result) {
        uint256 len = data.length;
        if (len == 0) return "";
        result = new string(padded ? 4 * ((len + 2) / 3) : (4 * len + 2) / 3);
        assembly ("memory-safe") {
            // The 64-character table lives in the scratch space: byte(0, mload(i)) is character i.
            mstore(0x00, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef")
            mstore(0x20, tableHigh)
            // `src` trails the next unread byte by 32, so after `src += 3` the low 3 bytes of mload(src) are the
            // next 3 input bytes.
            let src := data
            let fullEnd := add(data, mul(div(len, 3), 3))
            let out := add(result, 0x20)
            for {} lt(src, fullEnd) { out := add(out, 4) } {
                src := add(src, 3)
                let bits := mload(src)
                let chars := or(
                    or(shl(24, byte(0, mload(and(shr(18, bits), 0x3f)))), shl(16, byte(0, mload(and(shr(12, bits), 0x3f))))),
                    or(shl(8, byte(0, mload(and(shr(6, bits), 0x3f)))), byte(0, mload(and(bits, 0x3f))))
                )
                // 4 characters then 28 zero bytes: overwritten by later groups, or `result`'s zero padding /
                // unallocated memory (`result` is the newest allocation).
                mstore(out, shl(224, chars))
            }
            // The tail uses only the 1 or 2 remaining input bytes (the top of the loaded word); whatever follows
            // `data` in memory is ignored.
            switch sub(len, mul(div(len, 3), 3))
            case 1 {
                let b := byte(0, mload(add(src, 0x20)))
                mstore8(out, byte(0, mload(shr(2, b))))
                mstore8(add(out, 1), byte(0, mload(and(shl(4, b), 0x30))))
                if padded {
                    mstore8(add(out, 2), 0x3d)
                    mstore8(add(out, 3), 0x3d)
                }
            }
            case 2 {
                let bits := shr(240, mload(add(src, 0x20)))
                mstore8(out, byte(0, mload(shr(10, bits))))
                mstore8(add(out, 1), byte(0, mload(and(shr(4, bits), 0x3f))))
                mstore8(add(out, 2), byte(0, mload(and(shl(2, bits), 0x3c))))
                if padded { mstore8(add(out, 3), 0x3d) }
            }
        }
    }

    /// @dev Slow path of `decode`: finds and raises the first error in the `dataLen` data characters of `s`.
    function _revertFirstError(bytes memory s, uint256 dataLen) private pure {
        for (uint256 i = 0; i < dataLen; i++) {
            bytes1 c = s[i];
            if (c == "=") revert Base64InvalidPadding(i);
            if (!_inAlphabet(c)) revert Base64InvalidCharacter(i, c);
        }
        // All characters are valid, so the fast path flagged the unused bits of the last one.
        revert Base64NonCanonical(dataLen - 1);
    }

    /// @dev Whether `c` belongs to the standard or the URL-safe alphabet.
    function _inAlphabet(bytes1 c) private pure returns (bool) {
        return (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "+" || c == "/"
            || c == "-" || c == "_";
    }
}
