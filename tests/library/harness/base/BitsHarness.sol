// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/base/Bits.sol";

/// @notice Test harness exposing every Bits function (plus a batched popCount).
contract BitsHarness {
    function get(uint256 w, uint256 i) external pure returns (bool) { return Bits.get(w, i); }
    function set(uint256 w, uint256 i) external pure returns (uint256) { return Bits.set(w, i); }
    function clear(uint256 w, uint256 i) external pure returns (uint256) { return Bits.clear(w, i); }
    function toggle(uint256 w, uint256 i) external pure returns (uint256) { return Bits.toggle(w, i); }
    function popCount(uint256 w) external pure returns (uint256) { return Bits.popCount(w); }
    function msb(uint256 w) external pure returns (uint256) { return Bits.msb(w); }
    function lsb(uint256 w) external pure returns (uint256) { return Bits.lsb(w); }

    /// @dev For each word: popCount, msb and lsb (msb/lsb of 0 reported as 0 here).
    function analyze(uint256[] calldata ws)
        external pure returns (uint256[] memory pops, uint256[] memory msbs, uint256[] memory lsbs)
    {
        pops = new uint256[](ws.length);
        msbs = new uint256[](ws.length);
        lsbs = new uint256[](ws.length);
        for (uint256 k = 0; k < ws.length; k++) {
            uint256 w = ws[k];
            pops[k] = Bits.popCount(w);
            if (w != 0) {
                msbs[k] = Bits.msb(w);
                lsbs[k] = Bits.lsb(w);
            }
        }
    }

    /// @dev get, set, clear and toggle of `w` at each index in `idx`.
    function ops(uint256 w, uint256[] calldata idx)
        external pure returns (bool[] memory got, uint256[] memory sets, uint256[] memory clears, uint256[] memory toggles)
    {
        got = new bool[](idx.length);
        sets = new uint256[](idx.length);
        clears = new uint256[](idx.length);
        toggles = new uint256[](idx.length);
        for (uint256 k = 0; k < idx.length; k++) {
            got[k] = Bits.get(w, idx[k]);
            sets[k] = Bits.set(w, idx[k]);
            clears[k] = Bits.clear(w, idx[k]);
            toggles[k] = Bits.toggle(w, idx[k]);
        }
    }
}
