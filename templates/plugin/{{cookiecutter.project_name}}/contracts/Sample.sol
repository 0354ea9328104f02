// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title A small contract for the plugin's tests to measure.
contract Sample {
    uint256 public value;

    function set(uint256 newValue) external {
        value = newValue;
    }
}

/// @title An interface: no code, so not listed.
interface ISample {
    function value() external view returns (uint256);
}
