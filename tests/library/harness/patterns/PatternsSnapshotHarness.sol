// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/patterns/SnapshotHistory.sol";
import "@smartdev/patterns/SnapshotBalances.sol";

/// Exposes SnapshotHistory on one history, plus a batched run for property tests.
contract PatternsSnapshotHarness {
    using SnapshotHistory for SnapshotHistory.History;

    SnapshotHistory.History private _h;

    struct Report {
        uint256[] previous; // push return values
        uint256[] upper; // upperLookup(queries[i])
        uint256[] recent; // upperLookupRecent(queries[i])
        uint256[] lower; // lowerLookup(queries[i])
        uint256[] keys; // all checkpoints after the pushes
        uint256[] values;
        uint256 latest;
        bool exists;
        uint256 latestKey;
        uint256 latestValue;
    }

    event PatternsPushed(uint256 previous, uint256 current);

    function push(uint256 key, uint256 value) external returns (uint256 previous, uint256 current) {
        (previous, current) = _h.push(key, value);
        emit PatternsPushed(previous, current);
    }

    function latest() external view returns (uint256) {
        return _h.latest();
    }

    function latestCheckpoint() external view returns (bool, uint256, uint256) {
        return _h.latestCheckpoint();
    }

    function length() external view returns (uint256) {
        return _h.length();
    }

    function at(uint256 index) external view returns (uint256, uint256) {
        return _h.at(index);
    }

    function upperLookup(uint256 key) external view returns (uint256) {
        return _h.upperLookup(key);
    }

    function upperLookupRecent(uint256 key) external view returns (uint256) {
        return _h.upperLookupRecent(key);
    }

    function lowerLookup(uint256 key) external view returns (uint256) {
        return _h.lowerLookup(key);
    }

    /// Push every (keys[i], values[i]) in order, then answer every query; for eth_call.
    function run(uint256[] calldata keys, uint256[] calldata values, uint256[] calldata queries)
        external
        returns (Report memory r)
    {
        r.previous = new uint256[](keys.length);
        for (uint256 i = 0; i < keys.length; ++i) {
            (r.previous[i],) = _h.push(keys[i], values[i]);
        }
        r.upper = new uint256[](queries.length);
        r.recent = new uint256[](queries.length);
        r.lower = new uint256[](queries.length);
        for (uint256 i = 0; i < queries.length; ++i) {
            r.upper[i] = _h.upperLookup(queries[i]);
            r.recent[i] = _h.upperLookupRecent(queries[i]);
            r.lower[i] = _h.lowerLookup(queries[i]);
        }
        uint256 n = _h.length();
        r.keys = new uint256[](n);
        r.values = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            (r.keys[i], r.values[i]) = _h.at(i);
        }
        r.latest = _h.latest();
        (r.exists, r.latestKey, r.latestValue) = _h.latestCheckpoint();
    }
}

/// Owns a SnapshotBalances and changes it twice in one transaction (one block).
contract PatternsSnapshotDriver {
    function mintTwice(SnapshotBalances balances, address to, uint256 a, uint256 b) external {
        balances.mint(to, a);
        balances.mint(to, b);
    }
}
