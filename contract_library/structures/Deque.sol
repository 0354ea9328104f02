// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Deque
/// @notice Double-ended queues of uint256 and bytes32 in storage: O(1) push and pop at both ends and O(1) random access.
/// @dev Elements live in a mapping keyed by int128 between `_begin` (inclusive) and `_end`
///      (exclusive); pushFront decrements `_begin`, pushBack increments `_end`. Both indices
///      are packed in one slot. Use as `using Deque for Deque.Uint256Deque;` (likewise Bytes32Deque).
library Deque {
    /// @notice popFront/popBack/front/back on an empty deque.
    error DequeEmpty();

    /// @notice at() with an index at or past the end.
    /// @param index The requested index (0 = front).
    /// @param length The deque's length.
    error DequeIndexOutOfBounds(uint256 index, uint256 length);

    /// @notice A double-ended queue of uint256 (a Bytes32Deque underneath).
    struct Uint256Deque {
        Bytes32Deque _inner;
    }

    /// @notice A double-ended queue of bytes32.
    struct Bytes32Deque {
        int128 _begin;
        int128 _end;
        mapping(int128 => bytes32) _data;
    }

    // ------------------------------------------------------------------- Uint256Deque
    // Each operation is the Bytes32Deque one, with the value cast to and from bytes32.

    /// @notice Inserts `value` at the back. O(1).
    function pushBack(Uint256Deque storage deque, uint256 value) internal {
        pushBack(deque._inner, bytes32(value));
    }

    /// @notice Inserts `value` at the front. O(1).
    function pushFront(Uint256Deque storage deque, uint256 value) internal {
        pushFront(deque._inner, bytes32(value));
    }

    /// @notice Removes and returns the back element; reverts with DequeEmpty if empty. O(1).
    function popBack(Uint256Deque storage deque) internal returns (uint256 value) {
        return uint256(popBack(deque._inner));
    }

    /// @notice Removes and returns the front element; reverts with DequeEmpty if empty. O(1).
    function popFront(Uint256Deque storage deque) internal returns (uint256 value) {
        return uint256(popFront(deque._inner));
    }

    /// @notice The front element; reverts with DequeEmpty if empty. O(1).
    function front(Uint256Deque storage deque) internal view returns (uint256) {
        return uint256(front(deque._inner));
    }

    /// @notice The back element; reverts with DequeEmpty if empty. O(1).
    function back(Uint256Deque storage deque) internal view returns (uint256) {
        return uint256(back(deque._inner));
    }

    /// @notice The element at `index` (0 = front); reverts with DequeIndexOutOfBounds if
    ///         `index >= length`. O(1).
    function at(Uint256Deque storage deque, uint256 index) internal view returns (uint256) {
        return uint256(at(deque._inner, index));
    }

    /// @notice Number of elements. O(1).
    function length(Uint256Deque storage deque) internal view returns (uint256) {
        return length(deque._inner);
    }

    /// @notice Whether the deque is empty. O(1).
    function empty(Uint256Deque storage deque) internal view returns (bool) {
        return empty(deque._inner);
    }

    /// @notice Removes every element in O(1) by resetting both ends; the old slots are
    ///         left in storage (unreachable, overwritten by later pushes).
    function clear(Uint256Deque storage deque) internal {
        clear(deque._inner);
    }

    // ------------------------------------------------------------------- Bytes32Deque

    /// @notice Inserts `value` at the back. O(1).
    function pushBack(Bytes32Deque storage deque, bytes32 value) internal {
        int128 end = deque._end;
        deque._data[end] = value;
        deque._end = end + 1;
    }

    /// @notice Inserts `value` at the front. O(1).
    function pushFront(Bytes32Deque storage deque, bytes32 value) internal {
        int128 begin = deque._begin - 1;
        deque._data[begin] = value;
        deque._begin = begin;
    }

    /// @notice Removes and returns the back element; reverts with DequeEmpty if empty. O(1).
    function popBack(Bytes32Deque storage deque) internal returns (bytes32 value) {
        int128 end = deque._end;
        if (end == deque._begin) revert DequeEmpty();
        end -= 1;
        value = deque._data[end];
        delete deque._data[end];
        deque._end = end;
    }

    /// @notice Removes and returns the front element; reverts with DequeEmpty if empty. O(1).
    function popFront(Bytes32Deque storage deque) internal returns (bytes32 value) {
        int128 begin = deque._begin;
        if (begin == deque._end) revert DequeEmpty();
        value = deque._data[begin];
        delete deque._data[begin];
        deque._begin = begin + 1;
    }

    /// @notice The front element; reverts with DequeEmpty if empty. O(1).
    function front(Bytes32Deque storage deque) internal view returns (bytes32) {
        if (deque._begin == deque._end) revert DequeEmpty();
        return deque._data[deque._begin];
    }

    /// @notice The back element; reverts with DequeEmpty if empty. O(1).
    function back(Bytes32Deque storage deque) internal view returns (bytes32) {
        if (deque._begin == deque._end) revert DequeEmpty();
        return deque._data[deque._end - 1];
    }

    /// @notice The element at `index` (0 = front); reverts with DequeIndexOutOfBounds if
    ///         `index >= length`. O(1).
    function at(Bytes32Deque storage deque, uint256 index) internal view returns (bytes32) {
        uint256 len = length(deque);
        if (index >= len) revert DequeIndexOutOfBounds(index, len);
        // index < len <= 2**128, so the sum stays inside int128's range of indices in use
        return deque._data[int128(int256(deque._begin) + int256(index))];
    }

    /// @notice Number of elements. O(1).
    function length(Bytes32Deque storage deque) internal view returns (uint256) {
        return uint256(int256(deque._end) - int256(deque._begin));
    }

    /// @notice Whether the deque is empty. O(1).
    function empty(Bytes32Deque storage deque) internal view returns (bool) {
        return deque._end == deque._begin;
    }

    /// @notice Removes every element in O(1) by resetting both ends; the old slots are
    ///         left in storage (unreachable, overwritten by later pushes).
    function clear(Bytes32Deque storage deque) internal {
        deque._begin = 0;
        deque._end = 0;
    }
}
