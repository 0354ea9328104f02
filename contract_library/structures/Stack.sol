// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Stack
/// @notice LIFO stacks of uint256 and bytes32 in storage with O(1) push, pop and peek.
/// @dev A stack is a storage array; the top is the last element. Use as
///      `using Stack for Stack.Uint256Stack;` (likewise Bytes32Stack).
library Stack {
    /// @notice pop() or peek() on an empty stack.
    error StackEmpty();

    /// @notice at() with an index at or past the end.
    /// @param index The requested index (0 = bottom).
    /// @param length The stack's length.
    error StackIndexOutOfBounds(uint256 index, uint256 length);

    /// @notice A stack of uint256 (a Bytes32Stack underneath).
    struct Uint256Stack {
        Bytes32Stack _inner;
    }

    /// @notice A stack of bytes32.
    struct Bytes32Stack {
        bytes32[] _items;
    }

    // ------------------------------------------------------------------- Uint256Stack
    // Each operation is the Bytes32Stack one, with the value cast to and from bytes32.

    /// @notice Pushes `value` on top. O(1).
    function push(Uint256Stack storage stack, uint256 value) internal {
        push(stack._inner, bytes32(value));
    }

    /// @notice Removes and returns the top; reverts with StackEmpty if empty. O(1).
    function pop(Uint256Stack storage stack) internal returns (uint256 value) {
        return uint256(pop(stack._inner));
    }

    /// @notice The top, not removed; reverts with StackEmpty if empty. O(1).
    function peek(Uint256Stack storage stack) internal view returns (uint256) {
        return uint256(peek(stack._inner));
    }

    /// @notice The element at `index` counted from the bottom (0 = first pushed); reverts
    ///         with StackIndexOutOfBounds if `index >= length`. O(1).
    function at(Uint256Stack storage stack, uint256 index) internal view returns (uint256) {
        return uint256(at(stack._inner, index));
    }

    /// @notice Number of elements.
    function length(Uint256Stack storage stack) internal view returns (uint256) {
        return length(stack._inner);
    }

    /// @notice Whether the stack is empty.
    function isEmpty(Uint256Stack storage stack) internal view returns (bool) {
        return isEmpty(stack._inner);
    }

    /// @notice All elements, bottom first (O(n) gas).
    function values(Uint256Stack storage stack) internal view returns (uint256[] memory) {
        bytes32[] memory raw = values(stack._inner);
        uint256[] memory result;
        // Safe: each bytes32 word is the uint256 that was stored.
        assembly {
            result := raw
        }
        return result;
    }

    /// @notice Removes every element. O(n) (each slot is zeroed).
    function clear(Uint256Stack storage stack) internal {
        clear(stack._inner);
    }

    // ------------------------------------------------------------------- Bytes32Stack

    /// @notice Pushes `value` on top. O(1).
    function push(Bytes32Stack storage stack, bytes32 value) internal {
        stack._items.push(value);
    }

    /// @notice Removes and returns the top; reverts with StackEmpty if empty. O(1).
    function pop(Bytes32Stack storage stack) internal returns (bytes32 value) {
        uint256 len = stack._items.length;
        if (len == 0) revert StackEmpty();
        value = stack._items[len - 1];
        stack._items.pop();
    }

    /// @notice The top, not removed; reverts with StackEmpty if empty. O(1).
    function peek(Bytes32Stack storage stack) internal view returns (bytes32) {
        uint256 len = stack._items.length;
        if (len == 0) revert StackEmpty();
        return stack._items[len - 1];
    }

    /// @notice The element at `index` counted from the bottom (0 = first pushed); reverts
    ///         with StackIndexOutOfBounds if `index >= length`. O(1).
    function at(Bytes32Stack storage stack, uint256 index) internal view returns (bytes32) {
        uint256 len = stack._items.length;
        if (index >= len) revert StackIndexOutOfBounds(index, len);
        return stack._items[index];
    }

    /// @notice Number of elements.
    function length(Bytes32Stack storage stack) internal view returns (uint256) {
        return stack._items.length;
    }

    /// @notice Whether the stack is empty.
    function isEmpty(Bytes32Stack storage stack) internal view returns (bool) {
        return stack._items.length == 0;
    }

    /// @notice All elements, bottom first (O(n) gas).
    function values(Bytes32Stack storage stack) internal view returns (bytes32[] memory) {
        return stack._items;
    }

    /// @notice Removes every element. O(n) (each slot is zeroed).
    function clear(Bytes32Stack storage stack) internal {
        delete stack._items;
    }
}
