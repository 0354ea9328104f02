// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title IERC165
/// @notice ERC-165 standard interface detection: a contract reports which interface ids it implements.
interface IERC165 {
    /// @notice Whether the contract implements the interface `interfaceId` (never true for 0xffffffff).
    /// @dev Must use less than 30,000 gas.
    function supportsInterface(bytes4 interfaceId) external view returns (bool);
}
