// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/base/Arrays.sol";

/// @notice Test harness exposing every Arrays function; storage removal works on the harness' own arrays.
contract ArraysHarness {
    using Arrays for uint256[];
    using Arrays for address[];

    uint256[] internal nums;
    address[] internal addrs;

    function sort(uint256[] memory a) external pure returns (uint256[] memory) { return a.sort(); }
    function sortAddresses(address[] memory a) external pure returns (address[] memory) { return a.sort(); }

    /// @dev Sorts in place and returns the original variable, proving the sort is in place.
    function sortInPlace(uint256[] memory a) external pure returns (uint256[] memory) { Arrays.sort(a); return a; }

    function distinct(uint256[] memory a) external pure returns (uint256[] memory) { return a.distinct(); }
    function distinctAddresses(address[] memory a) external pure returns (address[] memory) { return a.distinct(); }

    /// @dev distinct must not modify its input.
    function distinctKeepsInput(uint256[] memory a) external pure returns (uint256[] memory out, uint256[] memory input) {
        out = a.distinct();
        input = a;
    }

    function reverse(uint256[] memory a) external pure returns (uint256[] memory) { return a.reverse(); }
    function reverseAddresses(address[] memory a) external pure returns (address[] memory) { Arrays.reverse(a); return a; }

    function indexOf(uint256[] memory a, uint256 v) external pure returns (bool, uint256) { return a.indexOf(v); }
    function indexOfAddress(address[] memory a, address v) external pure returns (bool, uint256) { return a.indexOf(v); }
    function contains(uint256[] memory a, uint256 v) external pure returns (bool) { return a.contains(v); }
    function containsAddress(address[] memory a, address v) external pure returns (bool) { return a.contains(v); }

    function sum(uint256[] memory a) external pure returns (uint256) { return a.sum(); }
    function max(uint256[] memory a) external pure returns (uint256) { return a.max(); }
    function min(uint256[] memory a) external pure returns (uint256) { return a.min(); }

    function setNums(uint256[] calldata v) external { nums = v; }
    function getNums() external view returns (uint256[] memory) { return nums; }
    function removeSwap(uint256 i) external { nums.removeSwap(i); }
    function removeOrdered(uint256 i) external { nums.removeOrdered(i); }

    /// @dev For eth_call property tests: load `v`, remove at `i`, return the result (no transaction needed).
    function removeOrderedFrom(uint256[] calldata v, uint256 i) external returns (uint256[] memory) {
        nums = v;
        nums.removeOrdered(i);
        return nums;
    }
    function removeSwapFrom(uint256[] calldata v, uint256 i) external returns (uint256[] memory) {
        nums = v;
        nums.removeSwap(i);
        return nums;
    }

    function setAddrs(address[] calldata v) external { addrs = v; }
    function getAddrs() external view returns (address[] memory) { return addrs; }
    function removeSwapAddress(uint256 i) external { addrs.removeSwap(i); }
    function removeOrderedAddress(uint256 i) external { addrs.removeOrdered(i); }
}
