// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/patterns/Multicall.sol";
import "@smartdev/patterns/BatchCaller.sol";

/// A Multicall user with state, a payable function and every kind of revert.
contract PatternsMulticallMock is Multicall {
    mapping(address => uint256) public credits;
    uint256 public counter;

    event PatternsCounted(address sender, uint256 counter);

    error PatternsMulticallRefused(uint256 code, address sender);

    function increment(uint256 by) external returns (uint256) {
        counter += by;
        emit PatternsCounted(msg.sender, counter);
        return counter;
    }

    function whoami() external view returns (address) {
        return msg.sender;
    }

    function refuse(uint256 code) external view {
        revert PatternsMulticallRefused(code, msg.sender);
    }

    function refuseWithString() external pure {
        revert("PatternsMulticallMock: refused");
    }

    function refuseEmpty() external pure {
        revert();
    }

    function divide(uint256 a, uint256 b) external pure returns (uint256) {
        return a / b;
    }

    function deposit() external payable {
        credits[msg.sender] += msg.value;
    }
}

/// A call target for BatchCaller.
contract PatternsBatchTarget {
    uint256 public stored;
    uint256 public received;

    event PatternsBatchCalled(address sender, uint256 value, uint256 x);

    error PatternsBatchRefused(uint256 code);

    function store(uint256 x) external payable returns (uint256) {
        stored = x;
        received += msg.value;
        emit PatternsBatchCalled(msg.sender, msg.value, x);
        return x * 2;
    }

    function refuse(uint256 code) external payable {
        revert PatternsBatchRefused(code);
    }

    function echo(bytes calldata data) external pure returns (bytes memory) {
        return data;
    }

    receive() external payable {
        received += msg.value;
    }
}

/// A BatchCaller client that cannot receive ether (no receive/fallback): refunds to it fail.
contract PatternsBatchUser {
    function tryAll(BatchCaller batch, BatchCaller.Call[] calldata calls)
        external
        payable
        returns (BatchCaller.Result[] memory)
    {
        return batch.tryAggregate{value: msg.value}(false, calls);
    }
}
