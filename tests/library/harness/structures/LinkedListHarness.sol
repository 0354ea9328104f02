// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {LinkedList} from "@smartdev/structures/LinkedList.sol";

/// @notice Exposes every LinkedList operation on one singly (S) and one doubly (D) linked list.
contract LinkedListHarness {
    using LinkedList for LinkedList.SinglyLinkedList;
    using LinkedList for LinkedList.DoublyLinkedList;

    LinkedList.SinglyLinkedList private _s;
    LinkedList.DoublyLinkedList private _d;

    event Popped(uint256 value);

    // singly
    function pushFrontS(uint256 v) external { _s.pushFront(v); }
    function pushBackS(uint256 v) external { _s.pushBack(v); }
    function insertAfterS(uint256 a, uint256 v) external { _s.insertAfter(a, v); }
    function insertBeforeS(uint256 a, uint256 v) external { _s.insertBefore(a, v); }
    function removeS(uint256 v) external { _s.remove(v); }
    function popFrontS() external returns (uint256 v) { v = _s.popFront(); emit Popped(v); }
    function containsS(uint256 v) external view returns (bool) { return _s.contains(v); }
    function lengthS() external view returns (uint256) { return _s.length(); }
    function headS() external view returns (uint256) { return _s.head(); }
    function tailS() external view returns (uint256) { return _s.tail(); }
    function nextS(uint256 v) external view returns (bool, uint256) { return _s.next(v); }
    function valuesS() external view returns (uint256[] memory) { return _s.values(); }
    function clearS() external { _s.clear(); }

    // doubly
    function pushFrontD(uint256 v) external { _d.pushFront(v); }
    function pushBackD(uint256 v) external { _d.pushBack(v); }
    function insertAfterD(uint256 a, uint256 v) external { _d.insertAfter(a, v); }
    function insertBeforeD(uint256 a, uint256 v) external { _d.insertBefore(a, v); }
    function removeD(uint256 v) external { _d.remove(v); }
    function popFrontD() external returns (uint256 v) { v = _d.popFront(); emit Popped(v); }
    function popBackD() external returns (uint256 v) { v = _d.popBack(); emit Popped(v); }
    function containsD(uint256 v) external view returns (bool) { return _d.contains(v); }
    function lengthD() external view returns (uint256) { return _d.length(); }
    function headD() external view returns (uint256) { return _d.head(); }
    function tailD() external view returns (uint256) { return _d.tail(); }
    function nextD(uint256 v) external view returns (bool, uint256) { return _d.next(v); }
    function prevD(uint256 v) external view returns (bool, uint256) { return _d.prev(v); }
    function valuesD() external view returns (uint256[] memory) { return _d.values(); }
    function clearD() external { _d.clear(); }

    /// @notice Ops for eth_call on the singly list: 0 pushFront(v), 1 pushBack(v), 2 insertAfter(a, v),
    ///         3 insertBefore(a, v), 4 remove(v), 5 popFront, 6 clear. Returns popped values, then
    ///         values(), a walk with next() from head(), and contains() of each probe.
    function runS(uint8[] calldata ops, uint256[] calldata anchors, uint256[] calldata vs, uint256[] calldata probe)
        external
        returns (uint256[] memory popped, uint256[] memory vals, uint256[] memory walk, bool[] memory contained)
    {
        popped = new uint256[](ops.length);
        for (uint256 i = 0; i < ops.length; ++i) {
            uint8 op = ops[i];
            if (op == 0) _s.pushFront(vs[i]);
            else if (op == 1) _s.pushBack(vs[i]);
            else if (op == 2) _s.insertAfter(anchors[i], vs[i]);
            else if (op == 3) _s.insertBefore(anchors[i], vs[i]);
            else if (op == 4) _s.remove(vs[i]);
            else if (op == 5) popped[i] = _s.popFront();
            else _s.clear();
        }
        vals = _s.values();
        uint256 len = _s.length();
        walk = new uint256[](len);
        if (len > 0) {
            uint256 cur = _s.head();
            for (uint256 i = 0; i < len; ++i) {
                walk[i] = cur;
                (bool more, uint256 nxt) = _s.next(cur);
                require(more == (i + 1 < len), "next() end mismatch");
                cur = nxt;
            }
            require(walk[len - 1] == _s.tail(), "tail mismatch");
        }
        contained = new bool[](probe.length);
        for (uint256 i = 0; i < probe.length; ++i) contained[i] = _s.contains(probe[i]);
    }

    /// @notice Ops for eth_call on the doubly list: as runS, plus 7 popBack. Also returns the walk
    ///         with prev() from tail() (i.e. values reversed).
    function runD(uint8[] calldata ops, uint256[] calldata anchors, uint256[] calldata vs, uint256[] calldata probe)
        external
        returns (
            uint256[] memory popped,
            uint256[] memory vals,
            uint256[] memory walk,
            uint256[] memory backWalk,
            bool[] memory contained
        )
    {
        popped = new uint256[](ops.length);
        for (uint256 i = 0; i < ops.length; ++i) {
            uint8 op = ops[i];
            if (op == 0) _d.pushFront(vs[i]);
            else if (op == 1) _d.pushBack(vs[i]);
            else if (op == 2) _d.insertAfter(anchors[i], vs[i]);
            else if (op == 3) _d.insertBefore(anchors[i], vs[i]);
            else if (op == 4) _d.remove(vs[i]);
            else if (op == 5) popped[i] = _d.popFront();
            else if (op == 6) _d.clear();
            else popped[i] = _d.popBack();
        }
        vals = _d.values();
        uint256 len = _d.length();
        walk = new uint256[](len);
        backWalk = new uint256[](len);
        if (len > 0) {
            uint256 cur = _d.head();
            for (uint256 i = 0; i < len; ++i) {
                walk[i] = cur;
                (bool more, uint256 nxt) = _d.next(cur);
                require(more == (i + 1 < len), "next() end mismatch");
                cur = nxt;
            }
            cur = _d.tail();
            for (uint256 i = 0; i < len; ++i) {
                backWalk[i] = cur;
                (bool more, uint256 prv) = _d.prev(cur);
                require(more == (i + 1 < len), "prev() end mismatch");
                cur = prv;
            }
        }
        contained = new bool[](probe.length);
        for (uint256 i = 0; i < probe.length; ++i) contained[i] = _d.contains(probe[i]);
    }
}
