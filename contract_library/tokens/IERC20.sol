// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title IERC20
/// @notice The ERC-20 fungible token interface (balances, transfers, allowances), for calling any standard token.
interface IERC20 {
    /// @notice `value` tokens moved from `from` to `to` (`from` zero on mint, `to` zero on burn).
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// @notice `owner` allowed `spender` to spend `value` of its tokens.
    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// @notice The number of tokens in existence.
    function totalSupply() external view returns (uint256);

    /// @notice The token balance of `account`.
    function balanceOf(address account) external view returns (uint256);

    /// @notice Move `value` of the caller's tokens to `to`; returns true (reverts on failure).
    function transfer(address to, uint256 value) external returns (bool);

    /// @notice How many of `owner`'s tokens `spender` may still move with transferFrom.
    function allowance(address owner, address spender) external view returns (uint256);

    /// @notice Set `spender`'s allowance over the caller's tokens to `value`; returns true.
    function approve(address spender, uint256 value) external returns (bool);

    /// @notice Move `value` tokens from `from` to `to` using the caller's allowance; returns true (reverts on failure).
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

/// @notice The optional ERC-20 metadata functions.
interface IERC20Metadata is IERC20 {
    /// @notice The token's name.
    function name() external view returns (string memory);

    /// @notice The token's symbol.
    function symbol() external view returns (string memory);

    /// @notice The number of decimals used to display amounts (balances are integers in the smallest unit).
    function decimals() external view returns (uint8);
}
