// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

// Makes the business template contracts deployable by name in the library tests.
import "@smartdev/business/AssetRegistry.sol";
import "@smartdev/business/Bill.sol";
import "@smartdev/business/Evidence.sol";
import "@smartdev/business/RedPacket.sol";
import "@smartdev/business/SupplyChain.sol";
import "@smartdev/business/Voting.sol";

/// A contract account for the pull-payment tests: forwards calls, and when paid tries once to re-enter
/// `withdraw` of the payer (recording the revert data), or refuses ether altogether.
contract BusinessPayee {
    bool public refuse;
    uint256 public received;
    uint256 public payments;
    bool public reentered;
    bytes public reentryError;

    function setRefuse(bool value) external {
        refuse = value;
    }

    /// Call `target` with `data` and `msg.value`, bubbling up a revert.
    function forward(address target, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory ret) = target.call{value: msg.value}(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }

    receive() external payable {
        if (refuse) revert("BusinessPayee: refused");
        received += msg.value;
        payments += 1;
        if (payments == 1) {
            (bool ok, bytes memory ret) = msg.sender.call(abi.encodeWithSignature("withdraw()"));
            reentered = ok;
            reentryError = ret;
        }
    }
}
