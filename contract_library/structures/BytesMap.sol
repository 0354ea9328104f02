// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title BytesMap
/// @notice An iterable map from bytes keys to bytes values in storage, with O(1) lookups by key hash and index-based enumeration.
/// @dev Keys are addressed by `keccak256(key)`; the key bytes are kept in an array (for enumeration)
///      with a 1-based position map (0 = absent). Removal swaps the last key into the removed slot,
///      so enumeration order is insertion order only until the first removal.
///      Use as `using BytesMap for BytesMap.Map;`.
library BytesMap {
    /// @notice get() of a key that is not in the map.
    error BytesMapKeyNotFound(bytes key);

    /// @notice at() with an index at or past the end.
    /// @param index The requested index.
    /// @param length The map's length.
    error BytesMapIndexOutOfBounds(uint256 index, uint256 length);

    /// @notice An iterable bytes => bytes map.
    struct Map {
        bytes[] _keys;
        mapping(bytes32 => uint256) _positions;
        mapping(bytes32 => bytes) _values;
    }

    /// @notice Sets `key` to `value`, adding the key if it is new.
    ///         O(len(key) + len(value)) for the copies to storage.
    /// @return added True if the key was not in the map before.
    function set(Map storage map, bytes memory key, bytes memory value) internal returns (bool added) {
        bytes32 h = keccak256(key);
        map._values[h] = value;
        if (map._positions[h] != 0) return false;
        map._keys.push(key);
        map._positions[h] = map._keys.length;
        return true;
    }

    /// @notice The value of `key`; reverts with BytesMapKeyNotFound if absent.
    function get(Map storage map, bytes memory key) internal view returns (bytes memory) {
        bytes32 h = keccak256(key);
        if (map._positions[h] == 0) revert BytesMapKeyNotFound(key);
        return map._values[h];
    }

    /// @notice The value of `key` if present.
    /// @return exists Whether the key is in the map.
    /// @return value The value, or empty bytes if absent.
    function tryGet(Map storage map, bytes memory key) internal view returns (bool exists, bytes memory value) {
        bytes32 h = keccak256(key);
        if (map._positions[h] == 0) return (false, "");
        return (true, map._values[h]);
    }

    /// @notice Removes `key` and its value (swap-and-pop).
    /// @return removed True if the key was present.
    function remove(Map storage map, bytes memory key) internal returns (bool removed) {
        bytes32 h = keccak256(key);
        uint256 position = map._positions[h];
        if (position == 0) return false;
        uint256 lastIndex = map._keys.length - 1;
        if (position - 1 != lastIndex) {
            bytes storage last = map._keys[lastIndex];
            map._positions[keccak256(last)] = position;
            map._keys[position - 1] = last;
        }
        map._keys.pop();
        delete map._positions[h];
        delete map._values[h];
        return true;
    }

    /// @notice Whether `key` is in the map.
    function contains(Map storage map, bytes memory key) internal view returns (bool) {
        return map._positions[keccak256(key)] != 0;
    }

    /// @notice Number of entries.
    function length(Map storage map) internal view returns (uint256) {
        return map._keys.length;
    }

    /// @notice The entry at `index` (0-based, enumeration order); reverts with
    ///         BytesMapIndexOutOfBounds if `index >= length`.
    function at(Map storage map, uint256 index) internal view returns (bytes memory key, bytes memory value) {
        uint256 len = map._keys.length;
        if (index >= len) revert BytesMapIndexOutOfBounds(index, len);
        key = map._keys[index];
        value = map._values[keccak256(key)];
    }

    /// @notice All keys, in enumeration order (O(total key bytes) gas).
    function keys(Map storage map) internal view returns (bytes[] memory) {
        return map._keys;
    }

    /// @notice Removes every entry (O(n + total bytes) gas).
    function clear(Map storage map) internal {
        uint256 len = map._keys.length;
        for (uint256 i = 0; i < len; ++i) {
            bytes32 h = keccak256(map._keys[i]);
            delete map._positions[h];
            delete map._values[h];
        }
        delete map._keys;
    }
}
