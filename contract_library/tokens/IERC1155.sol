// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/tokens/IERC165.sol";

/// @title IERC1155
/// @notice The ERC-1155 multi-token interface (per-id balances, operators, safe single and batch transfers), with its metadata and receiver interfaces.
/// @dev ERC-165 interface id 0xd9b67a26.
interface IERC1155 is IERC165 {
    /// @notice `operator` moved `value` of token `id` from `from` to `to` (`from` zero on mint, `to` zero on burn).
    event TransferSingle(address indexed operator, address indexed from, address indexed to, uint256 id, uint256 value);
    /// @notice `operator` moved `values[i]` of token `ids[i]` from `from` to `to`, for every i.
    event TransferBatch(
        address indexed operator, address indexed from, address indexed to, uint256[] ids, uint256[] values
    );
    /// @notice `account` enabled or disabled `operator` to manage all of its tokens.
    event ApprovalForAll(address indexed account, address indexed operator, bool approved);
    /// @notice The metadata URI of token `id` is now `value`.
    event URI(string value, uint256 indexed id);

    /// @notice The balance of token `id` held by `account`.
    function balanceOf(address account, uint256 id) external view returns (uint256);

    /// @notice The balances of `ids[i]` held by `accounts[i]`, for every i (the arrays must have equal lengths).
    function balanceOfBatch(address[] calldata accounts, uint256[] calldata ids)
        external
        view
        returns (uint256[] memory);

    /// @notice Allow (`approved` true) or disallow `operator` to manage all of the caller's tokens.
    function setApprovalForAll(address operator, bool approved) external;

    /// @notice Whether `operator` may manage all tokens of `account`.
    function isApprovedForAll(address account, address operator) external view returns (bool);

    /// @notice Move `value` of token `id` from `from` to `to`; a contract `to` must accept via onERC1155Received.
    function safeTransferFrom(address from, address to, uint256 id, uint256 value, bytes calldata data) external;

    /// @notice Move `values[i]` of token `ids[i]` from `from` to `to`; a contract `to` must accept via onERC1155BatchReceived.
    function safeBatchTransferFrom(
        address from,
        address to,
        uint256[] calldata ids,
        uint256[] calldata values,
        bytes calldata data
    ) external;
}

/// @notice The optional ERC-1155 metadata URI extension (ERC-165 id 0x0e89341c).
interface IERC1155MetadataURI is IERC1155 {
    /// @notice The metadata URI of token `id`; clients replace a literal `{id}` with the id as 64 lowercase hex digits.
    function uri(uint256 id) external view returns (string memory);
}

/// @notice Implemented by contracts that accept ERC-1155 transfers (ERC-165 id 0x4e2312e0).
interface IERC1155Receiver is IERC165 {
    /// @notice Called after `value` of token `id` was sent to this contract; return 0xf23a6e61 (this selector) to accept.
    function onERC1155Received(address operator, address from, uint256 id, uint256 value, bytes calldata data)
        external
        returns (bytes4);

    /// @notice Called after a batch was sent to this contract; return 0xbc197c81 (this selector) to accept.
    function onERC1155BatchReceived(
        address operator,
        address from,
        uint256[] calldata ids,
        uint256[] calldata values,
        bytes calldata data
    ) external returns (bytes4);
}
