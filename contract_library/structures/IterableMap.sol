// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title IterableMap
/// @notice Iterable address => uint256 and bytes32 => bytes32 maps with O(1) set, get, remove and index-based enumeration.
/// @dev Keys live in an array with a 1-based position map (0 = absent); values in a plain mapping.
///      The address => uint256 map is the bytes32 map underneath, with keys and values converted.
///      Removal swaps the last key into the removed slot, so enumeration order is insertion
///      order only until the first removal. Use as
///      `using IterableMap for IterableMap.AddressToUintMap;` (likewise Bytes32ToBytes32Map).
library IterableMap {
    /// @notice get() of an address key that is not in the map.
    error IterableMapAddressKeyNotFound(address key);

    /// @notice get() of a bytes32 key that is not in the map.
    error IterableMapBytes32KeyNotFound(bytes32 key);

    /// @notice at() with an index at or past the end.
    /// @param index The requested index.
    /// @param length The map's length.
    error IterableMapIndexOutOfBounds(uint256 index, uint256 length);

    /// @notice An iterable bytes32 => bytes32 map.
    struct Bytes32ToBytes32Map {
        bytes32[] _keys;
        mapping(bytes32 => uint256) _positions;
        mapping(bytes32 => bytes32) _values;
    }

    /// @notice An iterable address => uint256 map.
    struct AddressToUintMap {
        Bytes32ToBytes32Map _inner;
    }

    // -------------------------------------------------------- Bytes32ToBytes32Map

    /// @notice Sets `key` to `value`, adding the key if it is new.
    /// @return added True if the key was not in the map before.
    function set(Bytes32ToBytes32Map storage map, bytes32 key, bytes32 value) internal returns (bool added) {
        map._values[key] = value;
        if (map._positions[key] != 0) return false;
        map._keys.push(key);
        map._positions[key] = map._keys.length;
        return true;
    }

    /// @notice The value of `key`; reverts with IterableMapBytes32KeyNotFound if absent.
    function get(Bytes32ToBytes32Map storage map, bytes32 key) internal view returns (bytes32) {
        if (map._positions[key] == 0) revert IterableMapBytes32KeyNotFound(key);
        return map._values[key];
    }

    /// @notice The value of `key` if present.
    /// @return exists Whether the key is in the map.
    /// @return value The value, or bytes32(0) if absent.
    function tryGet(Bytes32ToBytes32Map storage map, bytes32 key) internal view returns (bool exists, bytes32 value) {
        if (map._positions[key] == 0) return (false, bytes32(0));
        return (true, map._values[key]);
    }

    /// @notice Removes `key` and its value (swap-and-pop).
    /// @return removed True if the key was present.
    function remove(Bytes32ToBytes32Map storage map, bytes32 key) internal returns (bool removed) {
        uint256 position = map._positions[key];
        if (position == 0) return false;
        uint256 lastIndex = map._keys.length - 1;
        if (position - 1 != lastIndex) {
            bytes32 last = map._keys[lastIndex];
            map._keys[position - 1] = last;
            map._positions[last] = position;
        }
        map._keys.pop();
        delete map._positions[key];
        delete map._values[key];
        return true;
    }

    /// @notice Whether `key` is in the map.
    function contains(Bytes32ToBytes32Map storage map, bytes32 key) internal view returns (bool) {
        return map._positions[key] != 0;
    }

    /// @notice Number of entries.
    function length(Bytes32ToBytes32Map storage map) internal view returns (uint256) {
        return map._keys.length;
    }

    /// @notice The entry at `index` (0-based, enumeration order); reverts with
    ///         IterableMapIndexOutOfBounds if `index >= length`.
    function at(Bytes32ToBytes32Map storage map, uint256 index) internal view returns (bytes32 key, bytes32 value) {
        uint256 len = map._keys.length;
        if (index >= len) revert IterableMapIndexOutOfBounds(index, len);
        key = map._keys[index];
        value = map._values[key];
    }

    /// @notice All keys, in enumeration order (O(n) gas).
    function keys(Bytes32ToBytes32Map storage map) internal view returns (bytes32[] memory) {
        return map._keys;
    }

    /// @notice Removes every entry (O(n) gas).
    function clear(Bytes32ToBytes32Map storage map) internal {
        uint256 len = map._keys.length;
        for (uint256 i = 0; i < len; ++i) {
            bytes32 key = map._keys[i];
            delete map._positions[key];
            delete map._values[key];
        }
        delete map._keys;
    }

    // ----------------------------------------------------------- AddressToUintMap

    /// @notice Sets `key` to `value`, adding the key if it is new.
    /// @return added True if the key was not in the map before.
    function set(AddressToUintMap storage map, address key, uint256 value) internal returns (bool added) {
        return set(map._inner, _word(key), bytes32(value));
    }

    /// @notice The value of `key`; reverts with IterableMapAddressKeyNotFound if absent.
    function get(AddressToUintMap storage map, address key) internal view returns (uint256) {
        (bool exists, bytes32 value) = tryGet(map._inner, _word(key));
        if (!exists) revert IterableMapAddressKeyNotFound(key);
        return uint256(value);
    }

    /// @notice The value of `key` if present.
    /// @return exists Whether the key is in the map.
    /// @return value The value, or 0 if absent.
    function tryGet(AddressToUintMap storage map, address key) internal view returns (bool exists, uint256 value) {
        bytes32 word;
        (exists, word) = tryGet(map._inner, _word(key));
        value = uint256(word);
    }

    /// @notice Removes `key` and its value (swap-and-pop).
    /// @return removed True if the key was present.
    function remove(AddressToUintMap storage map, address key) internal returns (bool removed) {
        return remove(map._inner, _word(key));
    }

    /// @notice Whether `key` is in the map.
    function contains(AddressToUintMap storage map, address key) internal view returns (bool) {
        return contains(map._inner, _word(key));
    }

    /// @notice Number of entries.
    function length(AddressToUintMap storage map) internal view returns (uint256) {
        return length(map._inner);
    }

    /// @notice The entry at `index` (0-based, enumeration order); reverts with
    ///         IterableMapIndexOutOfBounds if `index >= length`.
    function at(AddressToUintMap storage map, uint256 index) internal view returns (address key, uint256 value) {
        (bytes32 k, bytes32 v) = at(map._inner, index);
        return (address(uint160(uint256(k))), uint256(v));
    }

    /// @notice All keys, in enumeration order (O(n) gas).
    function keys(AddressToUintMap storage map) internal view returns (address[] memory out) {
        bytes32[] memory words = keys(map._inner);
        // Every word is an address zero-extended by _word, so the array can be read as address[].
        assembly ("memory-safe") {
            out := words
        }
    }

    /// @notice Removes every entry (O(n) gas).
    function clear(AddressToUintMap storage map) internal {
        clear(map._inner);
    }

    function _word(address key) private pure returns (bytes32) {
        return bytes32(uint256(uint160(key)));
    }
}
