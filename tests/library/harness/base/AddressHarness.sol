// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/base/Address.sol";

/// @notice Test harness for Address: holds ether and sends it with Address.sendValue.
contract AddressHarness {
    event Sent(address to, uint256 amount);

    constructor() payable {}

    receive() external payable {}

    function isContract(address a) external view returns (bool) { return Address.isContract(a); }

    function sendValue(address payable to, uint256 amount) external {
        Address.sendValue(to, amount);
        emit Sent(to, amount);
    }
}

/// @notice Accepts ether and counts the gas it received (to show all gas is forwarded).
contract AddressEtherSink {
    uint256 public received;

    receive() external payable {
        // Spend more than the 2300-gas stipend of transfer(): a storage write.
        received += msg.value;
    }
}

/// @notice Rejects every ether transfer.
contract AddressEtherRejecter {
    receive() external payable {
        revert("no thanks");
    }
}

/// @notice Records Address.isContract(address(this)) from inside its constructor.
contract AddressConstructorProbe {
    bool public duringConstruction;

    constructor() {
        duringConstruction = Address.isContract(address(this));
    }
}
