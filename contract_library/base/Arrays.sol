// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Arrays
/// @notice Sorting, de-duplication, search, aggregation and removal helpers for uint256[] and address[] arrays.
/// @dev Memory functions work in place where documented and also return the array for chaining.
///      address[] memory overloads reuse the uint256[] code: an address element in memory is one 32-byte word
///      holding the address zero-extended to 256 bits, so the two array layouts are identical and the
///      uint256 order equals the address order.
library Arrays {
    /// @notice The array is empty but the operation needs at least one element.
    error ArraysEmpty();
    /// @notice `index` is not below the array `length`.
    error ArraysIndexOutOfBounds(uint256 index, uint256 length);
    /// @notice The sum of the elements exceeds type(uint256).max.
    error ArraysSumOverflow();

    /// @dev Partitions at most this long (hi - lo) are finished with insertion sort.
    uint256 private constant INSERTION_THRESHOLD = 12;

    // ------------------------------------------------------------------
    // sort
    // ------------------------------------------------------------------

    /// @notice Sorts `a` ascending in place (quicksort with median-of-three pivot, insertion sort for short runs).
    /// @return The same (now sorted) array.
    function sort(uint256[] memory a) internal pure returns (uint256[] memory) {
        if (a.length > 1) {
            uint256 first;
            assembly ("memory-safe") {
                first := add(a, 0x20)
            }
            unchecked {
                _quickSort(first, first + ((a.length - 1) << 5));
            }
        }
        return a;
    }

    /// @notice Sorts `a` ascending (by numeric address value) in place.
    /// @return The same (now sorted) array.
    function sort(address[] memory a) internal pure returns (address[] memory) {
        sort(_asUints(a));
        return a;
    }

    /// @dev Sorts the words at memory addresses lo..hi (inclusive, 32 bytes apart, hi >= lo). Works on
    ///      addresses rather than indices so no access pays for a bounds check; the callers pass the
    ///      first and last element of one array. Recurses into the smaller partition and loops on the
    ///      larger, so the recursion depth stays O(log n).
    function _quickSort(uint256 lo, uint256 hi) private pure {
        unchecked {
            while (hi - lo > INSERTION_THRESHOLD << 5) {
                uint256 mid = lo + (((hi - lo) >> 6) << 5);
                // Median of three: afterwards *lo <= *mid <= *hi.
                if (_load(mid) < _load(lo)) _swapWords(lo, mid);
                if (_load(hi) < _load(lo)) _swapWords(lo, hi);
                if (_load(hi) < _load(mid)) _swapWords(mid, hi);
                uint256 pivot = _load(mid);
                // Hoare partition: ends with *lo..*j <= pivot <= *(j+1)..*hi, lo <= j < hi.
                uint256 i = lo;
                uint256 j = hi;
                while (true) {
                    while (_load(i) < pivot) i += 32;
                    while (_load(j) > pivot) j -= 32;
                    if (i >= j) break;
                    _swapWords(i, j);
                    i += 32;
                    j -= 32; // j > i >= lo here, so j stays >= lo
                }
                if (j - lo < hi - j) {
                    _quickSort(lo, j);
                    lo = j + 32;
                } else {
                    _quickSort(j + 32, hi);
                    hi = j;
                }
            }
            // Insertion sort of the short remainder.
            for (uint256 k = lo + 32; k <= hi; k += 32) {
                uint256 v = _load(k);
                uint256 m = k;
                while (m > lo && _load(m - 32) > v) {
                    _store(m, _load(m - 32));
                    m -= 32;
                }
                _store(m, v);
            }
        }
    }

    function _load(uint256 ptr) private pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := mload(ptr)
        }
    }

    function _store(uint256 ptr, uint256 v) private pure {
        assembly ("memory-safe") {
            mstore(ptr, v)
        }
    }

    function _swapWords(uint256 p, uint256 q) private pure {
        assembly ("memory-safe") {
            let t := mload(p)
            mstore(p, mload(q))
            mstore(q, t)
        }
    }

    /// @dev Swaps a[i] and a[j].
    function _swap(uint256[] memory a, uint256 i, uint256 j) private pure {
        (a[i], a[j]) = (a[j], a[i]);
    }

    // ------------------------------------------------------------------
    // distinct / reverse
    // ------------------------------------------------------------------

    /// @notice A new array with the elements of `a` without duplicates, keeping the first occurrence of each
    ///         value in its original order. O(n * distinct) comparisons.
    function distinct(uint256[] memory a) internal pure returns (uint256[] memory out) {
        out = new uint256[](a.length);
        uint256 n = 0;
        for (uint256 i = 0; i < a.length; i++) {
            uint256 v = a[i];
            bool seen = false;
            for (uint256 j = 0; j < n; j++) {
                if (out[j] == v) {
                    seen = true;
                    break;
                }
            }
            if (!seen) out[n++] = v;
        }
        // Shrink the length word to the number of distinct values: n <= a.length, so the array only
        // gets shorter and stays inside the memory it was allocated with.
        assembly {
            mstore(out, n)
        }
    }

    /// @notice A new array with the addresses of `a` without duplicates, first occurrences in original order.
    function distinct(address[] memory a) internal pure returns (address[] memory) {
        return _asAddresses(distinct(_asUints(a)));
    }

    /// @notice Reverses `a` in place.
    /// @return The same (now reversed) array.
    function reverse(uint256[] memory a) internal pure returns (uint256[] memory) {
        uint256 n = a.length;
        for (uint256 i = 0; i < n / 2; i++) {
            _swap(a, i, n - 1 - i);
        }
        return a;
    }

    /// @notice Reverses `a` in place.
    /// @return The same (now reversed) array.
    function reverse(address[] memory a) internal pure returns (address[] memory) {
        reverse(_asUints(a));
        return a;
    }

    // ------------------------------------------------------------------
    // search
    // ------------------------------------------------------------------

    /// @notice The index of the first element equal to `value`: (true, index), or (false, 0) if absent.
    function indexOf(uint256[] memory a, uint256 value) internal pure returns (bool found, uint256 index) {
        for (uint256 i = 0; i < a.length; i++) {
            if (a[i] == value) return (true, i);
        }
        return (false, 0);
    }

    /// @notice The index of the first element equal to `value`: (true, index), or (false, 0) if absent.
    function indexOf(address[] memory a, address value) internal pure returns (bool found, uint256 index) {
        return indexOf(_asUints(a), uint256(uint160(value)));
    }

    /// @notice Whether `a` contains `value`.
    function contains(uint256[] memory a, uint256 value) internal pure returns (bool found) {
        (found, ) = indexOf(a, value);
    }

    /// @notice Whether `a` contains `value`.
    function contains(address[] memory a, address value) internal pure returns (bool found) {
        (found, ) = indexOf(a, value);
    }

    // ------------------------------------------------------------------
    // aggregates
    // ------------------------------------------------------------------

    /// @notice The sum of the elements (0 for an empty array); reverts with ArraysSumOverflow on overflow.
    function sum(uint256[] memory a) internal pure returns (uint256 total) {
        for (uint256 i = 0; i < a.length; i++) {
            uint256 v = a[i];
            if (v > type(uint256).max - total) revert ArraysSumOverflow();
            total += v;
        }
    }

    /// @notice The largest element; reverts with ArraysEmpty for an empty array.
    function max(uint256[] memory a) internal pure returns (uint256 result) {
        if (a.length == 0) revert ArraysEmpty();
        result = a[0];
        for (uint256 i = 1; i < a.length; i++) {
            if (a[i] > result) result = a[i];
        }
    }

    /// @notice The smallest element; reverts with ArraysEmpty for an empty array.
    function min(uint256[] memory a) internal pure returns (uint256 result) {
        if (a.length == 0) revert ArraysEmpty();
        result = a[0];
        for (uint256 i = 1; i < a.length; i++) {
            if (a[i] < result) result = a[i];
        }
    }

    // ------------------------------------------------------------------
    // storage removal
    // ------------------------------------------------------------------

    /// @notice Removes `arr[index]` by moving the last element into its place and popping (O(1), order not kept).
    /// @dev Reverts with ArraysIndexOutOfBounds(index, length) when `index >= arr.length`.
    function removeSwap(uint256[] storage arr, uint256 index) internal {
        uint256 last = arr.length;
        if (index >= last) revert ArraysIndexOutOfBounds(index, last);
        last -= 1; // arr.length > index >= 0, so no underflow
        if (index != last) arr[index] = arr[last];
        arr.pop();
    }

    /// @notice Removes `arr[index]` by moving the last element into its place and popping (O(1), order not kept).
    /// @dev Reverts with ArraysIndexOutOfBounds(index, length) when `index >= arr.length`.
    function removeSwap(address[] storage arr, uint256 index) internal {
        uint256 last = arr.length;
        if (index >= last) revert ArraysIndexOutOfBounds(index, last);
        last -= 1;
        if (index != last) arr[index] = arr[last];
        arr.pop();
    }

    /// @notice Removes `arr[index]` and shifts the later elements down one place (keeps order, O(n) writes).
    /// @dev Reverts with ArraysIndexOutOfBounds(index, length) when `index >= arr.length`.
    function removeOrdered(uint256[] storage arr, uint256 index) internal {
        uint256 len = arr.length;
        if (index >= len) revert ArraysIndexOutOfBounds(index, len);
        for (uint256 i = index; i + 1 < len; i++) {
            arr[i] = arr[i + 1];
        }
        arr.pop();
    }

    /// @notice Removes `arr[index]` and shifts the later elements down one place (keeps order, O(n) writes).
    /// @dev Reverts with ArraysIndexOutOfBounds(index, length) when `index >= arr.length`.
    function removeOrdered(address[] storage arr, uint256 index) internal {
        uint256 len = arr.length;
        if (index >= len) revert ArraysIndexOutOfBounds(index, len);
        for (uint256 i = index; i + 1 < len; i++) {
            arr[i] = arr[i + 1];
        }
        arr.pop();
    }

    // ------------------------------------------------------------------
    // layout casts
    // ------------------------------------------------------------------

    /// @dev Reinterprets an address[] memory as uint256[] memory (identical layout, see the library notes).
    function _asUints(address[] memory a) private pure returns (uint256[] memory r) {
        assembly {
            r := a
        }
    }

    /// @dev Reinterprets a uint256[] memory as address[] memory; only used on arrays whose every element
    ///      came from an address[] (so each fits in 160 bits).
    function _asAddresses(uint256[] memory a) private pure returns (address[] memory r) {
        assembly {
            r := a
        }
    }
}
