// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

// Makes the governance library contracts deployable by name in the library tests.
import "@smartdev/governance/RecoverableAccount.sol";
import "@smartdev/governance/MultiSigWallet.sol";
import "@smartdev/governance/Timelock.sol";
import "@smartdev/governance/WeightedBallot.sol";

/// A call target for the multisig and timelock tests: records the last caller, value and argument.
contract GovTarget {
    address public lastCaller;
    uint256 public lastValue;
    uint256 public stored;
    uint256 public calls;

    error GovTargetRefused(uint256 code);

    function store(uint256 x) external payable returns (uint256) {
        lastCaller = msg.sender;
        lastValue = msg.value;
        stored = x;
        calls += 1;
        return x * 2;
    }

    function refuse(uint256 code) external pure {
        revert GovTargetRefused(code);
    }
}
