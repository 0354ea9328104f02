// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title EnumerableSet
/// @notice Sets of address, bytes32 and uint256 values with O(1) add, remove and membership and index-based enumeration.
/// @dev All three set types wrap one bytes32 set that keeps its members in an array and a
///      1-based position map (0 = absent).
///      Removal swaps the last member into the removed slot, so enumeration order is
///      insertion order only until the first removal. Use as
///      `using EnumerableSet for EnumerableSet.AddressSet;` (likewise Bytes32Set, UintSet).
library EnumerableSet {
    /// @notice An index was at or past the end of the set.
    /// @param index The requested index.
    /// @param length The set's length.
    error EnumerableSetIndexOutOfBounds(uint256 index, uint256 length);

    /// @dev The one implementation: members as bytes32, with 1-based positions.
    struct Set {
        bytes32[] _values;
        mapping(bytes32 => uint256) _positions;
    }

    /// @notice A set of addresses.
    struct AddressSet {
        Set _inner;
    }

    /// @notice A set of bytes32 values.
    struct Bytes32Set {
        Set _inner;
    }

    /// @notice A set of uint256 values.
    struct UintSet {
        Set _inner;
    }

    // --------------------------------------------------------- the inner set

    function _add(Set storage set, bytes32 value) private returns (bool) {
        if (set._positions[value] != 0) return false;
        set._values.push(value);
        set._positions[value] = set._values.length;
        return true;
    }

    function _remove(Set storage set, bytes32 value) private returns (bool) {
        uint256 position = set._positions[value];
        if (position == 0) return false;
        uint256 lastIndex = set._values.length - 1;
        if (position - 1 != lastIndex) {
            bytes32 last = set._values[lastIndex];
            set._values[position - 1] = last;
            set._positions[last] = position;
        }
        set._values.pop();
        delete set._positions[value];
        return true;
    }

    function _at(Set storage set, uint256 index) private view returns (bytes32) {
        uint256 len = set._values.length;
        if (index >= len) revert EnumerableSetIndexOutOfBounds(index, len);
        return set._values[index];
    }

    function _clear(Set storage set) private {
        uint256 len = set._values.length;
        for (uint256 i = 0; i < len; ++i) {
            delete set._positions[set._values[i]];
        }
        delete set._values;
    }

    // ----------------------------------------------------------------- AddressSet

    /// @notice Adds `value` to the set.
    /// @return added True if the value was not already present.
    function add(AddressSet storage set, address value) internal returns (bool added) {
        return _add(set._inner, bytes32(uint256(uint160(value))));
    }

    /// @notice Removes `value` from the set (swap-and-pop).
    /// @return removed True if the value was present.
    function remove(AddressSet storage set, address value) internal returns (bool removed) {
        return _remove(set._inner, bytes32(uint256(uint160(value))));
    }

    /// @notice Whether `value` is in the set.
    function contains(AddressSet storage set, address value) internal view returns (bool) {
        return set._inner._positions[bytes32(uint256(uint160(value)))] != 0;
    }

    /// @notice Number of members.
    function length(AddressSet storage set) internal view returns (uint256) {
        return set._inner._values.length;
    }

    /// @notice The member at `index` (0-based, enumeration order); reverts with
    ///         EnumerableSetIndexOutOfBounds if `index >= length`.
    function at(AddressSet storage set, uint256 index) internal view returns (address) {
        return address(uint160(uint256(_at(set._inner, index))));
    }

    /// @notice All members, in enumeration order (copies the whole array to memory; O(n) gas).
    function values(AddressSet storage set) internal view returns (address[] memory) {
        bytes32[] memory raw = set._inner._values;
        address[] memory result;
        // Safe: a bytes32 word holds each address exactly as the set stored it.
        assembly {
            result := raw
        }
        return result;
    }

    /// @notice Removes every member (O(n) gas: each position entry is deleted).
    function clear(AddressSet storage set) internal {
        _clear(set._inner);
    }

    // ----------------------------------------------------------------- Bytes32Set

    /// @notice Adds `value` to the set.
    /// @return added True if the value was not already present.
    function add(Bytes32Set storage set, bytes32 value) internal returns (bool added) {
        return _add(set._inner, value);
    }

    /// @notice Removes `value` from the set (swap-and-pop).
    /// @return removed True if the value was present.
    function remove(Bytes32Set storage set, bytes32 value) internal returns (bool removed) {
        return _remove(set._inner, value);
    }

    /// @notice Whether `value` is in the set.
    function contains(Bytes32Set storage set, bytes32 value) internal view returns (bool) {
        return set._inner._positions[value] != 0;
    }

    /// @notice Number of members.
    function length(Bytes32Set storage set) internal view returns (uint256) {
        return set._inner._values.length;
    }

    /// @notice The member at `index` (0-based, enumeration order); reverts with
    ///         EnumerableSetIndexOutOfBounds if `index >= length`.
    function at(Bytes32Set storage set, uint256 index) internal view returns (bytes32) {
        return _at(set._inner, index);
    }

    /// @notice All members, in enumeration order (copies the whole array to memory; O(n) gas).
    function values(Bytes32Set storage set) internal view returns (bytes32[] memory) {
        return set._inner._values;
    }

    /// @notice Removes every member (O(n) gas: each position entry is deleted).
    function clear(Bytes32Set storage set) internal {
        _clear(set._inner);
    }

    // ----------------------------------------------------------------- UintSet

    /// @notice Adds `value` to the set.
    /// @return added True if the value was not already present.
    function add(UintSet storage set, uint256 value) internal returns (bool added) {
        return _add(set._inner, bytes32(value));
    }

    /// @notice Removes `value` from the set (swap-and-pop).
    /// @return removed True if the value was present.
    function remove(UintSet storage set, uint256 value) internal returns (bool removed) {
        return _remove(set._inner, bytes32(value));
    }

    /// @notice Whether `value` is in the set.
    function contains(UintSet storage set, uint256 value) internal view returns (bool) {
        return set._inner._positions[bytes32(value)] != 0;
    }

    /// @notice Number of members.
    function length(UintSet storage set) internal view returns (uint256) {
        return set._inner._values.length;
    }

    /// @notice The member at `index` (0-based, enumeration order); reverts with
    ///         EnumerableSetIndexOutOfBounds if `index >= length`.
    function at(UintSet storage set, uint256 index) internal view returns (uint256) {
        return uint256(_at(set._inner, index));
    }

    /// @notice All members, in enumeration order (copies the whole array to memory; O(n) gas).
    function values(UintSet storage set) internal view returns (uint256[] memory) {
        bytes32[] memory raw = set._inner._values;
        uint256[] memory result;
        // Safe: a bytes32 word holds each uint256 exactly as the set stored it.
        assembly {
            result := raw
        }
        return result;
    }

    /// @notice Removes every member (O(n) gas: each position entry is deleted).
    function clear(UintSet storage set) internal {
        _clear(set._inner);
    }
}
