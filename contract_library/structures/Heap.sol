// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Heap
/// @notice Binary min-heaps and max-heaps of uint256 in storage: O(log n) push and pop, O(1) peek.
/// @dev Both heaps are an implicit binary tree in a storage array (children of i at 2i+1, 2i+2).
///      A MaxHeap stores the bitwise complement `~value` in a min-heap (`~` reverses uint256 order),
///      so both share one implementation. Use as `using Heap for Heap.MinHeap;` (likewise MaxHeap).
library Heap {
    /// @notice pop() or peek() on an empty heap.
    error HeapEmpty();

    /// @notice A min-heap: pop() and peek() return the smallest value.
    struct MinHeap {
        uint256[] _data;
    }

    /// @notice A max-heap: pop() and peek() return the largest value.
    struct MaxHeap {
        uint256[] _data; // holds ~value
    }

    // ------------------------------------------------------------------- MinHeap

    /// @notice Inserts `value` (duplicates allowed). O(log n).
    function push(MinHeap storage heap, uint256 value) internal {
        _push(heap._data, value);
    }

    /// @notice Removes and returns the smallest value; reverts with HeapEmpty if empty. O(log n).
    function pop(MinHeap storage heap) internal returns (uint256) {
        return _pop(heap._data);
    }

    /// @notice The smallest value, without removing it; reverts with HeapEmpty if empty. O(1).
    function peek(MinHeap storage heap) internal view returns (uint256) {
        if (heap._data.length == 0) revert HeapEmpty();
        return heap._data[0];
    }

    /// @notice Number of values in the heap.
    function size(MinHeap storage heap) internal view returns (uint256) {
        return heap._data.length;
    }

    /// @notice Whether the heap is empty.
    function isEmpty(MinHeap storage heap) internal view returns (bool) {
        return heap._data.length == 0;
    }

    /// @notice Removes every value. O(n) (each slot is zeroed).
    function clear(MinHeap storage heap) internal {
        delete heap._data;
    }

    // ------------------------------------------------------------------- MaxHeap

    /// @notice Inserts `value` (duplicates allowed). O(log n).
    function push(MaxHeap storage heap, uint256 value) internal {
        _push(heap._data, ~value);
    }

    /// @notice Removes and returns the largest value; reverts with HeapEmpty if empty. O(log n).
    function pop(MaxHeap storage heap) internal returns (uint256) {
        return ~_pop(heap._data);
    }

    /// @notice The largest value, without removing it; reverts with HeapEmpty if empty. O(1).
    function peek(MaxHeap storage heap) internal view returns (uint256) {
        if (heap._data.length == 0) revert HeapEmpty();
        return ~heap._data[0];
    }

    /// @notice Number of values in the heap.
    function size(MaxHeap storage heap) internal view returns (uint256) {
        return heap._data.length;
    }

    /// @notice Whether the heap is empty.
    function isEmpty(MaxHeap storage heap) internal view returns (bool) {
        return heap._data.length == 0;
    }

    /// @notice Removes every value. O(n) (each slot is zeroed).
    function clear(MaxHeap storage heap) internal {
        delete heap._data;
    }

    // ------------------------------------------------------------------- shared min-heap

    /// @dev Appends `value` and sifts it up.
    function _push(uint256[] storage data, uint256 value) private {
        uint256 i = data.length;
        data.push(value);
        while (i > 0) {
            uint256 parent = (i - 1) >> 1;
            uint256 parentValue = data[parent];
            if (parentValue <= value) break;
            data[i] = parentValue;
            i = parent;
        }
        data[i] = value;
    }

    /// @dev Removes the root: moves the last element to the root and sifts it down.
    function _pop(uint256[] storage data) private returns (uint256 top) {
        uint256 n = data.length;
        if (n == 0) revert HeapEmpty();
        top = data[0];
        uint256 value = data[n - 1];
        data.pop();
        n -= 1;
        if (n == 0) return top;
        uint256 i = 0;
        while (true) {
            uint256 child = 2 * i + 1;
            if (child >= n) break;
            uint256 childValue = data[child];
            if (child + 1 < n) {
                uint256 right = data[child + 1];
                if (right < childValue) {
                    child += 1;
                    childValue = right;
                }
            }
            if (value <= childValue) break;
            data[i] = childValue;
            i = child;
        }
        data[i] = value;
    }
}
