// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@openzeppelin/contracts/proxy/Clones.sol";
import "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

contract OzPatternsBench {
    using Checkpoints for Checkpoints.Trace224;
    Checkpoints.Trace224 private _history;

    function fill(uint256 count) external {
        for (uint256 i = 1; i <= count; ++i) _history.push(uint32(i * 10), uint224(i));
    }

    function gasPush(uint256 key, uint256 value) external returns (uint256 used) {
        uint256 start = gasleft();
        _history.push(uint32(key), uint224(value));
        used = start - gasleft();
    }

    function gasUpperLookup(uint256 key) external view returns (uint256 used, uint256 value) {
        uint256 start = gasleft();
        value = _history.upperLookup(uint32(key));
        used = start - gasleft();
    }

    function gasClone(address implementation) external returns (uint256 used, address instance) {
        uint256 start = gasleft();
        instance = Clones.clone(implementation);
        used = start - gasleft();
    }
}
