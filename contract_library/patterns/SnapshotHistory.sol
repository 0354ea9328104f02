// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/base/Math.sol";

/// @title SnapshotHistory
/// @notice Checkpointed history of a value over a non-decreasing key (block number or timestamp), with O(log n) "value at key" lookups.
/// @dev Each checkpoint packs a 32-bit key and a 224-bit value into one storage slot. 32 bits hold block
/// numbers for far longer than any chain will live and Unix timestamps until the year 2106; 224 bits hold any
/// realistic token amount (about 2.7e67). The API takes and returns uint256 and reverts with
/// SnapshotHistoryKeyTooLarge / SnapshotHistoryValueTooLarge instead of truncating.
/// Keys must never decrease; pushing the latest key again overwrites that checkpoint's value (so many updates
/// in one block leave one checkpoint). Lookups never revert: keys beyond 2**32-1 simply compare as larger
/// than every stored key, and an empty history (or a key before the first checkpoint) reads as 0.
library SnapshotHistory {
    /// @notice One checkpoint: from `key` on (until the next checkpoint), the value is `value`.
    struct Checkpoint {
        uint32 key;
        uint224 value;
    }

    /// @notice A history: checkpoints in non-decreasing (in fact strictly increasing) key order.
    struct History {
        Checkpoint[] _checkpoints;
    }

    /// @notice `key` is below the latest checkpoint's key `lastKey`; history cannot be rewritten.
    error SnapshotHistoryUnorderedKey(uint256 lastKey, uint256 key);
    /// @notice `key` does not fit in 32 bits.
    error SnapshotHistoryKeyTooLarge(uint256 key);
    /// @notice `value` does not fit in 224 bits.
    error SnapshotHistoryValueTooLarge(uint256 value);
    /// @notice There is no checkpoint `index` (the history has `length` checkpoints).
    error SnapshotHistoryIndexOutOfBounds(uint256 index, uint256 length);

    /// @notice Record `value` from `key` on: appends a checkpoint, or overwrites the latest one if it has the same key.
    /// @return previous The latest value before the push (0 for an empty history).
    /// @return current `value`.
    function push(History storage self, uint256 key, uint256 value)
        internal
        returns (uint256 previous, uint256 current)
    {
        if (key > type(uint32).max) revert SnapshotHistoryKeyTooLarge(key);
        if (value > type(uint224).max) revert SnapshotHistoryValueTooLarge(value);
        Checkpoint[] storage cps = self._checkpoints;
        uint256 n = cps.length;
        if (n == 0) {
            cps.push(Checkpoint(uint32(key), uint224(value)));
            return (0, value);
        }
        Checkpoint storage last = cps[n - 1];
        uint256 lastKey = last.key;
        previous = last.value;
        if (key < lastKey) revert SnapshotHistoryUnorderedKey(lastKey, key);
        if (key == lastKey) {
            last.value = uint224(value);
        } else {
            cps.push(Checkpoint(uint32(key), uint224(value)));
        }
        current = value;
    }

    /// @notice The latest value (0 for an empty history).
    function latest(History storage self) internal view returns (uint256) {
        uint256 n = self._checkpoints.length;
        return n == 0 ? 0 : self._checkpoints[n - 1].value;
    }

    /// @notice The latest checkpoint: whether there is one, and its key and value (zeros if none).
    function latestCheckpoint(History storage self) internal view returns (bool exists, uint256 key, uint256 value) {
        uint256 n = self._checkpoints.length;
        if (n == 0) return (false, 0, 0);
        Checkpoint storage c = self._checkpoints[n - 1];
        return (true, c.key, c.value);
    }

    /// @notice The number of checkpoints.
    function length(History storage self) internal view returns (uint256) {
        return self._checkpoints.length;
    }

    /// @notice Checkpoint `index` (0 = oldest): its key and value; SnapshotHistoryIndexOutOfBounds past the end.
    function at(History storage self, uint256 index) internal view returns (uint256 key, uint256 value) {
        uint256 n = self._checkpoints.length;
        if (index >= n) revert SnapshotHistoryIndexOutOfBounds(index, n);
        Checkpoint storage c = self._checkpoints[index];
        return (c.key, c.value);
    }

    /// @notice The value at `key`: that of the last checkpoint with a key <= `key` (0 if there is none).
    /// @dev Binary search over all checkpoints: about log2(n) storage reads.
    function upperLookup(History storage self, uint256 key) internal view returns (uint256) {
        Checkpoint[] storage cps = self._checkpoints;
        uint256 pos = _firstAbove(cps, key, 0, cps.length);
        return pos == 0 ? 0 : cps[pos - 1].value;
    }

    /// @notice Same result as upperLookup, cheaper when `key` is recent: the search first probes sqrt(n)
    ///         checkpoints from the end and narrows to the last sqrt(n) checkpoints when it can.
    function upperLookupRecent(History storage self, uint256 key) internal view returns (uint256) {
        Checkpoint[] storage cps = self._checkpoints;
        uint256 n = cps.length;
        uint256 low = 0;
        uint256 high = n;
        if (n > 5) {
            uint256 probe = n - Math.sqrt(n);
            if (key < cps[probe].key) {
                high = probe;
            } else {
                low = probe + 1;
            }
        }
        uint256 pos = _firstAbove(cps, key, low, high);
        return pos == 0 ? 0 : cps[pos - 1].value;
    }

    /// @notice The value of the first checkpoint with a key >= `key` (0 if there is none).
    function lowerLookup(History storage self, uint256 key) internal view returns (uint256) {
        Checkpoint[] storage cps = self._checkpoints;
        uint256 n = cps.length;
        uint256 low = 0;
        uint256 high = n;
        // Invariant: every checkpoint before `low` has a key < `key`; every one from `high` on has a key >= `key`.
        while (low < high) {
            uint256 mid = Math.average(low, high);
            if (cps[mid].key < key) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low == n ? 0 : cps[low].value;
    }

    /// @dev The first index in [low, high) whose key is > `key`, or `high` if none. The caller guarantees that
    ///      every checkpoint before `low` has a key <= `key` and every one from `high` on a key > `key`.
    function _firstAbove(Checkpoint[] storage cps, uint256 key, uint256 low, uint256 high)
        private
        view
        returns (uint256)
    {
        while (low < high) {
            uint256 mid = Math.average(low, high);
            if (cps[mid].key > key) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return high;
    }
}
