// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

// Contracts from smartdev's library, used as they are: importing them is all it takes
// to get their artifacts (and typed bindings) in build/. Nothing is copied.
import "@smartdev/business/Evidence.sol";
import "@smartdev/business/RedPacket.sol";
