// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/patterns/ReentrancyGuard.sol";
import "@smartdev/patterns/PullPayment.sol";

/// Credits whatever it is paid to `to`; exposes the guard for nested-call tests.
contract PatternsPullPaymentHarness is PullPayment {
    bool public enteredDuringCall;

    function deposit(address to) external payable {
        _credit(to, msg.value);
    }

    /// Calls back into itself: `inner` is guarded too, so this reverts when `nested` is true.
    function outer(bool nested) external nonReentrant {
        enteredDuringCall = _reentrancyGuardEntered();
        if (nested) this.inner();
    }

    function inner() external nonReentrant {}

    function entered() external view returns (bool) {
        return _reentrancyGuardEntered();
    }
}

/// A payee that re-enters withdraw() from its receive hook, or refuses ether.
contract PatternsPullPayee {
    PatternsPullPaymentHarness private immutable _target;
    bool public refuse;
    bytes public reentryRevert;

    constructor(PatternsPullPaymentHarness target) {
        _target = target;
    }

    function setRefuse(bool on) external {
        refuse = on;
    }

    function pull() external {
        _target.withdraw();
    }

    receive() external payable {
        if (refuse) revert("no thanks");
        try _target.withdraw() {} catch (bytes memory reason) {
            reentryRevert = reason;
        }
    }
}
