// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

// The governance contracts are measured as deployed (whole transactions).
import "@smartdev/governance/MultiSigWallet.sol";
import "@smartdev/governance/RecoverableAccount.sol";
