// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

// The token contracts are measured as deployed (whole transactions); the peers in
// benchmarks/gas/openzeppelin/Tokens.sol have the same features and constructors.
import "@smartdev/tokens/ERC20.sol";
import "@smartdev/tokens/ERC721.sol";
import "@smartdev/tokens/ERC1155.sol";
