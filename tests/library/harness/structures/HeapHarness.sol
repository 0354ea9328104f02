// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {Heap} from "@smartdev/structures/Heap.sol";

/// @notice Exposes every Heap operation on one MinHeap and one MaxHeap.
contract HeapHarness {
    using Heap for Heap.MinHeap;
    using Heap for Heap.MaxHeap;

    Heap.MinHeap private _min;
    Heap.MaxHeap private _max;

    event Popped(uint256 value);

    function pushMin(uint256 v) external { _min.push(v); }
    function popMin() external returns (uint256 v) { v = _min.pop(); emit Popped(v); }
    function peekMin() external view returns (uint256) { return _min.peek(); }
    function sizeMin() external view returns (uint256) { return _min.size(); }
    function isEmptyMin() external view returns (bool) { return _min.isEmpty(); }
    function clearMin() external { _min.clear(); }
    function pushManyMin(uint256[] calldata vs) external { for (uint256 i = 0; i < vs.length; ++i) _min.push(vs[i]); }
    function popAllMin() external returns (uint256[] memory out) {
        out = new uint256[](_min.size());
        for (uint256 i = 0; i < out.length; ++i) out[i] = _min.pop();
    }

    function pushMax(uint256 v) external { _max.push(v); }
    function popMax() external returns (uint256 v) { v = _max.pop(); emit Popped(v); }
    function peekMax() external view returns (uint256) { return _max.peek(); }
    function sizeMax() external view returns (uint256) { return _max.size(); }
    function isEmptyMax() external view returns (bool) { return _max.isEmpty(); }
    function clearMax() external { _max.clear(); }
    function pushManyMax(uint256[] calldata vs) external { for (uint256 i = 0; i < vs.length; ++i) _max.push(vs[i]); }
    function popAllMax() external returns (uint256[] memory out) {
        out = new uint256[](_max.size());
        for (uint256 i = 0; i < out.length; ++i) out[i] = _max.pop();
    }

    /// @notice Interleaved ops for eth_call: isPush[i] ? push(vs[i]) : pop(). For each pop it
    ///         records peek() just before and the popped value; then the size and a drain.
    function runMin(uint256[] calldata vs, bool[] calldata isPush)
        external
        returns (uint256[] memory peeks, uint256[] memory pops, uint256 finalSize, uint256[] memory drained)
    {
        peeks = new uint256[](vs.length);
        pops = new uint256[](vs.length);
        uint256 k;
        for (uint256 i = 0; i < vs.length; ++i) {
            if (isPush[i]) {
                _min.push(vs[i]);
            } else {
                peeks[k] = _min.peek();
                pops[k++] = _min.pop();
            }
        }
        assembly { mstore(peeks, k) mstore(pops, k) }
        finalSize = _min.size();
        drained = new uint256[](finalSize);
        for (uint256 i = 0; i < finalSize; ++i) drained[i] = _min.pop();
        require(_min.isEmpty(), "not empty after drain");
    }

    function runMax(uint256[] calldata vs, bool[] calldata isPush)
        external
        returns (uint256[] memory peeks, uint256[] memory pops, uint256 finalSize, uint256[] memory drained)
    {
        peeks = new uint256[](vs.length);
        pops = new uint256[](vs.length);
        uint256 k;
        for (uint256 i = 0; i < vs.length; ++i) {
            if (isPush[i]) {
                _max.push(vs[i]);
            } else {
                peeks[k] = _max.peek();
                pops[k++] = _max.pop();
            }
        }
        assembly { mstore(peeks, k) mstore(pops, k) }
        finalSize = _max.size();
        drained = new uint256[](finalSize);
        for (uint256 i = 0; i < finalSize; ++i) drained[i] = _max.pop();
        require(_max.isEmpty(), "not empty after drain");
    }
}
