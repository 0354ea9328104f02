// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title LinkedList
/// @notice Singly and doubly linked lists of distinct uint256 values in storage, with insertion next to any member and traversal.
/// @dev Values are their own node keys, so a value can be in a list at most once (any uint256,
///      0 and max included). Head and tail are stored; a node's `next` is meaningful only when
///      it is not the tail (and `prev` only when it is not the head), so end nodes need no
///      sentinel value. Both lists share one forward chain (`Chain`: head, tail, length, next,
///      membership); the doubly linked list adds the backward links. Use as `using LinkedList for LinkedList.DoublyLinkedList;` (or SinglyLinkedList).
library LinkedList {
    /// @notice Inserting a value that is already in the list.
    error LinkedListDuplicate(uint256 value);

    /// @notice A value (to remove, to insert next to, or to step from) is not in the list.
    error LinkedListNotFound(uint256 value);

    /// @notice head/tail/pop on an empty list.
    error LinkedListEmpty();

    /// @dev The forward links shared by both lists; `next` of the tail is meaningless.
    struct Chain {
        uint256 head;
        uint256 tail;
        uint256 length;
        mapping(uint256 => uint256) next;
        mapping(uint256 => bool) exists;
    }

    /// @notice A singly linked list: O(1) push at both ends, insertAfter and popFront;
    ///         O(n) insertBefore and remove (they walk to the predecessor).
    struct SinglyLinkedList {
        Chain _chain;
    }

    /// @notice A doubly linked list: every insertion and removal is O(1).
    struct DoublyLinkedList {
        Chain _chain;
        mapping(uint256 => uint256) _prev; // meaningless for the head
    }

    // ================================================================= SinglyLinkedList

    /// @notice Inserts `value` before the head. O(1). Reverts LinkedListDuplicate if present.
    function pushFront(SinglyLinkedList storage list, uint256 value) internal {
        _pushFront(list._chain, value);
    }

    /// @notice Inserts `value` after the tail. O(1). Reverts LinkedListDuplicate if present.
    function pushBack(SinglyLinkedList storage list, uint256 value) internal {
        _pushBack(list._chain, value);
    }

    /// @notice Inserts `value` right after `anchor`. O(1). Reverts LinkedListNotFound if
    ///         `anchor` is absent, LinkedListDuplicate if `value` is present.
    function insertAfter(SinglyLinkedList storage list, uint256 anchor, uint256 value) internal {
        _insertAfter(list._chain, anchor, value);
    }

    /// @notice Inserts `value` right before `anchor`. O(n): walks from the head. Reverts
    ///         LinkedListNotFound if `anchor` is absent, LinkedListDuplicate if `value` is present.
    function insertBefore(SinglyLinkedList storage list, uint256 anchor, uint256 value) internal {
        Chain storage c = list._chain;
        _require(c, anchor);
        if (anchor == c.head) return _pushFront(c, value);
        _insertAfter(c, _predecessor(c, anchor), value);
    }

    /// @notice Removes `value`. O(n): walks from the head to its predecessor (O(1) for the head).
    ///         Reverts LinkedListNotFound if absent.
    function remove(SinglyLinkedList storage list, uint256 value) internal {
        Chain storage c = list._chain;
        _require(c, value);
        _unlink(c, value, value == c.head ? 0 : _predecessor(c, value));
    }

    /// @notice Removes and returns the head. O(1). Reverts LinkedListEmpty if empty.
    function popFront(SinglyLinkedList storage list) internal returns (uint256 value) {
        value = head(list);
        _unlink(list._chain, value, 0);
    }

    /// @notice Whether `value` is in the list. O(1).
    function contains(SinglyLinkedList storage list, uint256 value) internal view returns (bool) {
        return list._chain.exists[value];
    }

    /// @notice Number of values. O(1).
    function length(SinglyLinkedList storage list) internal view returns (uint256) {
        return list._chain.length;
    }

    /// @notice The first value. Reverts LinkedListEmpty if empty.
    function head(SinglyLinkedList storage list) internal view returns (uint256) {
        return _head(list._chain);
    }

    /// @notice The last value. Reverts LinkedListEmpty if empty.
    function tail(SinglyLinkedList storage list) internal view returns (uint256) {
        return _tail(list._chain);
    }

    /// @notice The value after `value`. O(1). Reverts LinkedListNotFound if `value` is absent.
    /// @return exists False if `value` is the tail.
    /// @return next The next value (0 when `exists` is false).
    function next(SinglyLinkedList storage list, uint256 value) internal view returns (bool exists, uint256) {
        return _next(list._chain, value);
    }

    /// @notice All values from head to tail. O(n).
    function values(SinglyLinkedList storage list) internal view returns (uint256[] memory) {
        return _values(list._chain);
    }

    /// @notice Removes every value. O(n).
    function clear(SinglyLinkedList storage list) internal {
        Chain storage c = list._chain;
        uint256 cur = c.head;
        for (uint256 i = c.length; i > 0; --i) cur = _forget(c, cur);
        c.length = 0;
    }

    // ================================================================= DoublyLinkedList

    /// @notice Inserts `value` before the head. O(1). Reverts LinkedListDuplicate if present.
    function pushFront(DoublyLinkedList storage list, uint256 value) internal {
        Chain storage c = list._chain;
        if (c.length != 0) list._prev[c.head] = value;
        _pushFront(c, value);
    }

    /// @notice Inserts `value` after the tail. O(1). Reverts LinkedListDuplicate if present.
    function pushBack(DoublyLinkedList storage list, uint256 value) internal {
        Chain storage c = list._chain;
        if (c.length != 0) list._prev[value] = c.tail;
        _pushBack(c, value);
    }

    /// @notice Inserts `value` right after `anchor`. O(1). Reverts LinkedListNotFound if
    ///         `anchor` is absent, LinkedListDuplicate if `value` is present.
    function insertAfter(DoublyLinkedList storage list, uint256 anchor, uint256 value) internal {
        Chain storage c = list._chain;
        _require(c, anchor);
        if (anchor != c.tail) list._prev[c.next[anchor]] = value;
        _insertAfter(c, anchor, value);
        list._prev[value] = anchor;
    }

    /// @notice Inserts `value` right before `anchor`. O(1). Reverts LinkedListNotFound if
    ///         `anchor` is absent, LinkedListDuplicate if `value` is present.
    function insertBefore(DoublyLinkedList storage list, uint256 anchor, uint256 value) internal {
        Chain storage c = list._chain;
        _require(c, anchor);
        if (anchor == c.head) return pushFront(list, value);
        insertAfter(list, list._prev[anchor], value);
    }

    /// @notice Removes `value`. O(1). Reverts LinkedListNotFound if absent.
    function remove(DoublyLinkedList storage list, uint256 value) internal {
        Chain storage c = list._chain;
        _require(c, value);
        if (value != c.tail) list._prev[c.next[value]] = list._prev[value];
        _unlink(c, value, value == c.head ? 0 : list._prev[value]);
        delete list._prev[value];
    }

    /// @notice Removes and returns the head. O(1). Reverts LinkedListEmpty if empty.
    function popFront(DoublyLinkedList storage list) internal returns (uint256 value) {
        value = head(list);
        remove(list, value);
    }

    /// @notice Removes and returns the tail. O(1). Reverts LinkedListEmpty if empty.
    function popBack(DoublyLinkedList storage list) internal returns (uint256 value) {
        value = tail(list);
        remove(list, value);
    }

    /// @notice Whether `value` is in the list. O(1).
    function contains(DoublyLinkedList storage list, uint256 value) internal view returns (bool) {
        return list._chain.exists[value];
    }

    /// @notice Number of values. O(1).
    function length(DoublyLinkedList storage list) internal view returns (uint256) {
        return list._chain.length;
    }

    /// @notice The first value. Reverts LinkedListEmpty if empty.
    function head(DoublyLinkedList storage list) internal view returns (uint256) {
        return _head(list._chain);
    }

    /// @notice The last value. Reverts LinkedListEmpty if empty.
    function tail(DoublyLinkedList storage list) internal view returns (uint256) {
        return _tail(list._chain);
    }

    /// @notice The value after `value`. O(1). Reverts LinkedListNotFound if `value` is absent.
    /// @return exists False if `value` is the tail.
    /// @return next The next value (0 when `exists` is false).
    function next(DoublyLinkedList storage list, uint256 value) internal view returns (bool exists, uint256) {
        return _next(list._chain, value);
    }

    /// @notice The value before `value`. O(1). Reverts LinkedListNotFound if `value` is absent.
    /// @return exists False if `value` is the head.
    /// @return prev The previous value (0 when `exists` is false).
    function prev(DoublyLinkedList storage list, uint256 value) internal view returns (bool exists, uint256) {
        _require(list._chain, value);
        if (value == list._chain.head) return (false, 0);
        return (true, list._prev[value]);
    }

    /// @notice All values from head to tail. O(n).
    function values(DoublyLinkedList storage list) internal view returns (uint256[] memory) {
        return _values(list._chain);
    }

    /// @notice Removes every value. O(n).
    function clear(DoublyLinkedList storage list) internal {
        Chain storage c = list._chain;
        uint256 cur = c.head;
        for (uint256 i = c.length; i > 0; --i) {
            delete list._prev[cur];
            cur = _forget(c, cur);
        }
        c.length = 0;
    }

    // ================================================================= the shared chain

    function _require(Chain storage c, uint256 value) private view {
        if (!c.exists[value]) revert LinkedListNotFound(value);
    }

    /// @dev Marks `value` as a member (one more value); reverts if already present.
    function _add(Chain storage c, uint256 value) private {
        if (c.exists[value]) revert LinkedListDuplicate(value);
        c.exists[value] = true;
        c.length += 1;
    }

    function _pushFront(Chain storage c, uint256 value) private {
        _add(c, value);
        if (c.length == 1) c.tail = value;
        else c.next[value] = c.head;
        c.head = value;
    }

    function _pushBack(Chain storage c, uint256 value) private {
        _add(c, value);
        if (c.length == 1) c.head = value;
        else c.next[c.tail] = value;
        c.tail = value;
    }

    function _insertAfter(Chain storage c, uint256 anchor, uint256 value) private {
        _require(c, anchor);
        if (anchor == c.tail) return _pushBack(c, value);
        _add(c, value);
        c.next[value] = c.next[anchor];
        c.next[anchor] = value;
    }

    /// @dev Removes member `value` whose predecessor is `pred` (ignored when `value` is the head).
    function _unlink(Chain storage c, uint256 value, uint256 pred) private {
        if (value == c.head) {
            c.head = c.next[value];
        } else {
            c.next[pred] = c.next[value];
            if (value == c.tail) c.tail = pred;
        }
        _forget(c, value);
        c.length -= 1;
    }

    /// @dev Deletes `value`'s node; returns what was its next value.
    function _forget(Chain storage c, uint256 value) private returns (uint256 following) {
        following = c.next[value];
        delete c.next[value];
        delete c.exists[value];
    }

    /// @dev The value before `value` (which must be a non-head member).
    function _predecessor(Chain storage c, uint256 value) private view returns (uint256 cur) {
        cur = c.head;
        while (c.next[cur] != value) cur = c.next[cur];
    }

    function _head(Chain storage c) private view returns (uint256) {
        if (c.length == 0) revert LinkedListEmpty();
        return c.head;
    }

    function _tail(Chain storage c) private view returns (uint256) {
        if (c.length == 0) revert LinkedListEmpty();
        return c.tail;
    }

    function _next(Chain storage c, uint256 value) private view returns (bool, uint256) {
        _require(c, value);
        if (value == c.tail) return (false, 0);
        return (true, c.next[value]);
    }

    function _values(Chain storage c) private view returns (uint256[] memory out) {
        uint256 len = c.length;
        out = new uint256[](len);
        uint256 cur = c.head;
        for (uint256 i = 0; i < len; ++i) {
            out[i] = cur;
            cur = c.next[cur];
        }
    }
}
