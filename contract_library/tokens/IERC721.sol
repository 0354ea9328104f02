// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/tokens/IERC165.sol";

/// @title IERC721
/// @notice The ERC-721 non-fungible token interface (ownership, approvals, safe transfers), with its metadata and receiver interfaces.
/// @dev ERC-165 interface id 0x80ac58cd.
interface IERC721 is IERC165 {
    /// @notice Token `tokenId` moved from `from` to `to` (`from` zero on mint, `to` zero on burn); clears its approval.
    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    /// @notice `owner` set the approved address of `tokenId` to `approved` (zero = none).
    event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId);
    /// @notice `owner` enabled or disabled `operator` to manage all of its tokens.
    event ApprovalForAll(address indexed owner, address indexed operator, bool approved);

    /// @notice The number of tokens owned by `owner` (reverts for the zero address).
    function balanceOf(address owner) external view returns (uint256 balance);

    /// @notice The owner of `tokenId` (reverts for a token that does not exist).
    function ownerOf(uint256 tokenId) external view returns (address owner);

    /// @notice Transfer `tokenId` from `from` to `to`; if `to` is a contract it must accept it via onERC721Received(…, `data`).
    function safeTransferFrom(address from, address to, uint256 tokenId, bytes calldata data) external;

    /// @notice Transfer `tokenId` from `from` to `to`, checking a contract receiver accepts it (empty data).
    function safeTransferFrom(address from, address to, uint256 tokenId) external;

    /// @notice Transfer `tokenId` from `from` to `to` without the receiver check (tokens sent to contracts may be lost).
    function transferFrom(address from, address to, uint256 tokenId) external;

    /// @notice Set the approved address of `tokenId` to `to` (zero clears it). Owner or operator only.
    function approve(address to, uint256 tokenId) external;

    /// @notice Allow (`approved` true) or disallow `operator` to manage all of the caller's tokens.
    function setApprovalForAll(address operator, bool approved) external;

    /// @notice The approved address of `tokenId` (zero if none; reverts for a token that does not exist).
    function getApproved(uint256 tokenId) external view returns (address operator);

    /// @notice Whether `operator` may manage all tokens of `owner`.
    function isApprovedForAll(address owner, address operator) external view returns (bool);
}

/// @notice The optional ERC-721 metadata extension (ERC-165 id 0x5b5e139f).
interface IERC721Metadata is IERC721 {
    /// @notice The collection name.
    function name() external view returns (string memory);

    /// @notice The collection symbol.
    function symbol() external view returns (string memory);

    /// @notice The metadata URI of `tokenId` (reverts for a token that does not exist).
    function tokenURI(uint256 tokenId) external view returns (string memory);
}

/// @notice Implemented by contracts that accept ERC-721 safe transfers.
interface IERC721Receiver {
    /// @notice Called by the token contract after `tokenId` was transferred to this contract by `operator` from `from`.
    /// @dev Return `IERC721Receiver.onERC721Received.selector` (0x150b7a02) to accept; anything else (or a revert) rejects
    ///      the transfer.
    function onERC721Received(address operator, address from, uint256 tokenId, bytes calldata data)
        external
        returns (bytes4);
}
