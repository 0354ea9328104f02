// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/base/Bytes.sol";
import "@smartdev/base/Conversion.sol";

/// @notice Test harness exposing every Bytes and Conversion function.
contract BytesHarness {
    function slice(bytes memory b, uint256 start, uint256 len) external pure returns (bytes memory) {
        return Bytes.slice(b, start, len);
    }

    function sliceFrom(bytes memory b, uint256 start) external pure returns (bytes memory) {
        return Bytes.slice(b, start);
    }

    /// @dev Slices, then allocates a fresh zeroed buffer and hashes a concatenation, to show that slicing leaves
    ///      no dirty bytes behind: returns the slice, abi.encodePacked(slice, tail) and a new bytes(64).
    function sliceThenAllocate(bytes memory b, uint256 start, uint256 len, bytes memory tail)
        external pure returns (bytes memory s, bytes memory joined, bytes memory fresh)
    {
        s = Bytes.slice(b, start, len);
        joined = abi.encodePacked(s, tail);
        fresh = new bytes(64);
    }

    function equal(bytes memory a, bytes memory b) external pure returns (bool) { return Bytes.equal(a, b); }

    function toBytes(bytes32 v) external pure returns (bytes memory) { return Conversion.toBytes(v); }
    function toBytes32(bytes memory b) external pure returns (bytes32) { return Conversion.toBytes32(b); }
    function addressToBytes32(address a) external pure returns (bytes32) { return Conversion.toBytes32(a); }
    function toAddress(bytes32 v) external pure returns (address) { return Conversion.toAddress(v); }
}
