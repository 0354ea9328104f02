// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/base/Base64.sol";

/// @notice Test harness exposing the Base64 library (plus batched variants for property tests).
contract Base64Harness {
    function encode(bytes memory data) external pure returns (string memory) { return Base64.encode(data); }
    function encodeURL(bytes memory data) external pure returns (string memory) { return Base64.encodeURL(data); }
    function decode(string memory s) external pure returns (bytes memory) { return Base64.decode(s); }

    /// @dev For each input: the standard and URL-safe encodings, and both decoded back.
    function roundTrip(bytes[] memory inputs)
        external pure returns (string[] memory std, string[] memory url, bytes[] memory fromStd, bytes[] memory fromUrl)
    {
        std = new string[](inputs.length);
        url = new string[](inputs.length);
        fromStd = new bytes[](inputs.length);
        fromUrl = new bytes[](inputs.length);
        for (uint256 i = 0; i < inputs.length; i++) {
            std[i] = Base64.encode(inputs[i]);
            url[i] = Base64.encodeURL(inputs[i]);
            fromStd[i] = Base64.decode(std[i]);
            fromUrl[i] = Base64.decode(url[i]);
        }
    }

    /// @dev Decodes each string.
    function decodeMany(string[] memory inputs) external pure returns (bytes[] memory out) {
        out = new bytes[](inputs.length);
        for (uint256 i = 0; i < inputs.length; i++) out[i] = Base64.decode(inputs[i]);
    }

    /// @dev decode of raw bytes (any byte values, not only UTF-8) as a string.
    function decodeRaw(bytes memory s) external pure returns (bytes memory) { return Base64.decode(string(s)); }

    /// @dev For each raw input: whether decode succeeds, and the decoded bytes or the revert data.
    function decodeResults(bytes[] memory inputs) external view returns (bool[] memory ok, bytes[] memory out) {
        ok = new bool[](inputs.length);
        out = new bytes[](inputs.length);
        for (uint256 i = 0; i < inputs.length; i++) {
            try this.decodeRaw(inputs[i]) returns (bytes memory decoded) {
                (ok[i], out[i]) = (true, decoded);
            } catch (bytes memory reason) {
                out[i] = reason;
            }
        }
    }

    /// @dev Encodes `data` after filling the 32 bytes of memory right after it with 0xff, to show the encoder
    ///      never reads past the end of its input.
    function encodeDirtyTail(bytes memory data) external pure returns (string memory std, string memory url) {
        assembly ("memory-safe") {
            let end := add(add(data, 0x20), mload(data))
            mstore(end, not(0))
            mstore(0x40, add(end, 0x20))
        }
        std = Base64.encode(data);
        url = Base64.encodeURL(data);
    }
}
