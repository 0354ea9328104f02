// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title DateTime
/// @notice UTC calendar math on Unix timestamps: date <-> timestamp conversion, validation, weekdays, calendar-aware add/sub and differences.
/// @dev Proleptic Gregorian calendar, no leap seconds (every day has 86400 s), timestamps are uint256 seconds since
///      1970-01-01T00:00:00Z, so dates start in 1970. Conversions use Howard Hinnant's `days_from_civil` /
///      `civil_from_days` algorithms (400-year eras, years counted from March 1). There is no upper year bound:
///      every uint256 timestamp converts to a date, and results too large for uint256 revert with Panic(0x11).
library DateTime {
    uint256 internal constant SECONDS_PER_DAY = 86400;
    uint256 internal constant SECONDS_PER_HOUR = 3600;
    uint256 internal constant SECONDS_PER_MINUTE = 60;
    /// @dev The first year a timestamp can express.
    uint256 internal constant MIN_YEAR = 1970;

    // ISO 8601 weekday numbers, as returned by dayOfWeek.
    uint256 internal constant MONDAY = 1;
    uint256 internal constant TUESDAY = 2;
    uint256 internal constant WEDNESDAY = 3;
    uint256 internal constant THURSDAY = 4;
    uint256 internal constant FRIDAY = 5;
    uint256 internal constant SATURDAY = 6;
    uint256 internal constant SUNDAY = 7;

    /// @dev Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar.
    uint256 private constant DAYS_TO_EPOCH = 719468;
    /// @dev Days in a 400-year era.
    uint256 private constant DAYS_PER_ERA = 146097;

    /// @notice `year` is before 1970.
    error DateTimeInvalidYear(uint256 year);
    /// @notice `month` is not in 1..12.
    error DateTimeInvalidMonth(uint256 month);
    /// @notice `day` is not in 1..daysInMonth(year, month).
    error DateTimeInvalidDay(uint256 year, uint256 month, uint256 day);
    /// @notice `hour` is not in 0..23.
    error DateTimeInvalidHour(uint256 hour);
    /// @notice `minute` is not in 0..59.
    error DateTimeInvalidMinute(uint256 minute);
    /// @notice `second` is not in 0..59.
    error DateTimeInvalidSecond(uint256 second);
    /// @notice A subtraction would land before 1970-01-01T00:00:00Z.
    error DateTimeBeforeEpoch();
    /// @notice A difference was asked for with `fromTimestamp` later than `toTimestamp`.
    error DateTimeFromAfterTo(uint256 fromTimestamp, uint256 toTimestamp);

    // ------------------------------------------------------------------ conversion

    /// @notice The timestamp of `year`-`month`-`day` at 00:00:00 UTC; reverts naming the first invalid field.
    function timestampFromDate(uint256 year, uint256 month, uint256 day) internal pure returns (uint256) {
        _checkDate(year, month, day);
        return _daysFromCivil(year, month, day) * SECONDS_PER_DAY;
    }

    /// @notice The timestamp of the given UTC date and time; reverts naming the first invalid field.
    function timestampFromDateTime(uint256 year, uint256 month, uint256 day, uint256 hour, uint256 minute, uint256 second)
        internal
        pure
        returns (uint256)
    {
        _checkDate(year, month, day);
        if (hour > 23) revert DateTimeInvalidHour(hour);
        if (minute > 59) revert DateTimeInvalidMinute(minute);
        if (second > 59) revert DateTimeInvalidSecond(second);
        return _daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * SECONDS_PER_HOUR
            + minute * SECONDS_PER_MINUTE + second;
    }

    /// @notice The UTC calendar date of `timestamp`.
    function timestampToDate(uint256 timestamp) internal pure returns (uint256 year, uint256 month, uint256 day) {
        return _civilFromDays(timestamp / SECONDS_PER_DAY);
    }

    /// @notice The UTC calendar date and time of `timestamp`.
    function timestampToDateTime(uint256 timestamp)
        internal
        pure
        returns (uint256 year, uint256 month, uint256 day, uint256 hour, uint256 minute, uint256 second)
    {
        (year, month, day) = _civilFromDays(timestamp / SECONDS_PER_DAY);
        uint256 secs = timestamp % SECONDS_PER_DAY;
        hour = secs / SECONDS_PER_HOUR;
        minute = (secs % SECONDS_PER_HOUR) / SECONDS_PER_MINUTE;
        second = secs % SECONDS_PER_MINUTE;
    }

    // ------------------------------------------------------------------ validation and calendar facts

    /// @notice Whether `year`-`month`-`day` is a real date from 1970 on (what timestampFromDate accepts).
    function isValidDate(uint256 year, uint256 month, uint256 day) internal pure returns (bool) {
        return year >= MIN_YEAR && month >= 1 && month <= 12 && day >= 1 && day <= _daysInMonth(year, month);
    }

    /// @notice Whether the date is valid (see isValidDate) and the time is within 00:00:00..23:59:59.
    function isValidDateTime(uint256 year, uint256 month, uint256 day, uint256 hour, uint256 minute, uint256 second)
        internal
        pure
        returns (bool)
    {
        return isValidDate(year, month, day) && hour < 24 && minute < 60 && second < 60;
    }

    /// @notice Whether `year` is a Gregorian leap year (divisible by 4, except centuries not divisible by 400).
    function isLeapYear(uint256 year) internal pure returns (bool) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    /// @notice The number of days (28..31) in `month` of `year`; DateTimeInvalidMonth unless 1 <= month <= 12.
    function daysInMonth(uint256 year, uint256 month) internal pure returns (uint256) {
        if (month < 1 || month > 12) revert DateTimeInvalidMonth(month);
        return _daysInMonth(year, month);
    }

    /// @notice The ISO weekday of `timestamp`: 1 = Monday ... 7 = Sunday.
    function dayOfWeek(uint256 timestamp) internal pure returns (uint256) {
        // Day 0 (1970-01-01) was a Thursday.
        return ((timestamp / SECONDS_PER_DAY + 3) % 7) + 1;
    }

    // ------------------------------------------------------------------ getters

    /// @notice The UTC year of `timestamp`.
    function getYear(uint256 timestamp) internal pure returns (uint256 year) {
        (year,,) = _civilFromDays(timestamp / SECONDS_PER_DAY);
    }

    /// @notice The UTC month (1..12) of `timestamp`.
    function getMonth(uint256 timestamp) internal pure returns (uint256 month) {
        (, month,) = _civilFromDays(timestamp / SECONDS_PER_DAY);
    }

    /// @notice The UTC day of the month (1..31) of `timestamp`.
    function getDay(uint256 timestamp) internal pure returns (uint256 day) {
        (,, day) = _civilFromDays(timestamp / SECONDS_PER_DAY);
    }

    /// @notice The UTC hour (0..23) of `timestamp`.
    function getHour(uint256 timestamp) internal pure returns (uint256) {
        return (timestamp % SECONDS_PER_DAY) / SECONDS_PER_HOUR;
    }

    /// @notice The minute (0..59) of `timestamp`.
    function getMinute(uint256 timestamp) internal pure returns (uint256) {
        return (timestamp % SECONDS_PER_HOUR) / SECONDS_PER_MINUTE;
    }

    /// @notice The second (0..59) of `timestamp`.
    function getSecond(uint256 timestamp) internal pure returns (uint256) {
        return timestamp % SECONDS_PER_MINUTE;
    }

    // ------------------------------------------------------------------ arithmetic

    /// @notice `timestamp` moved `numYears` calendar years later, same time of day; a Feb 29 becomes Feb 28 in a common year.
    function addYears(uint256 timestamp, uint256 numYears) internal pure returns (uint256) {
        (uint256 year, uint256 month, uint256 day) = _civilFromDays(timestamp / SECONDS_PER_DAY);
        return _fromClampedDate(year + numYears, month, day, timestamp);
    }

    /// @notice `timestamp` moved `numMonths` calendar months later, same time of day; the day is clamped to the target month's last day.
    function addMonths(uint256 timestamp, uint256 numMonths) internal pure returns (uint256) {
        (uint256 year, uint256 month, uint256 day) = _civilFromDays(timestamp / SECONDS_PER_DAY);
        uint256 total = year * 12 + (month - 1) + numMonths;
        return _fromClampedDate(total / 12, (total % 12) + 1, day, timestamp);
    }

    /// @notice `timestamp` plus `numDays` days.
    function addDays(uint256 timestamp, uint256 numDays) internal pure returns (uint256) {
        return timestamp + numDays * SECONDS_PER_DAY;
    }

    /// @notice `timestamp` plus `numHours` hours.
    function addHours(uint256 timestamp, uint256 numHours) internal pure returns (uint256) {
        return timestamp + numHours * SECONDS_PER_HOUR;
    }

    /// @notice `timestamp` plus `numMinutes` minutes.
    function addMinutes(uint256 timestamp, uint256 numMinutes) internal pure returns (uint256) {
        return timestamp + numMinutes * SECONDS_PER_MINUTE;
    }

    /// @notice `timestamp` plus `numSeconds` seconds.
    function addSeconds(uint256 timestamp, uint256 numSeconds) internal pure returns (uint256) {
        return timestamp + numSeconds;
    }

    /// @notice `timestamp` moved `numYears` calendar years earlier (Feb 29 clamps to Feb 28); DateTimeBeforeEpoch before 1970.
    function subYears(uint256 timestamp, uint256 numYears) internal pure returns (uint256) {
        (uint256 year, uint256 month, uint256 day) = _civilFromDays(timestamp / SECONDS_PER_DAY);
        if (numYears > year - MIN_YEAR) revert DateTimeBeforeEpoch();
        return _fromClampedDate(year - numYears, month, day, timestamp);
    }

    /// @notice `timestamp` moved `numMonths` calendar months earlier (day clamped to the month's end); DateTimeBeforeEpoch before 1970.
    function subMonths(uint256 timestamp, uint256 numMonths) internal pure returns (uint256) {
        (uint256 year, uint256 month, uint256 day) = _civilFromDays(timestamp / SECONDS_PER_DAY);
        uint256 total = year * 12 + (month - 1);
        if (numMonths > total - MIN_YEAR * 12) revert DateTimeBeforeEpoch();
        total -= numMonths;
        return _fromClampedDate(total / 12, (total % 12) + 1, day, timestamp);
    }

    /// @notice `timestamp` minus `numDays` days; DateTimeBeforeEpoch if that is before 1970.
    function subDays(uint256 timestamp, uint256 numDays) internal pure returns (uint256) {
        return _sub(timestamp, numDays * SECONDS_PER_DAY);
    }

    /// @notice `timestamp` minus `numHours` hours; DateTimeBeforeEpoch if that is before 1970.
    function subHours(uint256 timestamp, uint256 numHours) internal pure returns (uint256) {
        return _sub(timestamp, numHours * SECONDS_PER_HOUR);
    }

    /// @notice `timestamp` minus `numMinutes` minutes; DateTimeBeforeEpoch if that is before 1970.
    function subMinutes(uint256 timestamp, uint256 numMinutes) internal pure returns (uint256) {
        return _sub(timestamp, numMinutes * SECONDS_PER_MINUTE);
    }

    /// @notice `timestamp` minus `numSeconds` seconds; DateTimeBeforeEpoch if that is before 1970.
    function subSeconds(uint256 timestamp, uint256 numSeconds) internal pure returns (uint256) {
        return _sub(timestamp, numSeconds);
    }

    // ------------------------------------------------------------------ differences (complete units elapsed)

    /// @notice The number of complete days from `fromTimestamp` to `toTimestamp` (rounded down); DateTimeFromAfterTo if from > to.
    function diffDays(uint256 fromTimestamp, uint256 toTimestamp) internal pure returns (uint256) {
        return _diff(fromTimestamp, toTimestamp) / SECONDS_PER_DAY;
    }

    /// @notice The number of complete hours from `fromTimestamp` to `toTimestamp`; DateTimeFromAfterTo if from > to.
    function diffHours(uint256 fromTimestamp, uint256 toTimestamp) internal pure returns (uint256) {
        return _diff(fromTimestamp, toTimestamp) / SECONDS_PER_HOUR;
    }

    /// @notice The number of complete minutes from `fromTimestamp` to `toTimestamp`; DateTimeFromAfterTo if from > to.
    function diffMinutes(uint256 fromTimestamp, uint256 toTimestamp) internal pure returns (uint256) {
        return _diff(fromTimestamp, toTimestamp) / SECONDS_PER_MINUTE;
    }

    /// @notice The number of seconds from `fromTimestamp` to `toTimestamp`; DateTimeFromAfterTo if from > to.
    function diffSeconds(uint256 fromTimestamp, uint256 toTimestamp) internal pure returns (uint256) {
        return _diff(fromTimestamp, toTimestamp);
    }

    /// @notice The number of complete calendar months from `fromTimestamp` to `toTimestamp`: the largest n with addMonths(from, n) <= to.
    /// @dev Reverts with DateTimeFromAfterTo if from > to. Jan 31 -> Feb 28 (common year) counts as one month, because
    ///      addMonths clamps Jan 31 + 1 month to Feb 28; Jan 15 12:00 -> Feb 15 11:59 is zero months.
    function diffMonths(uint256 fromTimestamp, uint256 toTimestamp) internal pure returns (uint256 count) {
        if (fromTimestamp > toTimestamp) revert DateTimeFromAfterTo(fromTimestamp, toTimestamp);
        (uint256 fromYear, uint256 fromMonth,) = _civilFromDays(fromTimestamp / SECONDS_PER_DAY);
        (uint256 toYear, uint256 toMonth,) = _civilFromDays(toTimestamp / SECONDS_PER_DAY);
        // Month boundaries crossed; one fewer if the last month is not yet complete. addMonths(from, count - 1)
        // lands in the month before to's month, hence before `to`, so one step back is always enough.
        count = (toYear * 12 + toMonth) - (fromYear * 12 + fromMonth);
        if (count != 0 && addMonths(fromTimestamp, count) > toTimestamp) count -= 1;
    }

    /// @notice The number of complete calendar years from `fromTimestamp` to `toTimestamp`: the largest n with addYears(from, n) <= to.
    /// @dev Reverts with DateTimeFromAfterTo if from > to. Feb 29 2024 -> Feb 28 2025 counts as one year (addYears clamps).
    function diffYears(uint256 fromTimestamp, uint256 toTimestamp) internal pure returns (uint256 count) {
        if (fromTimestamp > toTimestamp) revert DateTimeFromAfterTo(fromTimestamp, toTimestamp);
        count = getYear(toTimestamp) - getYear(fromTimestamp);
        if (count != 0 && addYears(fromTimestamp, count) > toTimestamp) count -= 1;
    }

    // ------------------------------------------------------------------ internals

    /// @dev Reverts naming the first invalid field of a date.
    function _checkDate(uint256 year, uint256 month, uint256 day) private pure {
        if (year < MIN_YEAR) revert DateTimeInvalidYear(year);
        if (month < 1 || month > 12) revert DateTimeInvalidMonth(month);
        if (day < 1 || day > _daysInMonth(year, month)) revert DateTimeInvalidDay(year, month, day);
    }

    /// @dev Days in `month` (1..12, not checked) of `year`.
    function _daysInMonth(uint256 year, uint256 month) private pure returns (uint256) {
        if (month == 2) return isLeapYear(year) ? 29 : 28;
        // April, June, September, November have 30 days.
        return (month == 4 || month == 6 || month == 9 || month == 11) ? 30 : 31;
    }

    /// @dev The timestamp of `year`-`month`-(`day` clamped to the month's end) at the time of day of `timestamp`.
    ///      `year` >= 1970 and 1 <= `month` <= 12 are guaranteed by the callers.
    function _fromClampedDate(uint256 year, uint256 month, uint256 day, uint256 timestamp)
        private
        pure
        returns (uint256)
    {
        uint256 last = _daysInMonth(year, month);
        if (day > last) day = last;
        return _daysFromCivil(year, month, day) * SECONDS_PER_DAY + timestamp % SECONDS_PER_DAY;
    }

    function _sub(uint256 timestamp, uint256 amount) private pure returns (uint256) {
        if (amount > timestamp) revert DateTimeBeforeEpoch();
        return timestamp - amount;
    }

    function _diff(uint256 fromTimestamp, uint256 toTimestamp) private pure returns (uint256) {
        if (fromTimestamp > toTimestamp) revert DateTimeFromAfterTo(fromTimestamp, toTimestamp);
        return toTimestamp - fromTimestamp;
    }

    /// @dev Days since 1970-01-01 of a valid date with year >= 1970 (Hinnant's days_from_civil). The year is
    ///      taken to start on March 1, so the leap day is the last day of its year.
    ///      Callers guarantee year >= 1970, 1 <= month <= 12 and 1 <= day <= 31, so only the final line can
    ///      overflow (for absurd years), and it is checked.
    function _daysFromCivil(uint256 year, uint256 month, uint256 day) private pure returns (uint256) {
        uint256 era;
        uint256 dayOfEra;
        unchecked {
            if (month <= 2) year -= 1; // January and February belong to the previous March-based year (>= 1969)
            era = year / 400;
            uint256 yearOfEra = year - era * 400; // 0..399
            // Day of the March-based year (0..365): month lengths from March repeat in a 153-day / 5-month pattern.
            uint256 dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
            dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear; // 0..146096
        }
        return era * DAYS_PER_ERA + dayOfEra - DAYS_TO_EPOCH;
    }

    /// @dev The date `dayNumber` days after 1970-01-01 (Hinnant's civil_from_days).
    ///      Every intermediate is bounded (dayNumber = timestamp / 86400 <= 2**256 / 86400), hence unchecked.
    function _civilFromDays(uint256 dayNumber) private pure returns (uint256 year, uint256 month, uint256 day) {
        unchecked {
            dayNumber += DAYS_TO_EPOCH; // days since 0000-03-01
            uint256 era = dayNumber / DAYS_PER_ERA;
            uint256 dayOfEra = dayNumber - era * DAYS_PER_ERA; // 0..146096
            // Remove the leap days before `dayOfEra` (one per 4 years, less one per century, plus one per era).
            uint256 yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365; // 0..399
            uint256 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100); // 0..365, from March 1
            uint256 mp = (5 * dayOfYear + 2) / 153; // 0..11, March = 0
            day = dayOfYear - (153 * mp + 2) / 5 + 1;
            month = mp < 10 ? mp + 3 : mp - 9;
            year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        }
    }
}
