// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Conversion
/// @notice Conversions between bytes32, bytes and address with explicit, checked rules.
library Conversion {
    /// @notice A byte array longer than 32 bytes cannot become a bytes32.
    error ConversionBytesTooLong(uint256 length);
    /// @notice The bytes32 has non-zero bits above the low 160, so it is not a left-padded address.
    error ConversionInvalidAddress(bytes32 value);

    /// @notice `value` as a 32-byte `bytes`.
    function toBytes(bytes32 value) internal pure returns (bytes memory) {
        return abi.encodePacked(value);
    }

    /// @notice The bytes of `b` as a bytes32, left-aligned and zero-padded on the right (like a bytesN literal).
    /// @dev Reverts with ConversionBytesTooLong when `b` is longer than 32 bytes.
    function toBytes32(bytes memory b) internal pure returns (bytes32) {
        if (b.length > 32) revert ConversionBytesTooLong(b.length);
        // bytes32(b) reads the first 32 bytes and zero-pads a shorter array.
        return bytes32(b);
    }

    /// @notice `addr` left-padded with zeros to 32 bytes (the ABI / cross-chain messaging form).
    function toBytes32(address addr) internal pure returns (bytes32) {
        return bytes32(uint256(uint160(addr)));
    }

    /// @notice The address held in the low 160 bits of `value`.
    /// @dev Reverts with ConversionInvalidAddress when any of the high 96 bits is set (no silent truncation).
    function toAddress(bytes32 value) internal pure returns (address) {
        if (uint256(value) >> 160 != 0) revert ConversionInvalidAddress(value);
        return address(uint160(uint256(value)));
    }
}
