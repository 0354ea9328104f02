// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title IERC1271
/// @notice ERC-1271 interface through which a contract account (wallet, multisig) says whether a signature is valid for it.
interface IERC1271 {
    /// @notice Whether `signature` is a valid signature of `hash` on behalf of this contract: returns the magic value
    ///         0x1626ba7e (this function's selector) if so; anything else, or a revert, means "not valid".
    function isValidSignature(bytes32 hash, bytes memory signature) external view returns (bytes4 magicValue);
}
