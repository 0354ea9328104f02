// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/patterns/Clones.sol";
import "@smartdev/patterns/SnapshotHistory.sol";

contract PatternsBench {
    using SnapshotHistory for SnapshotHistory.History;
    SnapshotHistory.History private _history;

    /// Checkpoints at keys 10, 20, ..., 10 * count.
    function fill(uint256 count) external {
        for (uint256 i = 1; i <= count; ++i) _history.push(i * 10, i);
    }

    function gasPush(uint256 key, uint256 value) external returns (uint256 used) {
        uint256 start = gasleft();
        _history.push(key, value);
        used = start - gasleft();
    }

    function gasUpperLookup(uint256 key) external view returns (uint256 used, uint256 value) {
        uint256 start = gasleft();
        value = _history.upperLookup(key);
        used = start - gasleft();
    }

    function gasClone(address implementation) external returns (uint256 used, address instance) {
        uint256 start = gasleft();
        instance = Clones.clone(implementation);
        used = start - gasleft();
    }
}
