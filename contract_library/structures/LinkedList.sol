// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title LinkedList
/// @notice Singly and doubly linked lists of distinct uint256 values in storage, with insertion next to any member and traversal.
/// @dev Values are their own node keys, so a value can be in a list at most once (any uint256,
///      0 and max included). Head and tail are stored; a node's `next` is meaningful only when
///      it is not the tail (and `prev` only when it is not the head), so end nodes need no
///      sentinel value. Use as `using LinkedList for LinkedList.DoublyLinkedList;` (or SinglyLinkedList).
library LinkedList {
    /// @notice Inserting a value that is already in the list.
    error LinkedListDuplicate(uint256 value);

    /// @notice A value (to remove, to insert next to, or to step from) is not in the list.
    error LinkedListNotFound(uint256 value);

    /// @notice head/tail/pop on an empty list.
    error LinkedListEmpty();

    /// @notice A node of a singly linked list.
    struct SinglyNode {
        uint256 next;
        bool exists;
    }

    /// @notice A singly linked list: O(1) push at both ends, insertAfter and popFront;
    ///         O(n) insertBefore and remove (they walk to the predecessor).
    struct SinglyLinkedList {
        uint256 _head;
        uint256 _tail;
        uint256 _length;
        mapping(uint256 => SinglyNode) _nodes;
    }

    /// @notice A node of a doubly linked list.
    struct DoublyNode {
        uint256 prev;
        uint256 next;
        bool exists;
    }

    /// @notice A doubly linked list: every insertion and removal is O(1).
    struct DoublyLinkedList {
        uint256 _head;
        uint256 _tail;
        uint256 _length;
        mapping(uint256 => DoublyNode) _nodes;
    }

    // ================================================================= SinglyLinkedList

    /// @notice Inserts `value` before the head. O(1). Reverts LinkedListDuplicate if present.
    function pushFront(SinglyLinkedList storage list, uint256 value) internal {
        SinglyNode storage node = _newNode(list, value);
        if (list._length == 0) list._tail = value;
        else node.next = list._head;
        list._head = value;
        list._length += 1;
    }

    /// @notice Inserts `value` after the tail. O(1). Reverts LinkedListDuplicate if present.
    function pushBack(SinglyLinkedList storage list, uint256 value) internal {
        _newNode(list, value);
        if (list._length == 0) list._head = value;
        else list._nodes[list._tail].next = value;
        list._tail = value;
        list._length += 1;
    }

    /// @notice Inserts `value` right after `anchor`. O(1). Reverts LinkedListNotFound if
    ///         `anchor` is absent, LinkedListDuplicate if `value` is present.
    function insertAfter(SinglyLinkedList storage list, uint256 anchor, uint256 value) internal {
        if (!list._nodes[anchor].exists) revert LinkedListNotFound(anchor);
        if (anchor == list._tail) return pushBack(list, value);
        SinglyNode storage node = _newNode(list, value);
        node.next = list._nodes[anchor].next;
        list._nodes[anchor].next = value;
        list._length += 1;
    }

    /// @notice Inserts `value` right before `anchor`. O(n): walks from the head. Reverts
    ///         LinkedListNotFound if `anchor` is absent, LinkedListDuplicate if `value` is present.
    function insertBefore(SinglyLinkedList storage list, uint256 anchor, uint256 value) internal {
        if (!list._nodes[anchor].exists) revert LinkedListNotFound(anchor);
        if (anchor == list._head) return pushFront(list, value);
        insertAfter(list, _predecessor(list, anchor), value);
    }

    /// @notice Removes `value`. O(n): walks from the head to its predecessor (O(1) for the head).
    ///         Reverts LinkedListNotFound if absent.
    function remove(SinglyLinkedList storage list, uint256 value) internal {
        if (!list._nodes[value].exists) revert LinkedListNotFound(value);
        if (value == list._head) {
            list._head = list._nodes[value].next;
        } else {
            uint256 pred = _predecessor(list, value);
            list._nodes[pred].next = list._nodes[value].next;
            if (value == list._tail) list._tail = pred;
        }
        delete list._nodes[value];
        list._length -= 1;
    }

    /// @notice Removes and returns the head. O(1). Reverts LinkedListEmpty if empty.
    function popFront(SinglyLinkedList storage list) internal returns (uint256 value) {
        if (list._length == 0) revert LinkedListEmpty();
        value = list._head;
        list._head = list._nodes[value].next;
        delete list._nodes[value];
        list._length -= 1;
    }

    /// @notice Whether `value` is in the list. O(1).
    function contains(SinglyLinkedList storage list, uint256 value) internal view returns (bool) {
        return list._nodes[value].exists;
    }

    /// @notice Number of values. O(1).
    function length(SinglyLinkedList storage list) internal view returns (uint256) {
        return list._length;
    }

    /// @notice The first value. Reverts LinkedListEmpty if empty.
    function head(SinglyLinkedList storage list) internal view returns (uint256) {
        if (list._length == 0) revert LinkedListEmpty();
        return list._head;
    }

    /// @notice The last value. Reverts LinkedListEmpty if empty.
    function tail(SinglyLinkedList storage list) internal view returns (uint256) {
        if (list._length == 0) revert LinkedListEmpty();
        return list._tail;
    }

    /// @notice The value after `value`. O(1). Reverts LinkedListNotFound if `value` is absent.
    /// @return exists False if `value` is the tail.
    /// @return next The next value (0 when `exists` is false).
    function next(SinglyLinkedList storage list, uint256 value) internal view returns (bool exists, uint256) {
        if (!list._nodes[value].exists) revert LinkedListNotFound(value);
        if (value == list._tail) return (false, 0);
        return (true, list._nodes[value].next);
    }

    /// @notice All values from head to tail. O(n).
    function values(SinglyLinkedList storage list) internal view returns (uint256[] memory out) {
        uint256 len = list._length;
        out = new uint256[](len);
        uint256 cur = list._head;
        for (uint256 i = 0; i < len; ++i) {
            out[i] = cur;
            cur = list._nodes[cur].next;
        }
    }

    /// @notice Removes every value. O(n).
    function clear(SinglyLinkedList storage list) internal {
        uint256 cur = list._head;
        for (uint256 i = list._length; i > 0; --i) {
            uint256 nxt = list._nodes[cur].next;
            delete list._nodes[cur];
            cur = nxt;
        }
        list._length = 0;
    }

    /// @dev Marks `value` as a member (fresh node); reverts if already present.
    function _newNode(SinglyLinkedList storage list, uint256 value) private returns (SinglyNode storage node) {
        node = list._nodes[value];
        if (node.exists) revert LinkedListDuplicate(value);
        node.exists = true;
    }

    /// @dev The value before `value` (which must be a non-head member).
    function _predecessor(SinglyLinkedList storage list, uint256 value) private view returns (uint256 cur) {
        cur = list._head;
        while (list._nodes[cur].next != value) cur = list._nodes[cur].next;
    }

    // ================================================================= DoublyLinkedList

    /// @notice Inserts `value` before the head. O(1). Reverts LinkedListDuplicate if present.
    function pushFront(DoublyLinkedList storage list, uint256 value) internal {
        DoublyNode storage node = _newNode(list, value);
        if (list._length == 0) {
            list._tail = value;
        } else {
            node.next = list._head;
            list._nodes[list._head].prev = value;
        }
        list._head = value;
        list._length += 1;
    }

    /// @notice Inserts `value` after the tail. O(1). Reverts LinkedListDuplicate if present.
    function pushBack(DoublyLinkedList storage list, uint256 value) internal {
        DoublyNode storage node = _newNode(list, value);
        if (list._length == 0) {
            list._head = value;
        } else {
            node.prev = list._tail;
            list._nodes[list._tail].next = value;
        }
        list._tail = value;
        list._length += 1;
    }

    /// @notice Inserts `value` right after `anchor`. O(1). Reverts LinkedListNotFound if
    ///         `anchor` is absent, LinkedListDuplicate if `value` is present.
    function insertAfter(DoublyLinkedList storage list, uint256 anchor, uint256 value) internal {
        if (!list._nodes[anchor].exists) revert LinkedListNotFound(anchor);
        if (anchor == list._tail) return pushBack(list, value);
        DoublyNode storage node = _newNode(list, value);
        uint256 after_ = list._nodes[anchor].next;
        node.prev = anchor;
        node.next = after_;
        list._nodes[anchor].next = value;
        list._nodes[after_].prev = value;
        list._length += 1;
    }

    /// @notice Inserts `value` right before `anchor`. O(1). Reverts LinkedListNotFound if
    ///         `anchor` is absent, LinkedListDuplicate if `value` is present.
    function insertBefore(DoublyLinkedList storage list, uint256 anchor, uint256 value) internal {
        if (!list._nodes[anchor].exists) revert LinkedListNotFound(anchor);
        if (anchor == list._head) return pushFront(list, value);
        DoublyNode storage node = _newNode(list, value);
        uint256 before = list._nodes[anchor].prev;
        node.prev = before;
        node.next = anchor;
        list._nodes[before].next = value;
        list._nodes[anchor].prev = value;
        list._length += 1;
    }

    /// @notice Removes `value`. O(1). Reverts LinkedListNotFound if absent.
    function remove(DoublyLinkedList storage list, uint256 value) internal {
        DoublyNode storage node = list._nodes[value];
        if (!node.exists) revert LinkedListNotFound(value);
        bool isHead = value == list._head;
        bool isTail = value == list._tail;
        if (isHead && !isTail) list._head = node.next;
        if (isTail && !isHead) list._tail = node.prev;
        if (!isHead && !isTail) {
            list._nodes[node.prev].next = node.next;
            list._nodes[node.next].prev = node.prev;
        }
        delete list._nodes[value];
        list._length -= 1;
    }

    /// @notice Removes and returns the head. O(1). Reverts LinkedListEmpty if empty.
    function popFront(DoublyLinkedList storage list) internal returns (uint256 value) {
        if (list._length == 0) revert LinkedListEmpty();
        value = list._head;
        remove(list, value);
    }

    /// @notice Removes and returns the tail. O(1). Reverts LinkedListEmpty if empty.
    function popBack(DoublyLinkedList storage list) internal returns (uint256 value) {
        if (list._length == 0) revert LinkedListEmpty();
        value = list._tail;
        remove(list, value);
    }

    /// @notice Whether `value` is in the list. O(1).
    function contains(DoublyLinkedList storage list, uint256 value) internal view returns (bool) {
        return list._nodes[value].exists;
    }

    /// @notice Number of values. O(1).
    function length(DoublyLinkedList storage list) internal view returns (uint256) {
        return list._length;
    }

    /// @notice The first value. Reverts LinkedListEmpty if empty.
    function head(DoublyLinkedList storage list) internal view returns (uint256) {
        if (list._length == 0) revert LinkedListEmpty();
        return list._head;
    }

    /// @notice The last value. Reverts LinkedListEmpty if empty.
    function tail(DoublyLinkedList storage list) internal view returns (uint256) {
        if (list._length == 0) revert LinkedListEmpty();
        return list._tail;
    }

    /// @notice The value after `value`. O(1). Reverts LinkedListNotFound if `value` is absent.
    /// @return exists False if `value` is the tail.
    /// @return next The next value (0 when `exists` is false).
    function next(DoublyLinkedList storage list, uint256 value) internal view returns (bool exists, uint256) {
        if (!list._nodes[value].exists) revert LinkedListNotFound(value);
        if (value == list._tail) return (false, 0);
        return (true, list._nodes[value].next);
    }

    /// @notice The value before `value`. O(1). Reverts LinkedListNotFound if `value` is absent.
    /// @return exists False if `value` is the head.
    /// @return prev The previous value (0 when `exists` is false).
    function prev(DoublyLinkedList storage list, uint256 value) internal view returns (bool exists, uint256) {
        if (!list._nodes[value].exists) revert LinkedListNotFound(value);
        if (value == list._head) return (false, 0);
        return (true, list._nodes[value].prev);
    }

    /// @notice All values from head to tail. O(n).
    function values(DoublyLinkedList storage list) internal view returns (uint256[] memory out) {
        uint256 len = list._length;
        out = new uint256[](len);
        uint256 cur = list._head;
        for (uint256 i = 0; i < len; ++i) {
            out[i] = cur;
            cur = list._nodes[cur].next;
        }
    }

    /// @notice Removes every value. O(n).
    function clear(DoublyLinkedList storage list) internal {
        uint256 cur = list._head;
        for (uint256 i = list._length; i > 0; --i) {
            uint256 nxt = list._nodes[cur].next;
            delete list._nodes[cur];
            cur = nxt;
        }
        list._length = 0;
    }

    /// @dev Marks `value` as a member (fresh node); reverts if already present.
    function _newNode(DoublyLinkedList storage list, uint256 value) private returns (DoublyNode storage node) {
        node = list._nodes[value];
        if (node.exists) revert LinkedListDuplicate(value);
        node.exists = true;
    }
}
