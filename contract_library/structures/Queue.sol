// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Queue
/// @notice FIFO queues of uint256 and bytes32 in storage with O(1) enqueue, dequeue and peek.
/// @dev Elements live in a mapping between `_head` (inclusive) and `_tail` (exclusive), both
///      uint128 and packed in one slot; nothing is ever shifted. Use as
///      `using Queue for Queue.Uint256Queue;` (likewise Bytes32Queue).
library Queue {
    /// @notice dequeue() or peek() on an empty queue.
    error QueueEmpty();

    /// @notice at() with an index at or past the end.
    /// @param index The requested index (0 = head, the next to dequeue).
    /// @param length The queue's length.
    error QueueIndexOutOfBounds(uint256 index, uint256 length);

    /// @notice A queue of uint256 (a Bytes32Queue underneath).
    struct Uint256Queue {
        Bytes32Queue _inner;
    }

    /// @notice A queue of bytes32.
    struct Bytes32Queue {
        uint128 _head;
        uint128 _tail;
        mapping(uint256 => bytes32) _data;
    }

    // ------------------------------------------------------------------- Uint256Queue
    // Each operation is the Bytes32Queue one, with the value cast to and from bytes32.

    /// @notice Appends `value` at the tail. O(1).
    function enqueue(Uint256Queue storage queue, uint256 value) internal {
        enqueue(queue._inner, bytes32(value));
    }

    /// @notice Removes and returns the head (the oldest element); reverts with QueueEmpty if empty. O(1).
    function dequeue(Uint256Queue storage queue) internal returns (uint256 value) {
        return uint256(dequeue(queue._inner));
    }

    /// @notice The head, not removed; reverts with QueueEmpty if empty. O(1).
    function peek(Uint256Queue storage queue) internal view returns (uint256) {
        return uint256(peek(queue._inner));
    }

    /// @notice The element at `index` from the head (0 = next to dequeue); reverts with
    ///         QueueIndexOutOfBounds if `index >= length`. O(1).
    function at(Uint256Queue storage queue, uint256 index) internal view returns (uint256) {
        return uint256(at(queue._inner, index));
    }

    /// @notice Number of elements.
    function length(Uint256Queue storage queue) internal view returns (uint256) {
        return length(queue._inner);
    }

    /// @notice Whether the queue is empty.
    function isEmpty(Uint256Queue storage queue) internal view returns (bool) {
        return isEmpty(queue._inner);
    }

    /// @notice Removes every element in O(1) by resetting head and tail; the old slots are
    ///         left in storage (unreachable, overwritten by later enqueues).
    function clear(Uint256Queue storage queue) internal {
        clear(queue._inner);
    }

    // ------------------------------------------------------------------- Bytes32Queue

    /// @notice Appends `value` at the tail. O(1).
    function enqueue(Bytes32Queue storage queue, bytes32 value) internal {
        uint128 tail = queue._tail;
        queue._data[tail] = value;
        queue._tail = tail + 1;
    }

    /// @notice Removes and returns the head (the oldest element); reverts with QueueEmpty if empty. O(1).
    function dequeue(Bytes32Queue storage queue) internal returns (bytes32 value) {
        uint128 head = queue._head;
        if (head == queue._tail) revert QueueEmpty();
        value = queue._data[head];
        delete queue._data[head];
        queue._head = head + 1;
    }

    /// @notice The head, not removed; reverts with QueueEmpty if empty. O(1).
    function peek(Bytes32Queue storage queue) internal view returns (bytes32) {
        uint128 head = queue._head;
        if (head == queue._tail) revert QueueEmpty();
        return queue._data[head];
    }

    /// @notice The element at `index` from the head (0 = next to dequeue); reverts with
    ///         QueueIndexOutOfBounds if `index >= length`. O(1).
    function at(Bytes32Queue storage queue, uint256 index) internal view returns (bytes32) {
        uint256 len = length(queue);
        if (index >= len) revert QueueIndexOutOfBounds(index, len);
        return queue._data[uint256(queue._head) + index];
    }

    /// @notice Number of elements.
    function length(Bytes32Queue storage queue) internal view returns (uint256) {
        return queue._tail - queue._head;
    }

    /// @notice Whether the queue is empty.
    function isEmpty(Bytes32Queue storage queue) internal view returns (bool) {
        return queue._tail == queue._head;
    }

    /// @notice Removes every element in O(1) by resetting head and tail; the old slots are
    ///         left in storage (unreachable, overwritten by later enqueues).
    function clear(Bytes32Queue storage queue) internal {
        queue._head = 0;
        queue._tail = 0;
    }
}
