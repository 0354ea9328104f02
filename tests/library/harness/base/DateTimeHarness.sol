// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/base/DateTime.sol";

/// @notice Test harness exposing every DateTime function (plus batched variants for property tests).
contract DateTimeHarness {
    function timestampFromDate(uint256 y, uint256 m, uint256 d) external pure returns (uint256) {
        return DateTime.timestampFromDate(y, m, d);
    }
    function timestampFromDateTime(uint256 y, uint256 m, uint256 d, uint256 h, uint256 mi, uint256 s)
        external pure returns (uint256)
    {
        return DateTime.timestampFromDateTime(y, m, d, h, mi, s);
    }
    function timestampToDate(uint256 t) external pure returns (uint256, uint256, uint256) {
        return DateTime.timestampToDate(t);
    }
    function timestampToDateTime(uint256 t)
        external pure returns (uint256, uint256, uint256, uint256, uint256, uint256)
    {
        return DateTime.timestampToDateTime(t);
    }
    function isValidDate(uint256 y, uint256 m, uint256 d) external pure returns (bool) {
        return DateTime.isValidDate(y, m, d);
    }
    function isValidDateTime(uint256 y, uint256 m, uint256 d, uint256 h, uint256 mi, uint256 s)
        external pure returns (bool)
    {
        return DateTime.isValidDateTime(y, m, d, h, mi, s);
    }
    function isLeapYear(uint256 y) external pure returns (bool) { return DateTime.isLeapYear(y); }
    function daysInMonth(uint256 y, uint256 m) external pure returns (uint256) { return DateTime.daysInMonth(y, m); }
    function dayOfWeek(uint256 t) external pure returns (uint256) { return DateTime.dayOfWeek(t); }
    function getYear(uint256 t) external pure returns (uint256) { return DateTime.getYear(t); }
    function getMonth(uint256 t) external pure returns (uint256) { return DateTime.getMonth(t); }
    function getDay(uint256 t) external pure returns (uint256) { return DateTime.getDay(t); }
    function getHour(uint256 t) external pure returns (uint256) { return DateTime.getHour(t); }
    function getMinute(uint256 t) external pure returns (uint256) { return DateTime.getMinute(t); }
    function getSecond(uint256 t) external pure returns (uint256) { return DateTime.getSecond(t); }

    /// @dev op: 0 addYears, 1 addMonths, 2 addDays, 3 addHours, 4 addMinutes, 5 addSeconds,
    ///      6 subYears, 7 subMonths, 8 subDays, 9 subHours, 10 subMinutes, 11 subSeconds.
    function arith(uint256 op, uint256 t, uint256 n) public pure returns (uint256) {
        if (op == 0) return DateTime.addYears(t, n);
        if (op == 1) return DateTime.addMonths(t, n);
        if (op == 2) return DateTime.addDays(t, n);
        if (op == 3) return DateTime.addHours(t, n);
        if (op == 4) return DateTime.addMinutes(t, n);
        if (op == 5) return DateTime.addSeconds(t, n);
        if (op == 6) return DateTime.subYears(t, n);
        if (op == 7) return DateTime.subMonths(t, n);
        if (op == 8) return DateTime.subDays(t, n);
        if (op == 9) return DateTime.subHours(t, n);
        if (op == 10) return DateTime.subMinutes(t, n);
        return DateTime.subSeconds(t, n);
    }

    /// @dev op: 0 diffYears, 1 diffMonths, 2 diffDays, 3 diffHours, 4 diffMinutes, 5 diffSeconds.
    function diff(uint256 op, uint256 from, uint256 to) public pure returns (uint256) {
        if (op == 0) return DateTime.diffYears(from, to);
        if (op == 1) return DateTime.diffMonths(from, to);
        if (op == 2) return DateTime.diffDays(from, to);
        if (op == 3) return DateTime.diffHours(from, to);
        if (op == 4) return DateTime.diffMinutes(from, to);
        return DateTime.diffSeconds(from, to);
    }

    // ---------------------------------------------------------------- batched

    /// @dev Per timestamp: [year, month, day, hour, minute, second, dayOfWeek, getYear, getMonth, getDay, getHour,
    ///      getMinute, getSecond, timestampFromDateTime(parts), timestampFromDate(year, month, day), timestampToDate
    ///      year, month, day].
    function describe(uint256[] calldata ts) external pure returns (uint256[18][] memory rows) {
        rows = new uint256[18][](ts.length);
        for (uint256 i = 0; i < ts.length; i++) rows[i] = _describe(ts[i]);
    }

    function _describe(uint256 t) private pure returns (uint256[18] memory r) {
        (r[0], r[1], r[2], r[3], r[4], r[5]) = DateTime.timestampToDateTime(t);
        r[6] = DateTime.dayOfWeek(t);
        r[7] = DateTime.getYear(t);
        r[8] = DateTime.getMonth(t);
        r[9] = DateTime.getDay(t);
        r[10] = DateTime.getHour(t);
        r[11] = DateTime.getMinute(t);
        r[12] = DateTime.getSecond(t);
        r[13] = DateTime.timestampFromDateTime(r[0], r[1], r[2], r[3], r[4], r[5]);
        r[14] = DateTime.timestampFromDate(r[0], r[1], r[2]);
        (r[15], r[16], r[17]) = DateTime.timestampToDate(t);
    }

    /// @dev timestampFromDateTime of each valid [year, month, day, hour, minute, second].
    function fromDateTimes(uint256[6][] calldata dts) external pure returns (uint256[] memory ts) {
        ts = new uint256[](dts.length);
        for (uint256 i = 0; i < dts.length; i++) {
            uint256[6] calldata x = dts[i];
            ts[i] = DateTime.timestampFromDateTime(x[0], x[1], x[2], x[3], x[4], x[5]);
        }
    }

    /// @dev isValidDate and isValidDateTime of each [year, month, day, hour, minute, second].
    function validity(uint256[6][] calldata dts) external pure returns (bool[] memory date, bool[] memory dateTime) {
        date = new bool[](dts.length);
        dateTime = new bool[](dts.length);
        for (uint256 i = 0; i < dts.length; i++) {
            uint256[6] calldata x = dts[i];
            date[i] = DateTime.isValidDate(x[0], x[1], x[2]);
            dateTime[i] = DateTime.isValidDateTime(x[0], x[1], x[2], x[3], x[4], x[5]);
        }
    }

    /// @dev isLeapYear and the 12 month lengths of each year.
    function calendar(uint256[] calldata years_) external pure returns (bool[] memory leap, uint256[12][] memory dim) {
        leap = new bool[](years_.length);
        dim = new uint256[12][](years_.length);
        for (uint256 i = 0; i < years_.length; i++) {
            leap[i] = DateTime.isLeapYear(years_[i]);
            for (uint256 m = 1; m <= 12; m++) dim[i][m - 1] = DateTime.daysInMonth(years_[i], m);
        }
    }

    /// @dev arith(op, ts[i], ns[i]) for each i.
    function arithMany(uint256 op, uint256[] calldata ts, uint256[] calldata ns) external pure returns (uint256[] memory r) {
        r = new uint256[](ts.length);
        for (uint256 i = 0; i < ts.length; i++) r[i] = arith(op, ts[i], ns[i]);
    }

    /// @dev Per pair: [diffYears, diffMonths, diffDays, diffHours, diffMinutes, diffSeconds].
    function diffMany(uint256[] calldata from, uint256[] calldata to) external pure returns (uint256[6][] memory r) {
        r = new uint256[6][](from.length);
        for (uint256 i = 0; i < from.length; i++) {
            for (uint256 op = 0; op < 6; op++) r[i][op] = diff(op, from[i], to[i]);
        }
    }
}
