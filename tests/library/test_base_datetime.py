"""contract_library/base/DateTime.sol through tests/library/harness/base/DateTimeHarness.sol,
against Python's datetime and calendar."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
MAX = 2**256 - 1
EPOCH = datetime(1970, 1, 1)
DAY = 86400
LAST = 253402300799  # 9999-12-31T23:59:59, the last second datetime can represent
ERA = 146097 * DAY  # seconds in 400 Gregorian years

ADD = {"years": 0, "months": 1, "days": 2, "hours": 3, "minutes": 4, "seconds": 5}
SUB = {k: v + 6 for k, v in ADD.items()}
UNIT = {"days": DAY, "hours": 3600, "minutes": 60, "seconds": 1}
DIFFS = ("years", "months", "days", "hours", "minutes", "seconds")



def _month_end(year: int, month: int, back: int, second: int) -> int:
    """A second in one of the last 4 days of a month (where clamping and leap days matter)."""
    last = calendar.monthrange(year, month)[1]
    return (datetime(year, month, last - back) - datetime(1970, 1, 1)) // timedelta(seconds=1) + second


timestamps = st.one_of(
    st.integers(0, LAST),
    st.integers(0, 200).map(lambda d: d * DAY),
    st.integers(0, 200).map(lambda d: LAST - d * DAY),
    st.builds(_month_end, st.integers(1970, 9999), st.integers(1, 12), st.integers(0, 3), st.integers(0, DAY - 1)),
)


def ts(dt: datetime) -> int:
    return (dt - EPOCH) // timedelta(seconds=1)


def dt(t: int) -> datetime:
    return EPOCH + timedelta(seconds=t)


def describe(t: int) -> list[int]:
    """The row DateTimeHarness.describe returns for `t`."""
    d = dt(t)
    parts = [d.year, d.month, d.day, d.hour, d.minute, d.second]
    day_start = t - t % DAY
    return [*parts, d.isoweekday(), *parts, t, day_start, d.year, d.month, d.day]


def add_months(d: datetime, n: int) -> datetime:
    y, m0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    return d.replace(year=y, month=m0 + 1, day=min(d.day, calendar.monthrange(y, m0 + 1)[1]))


def add_years(d: datetime, n: int) -> datetime:
    y = d.year + n
    return d.replace(year=y, day=min(d.day, calendar.monthrange(y, d.month)[1]))


def complete(add, a: datetime, b: datetime, n0: int) -> int:
    """The largest n with add(a, n) <= b, starting from the upper bound n0 (checked by brute force around it)."""
    n = n0
    while n > 0 and add(a, n) > b:
        n -= 1
    assert add(a, n) <= b
    if b.year < 9999:
        assert add(a, n + 1) > b
    return n


def diff_row(a: int, b: int) -> list[int]:
    da, db = dt(a), dt(b)
    years = complete(add_years, da, db, db.year - da.year)
    months = complete(add_months, da, db, (db.year - da.year) * 12 + db.month - da.month)
    s = b - a
    return [years, months, s // DAY, s // 3600, s // 60, s]


@pytest.fixture
def h(lib):
    return lib.deploy("DateTimeHarness")


# ---------------------------------------------------------------- conversion


def test_known_instants(h):
    cases = {
        0: (1970, 1, 1, 0, 0, 0, 4),                # epoch, a Thursday
        86399: (1970, 1, 1, 23, 59, 59, 4),
        86400: (1970, 1, 2, 0, 0, 0, 5),
        951782400: (2000, 2, 29, 0, 0, 0, 2),       # 2000 is leap (divisible by 400)
        2147483647: (2038, 1, 19, 3, 14, 7, 2),     # int32 overflow instant
        4107542400: (2100, 3, 1, 0, 0, 0, 1),       # 2100 is not leap: Feb 28 is followed by Mar 1
        4107542399: (2100, 2, 28, 23, 59, 59, 7),
        LAST: (9999, 12, 31, 23, 59, 59, 5),
    }
    for t, (y, mo, d, hh, mi, s, dow) in cases.items():
        assert h.functions.timestampToDateTime(t).call() == [y, mo, d, hh, mi, s]
        assert h.functions.timestampToDate(t).call() == [y, mo, d]
        assert h.functions.dayOfWeek(t).call() == dow
        assert h.functions.timestampFromDateTime(y, mo, d, hh, mi, s).call() == t
        assert h.functions.timestampFromDate(y, mo, d).call() == t - t % DAY
        getters = [h.functions.getYear, h.functions.getMonth, h.functions.getDay,
                   h.functions.getHour, h.functions.getMinute, h.functions.getSecond]
        assert [g(t).call() for g in getters] == [y, mo, d, hh, mi, s]


def test_month_boundaries(h):
    """The first and the last second of every month of common, leap (2000, 2024) and non-leap century (2100) years."""
    edges = []
    for year in (1970, 2000, 2024, 2100):
        for month in range(1, 13):
            first = ts(datetime(year, month, 1))
            edges += [first, first + calendar.monthrange(year, month)[1] * DAY - 1]
    edges += [ts(datetime(9999, 12, 1)), LAST, ts(datetime(2000, 2, 29, 12))]
    for i in range(0, len(edges), 32):
        chunk = edges[i:i + 32]
        assert h.functions.describe(chunk).call() == [describe(t) for t in chunk]


@SETTINGS
@given(st.lists(timestamps, min_size=1, max_size=10))
def test_describe_matches_datetime(h, ts_list):
    assert h.functions.describe(ts_list).call() == [describe(t) for t in ts_list]


@SETTINGS
@given(st.lists(st.datetimes(min_value=EPOCH, max_value=datetime(9999, 12, 31, 23, 59, 59)), min_size=1, max_size=25))
def test_from_date_time_matches_datetime(h, dts):
    dts = [d.replace(microsecond=0) for d in dts]
    rows = [[d.year, d.month, d.day, d.hour, d.minute, d.second] for d in dts]
    assert h.functions.fromDateTimes(rows).call() == [ts(d) for d in dts]


def test_far_future_and_max_timestamp(h):
    """Beyond year 9999: the calendar repeats every 400 years, and conversions round-trip up to 2**256 - 1."""
    bases = [0, 951782400, 4107542399, LAST]
    ks = [1, 25, 10**6, 10**60]
    ts_list = [b + k * ERA for b in bases for k in ks] + [MAX, MAX - MAX % DAY, MAX - 1]
    rows = h.functions.describe(ts_list).call()
    for t, row in zip(ts_list, rows):
        assert row[13] == t  # timestampFromDateTime(timestampToDateTime(t)) == t
        assert row[14] == t - t % DAY
        assert row[7:13] == row[0:6]
        assert row[15:18] == row[0:3]
        assert row[6] == (t // DAY + 3) % 7 + 1
    for i, b in enumerate(bases):
        base_row = describe(b)
        for j, k in enumerate(ks):
            row = rows[i * len(ks) + j]
            assert row[0] == base_row[0] + 400 * k
            assert row[1:6] == base_row[1:6]
            assert row[6] == base_row[6]  # 146097 days is a whole number of weeks


# ---------------------------------------------------------------- validation and calendar


def reference_valid_date(y: int, m: int, d: int) -> bool:
    return y >= 1970 and 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]


@SETTINGS
@given(st.lists(st.tuples(st.integers(1960, 9999), st.integers(0, 13), st.integers(0, 32),
                          st.integers(0, 25), st.integers(0, 61), st.integers(0, 61)), min_size=1, max_size=30))
def test_validity_matches_reference(h, rows):
    date, date_time = h.functions.validity([list(r) for r in rows]).call()
    assert date == [reference_valid_date(*r[:3]) for r in rows]
    assert date_time == [reference_valid_date(*r[:3]) and r[3] < 24 and r[4] < 60 and r[5] < 60 for r in rows]


def test_validity_edges(h):
    rows = [
        [1970, 1, 1, 0, 0, 0], [1969, 12, 31, 23, 59, 59], [0, 1, 1, 0, 0, 0],
        [2000, 2, 29, 23, 59, 59], [2100, 2, 29, 0, 0, 0], [2024, 2, 29, 0, 0, 0], [2023, 2, 29, 0, 0, 0],
        [2023, 4, 31, 0, 0, 0], [2023, 4, 30, 24, 0, 0], [2023, 4, 30, 0, 60, 0], [2023, 4, 30, 0, 0, 60],
        [2023, 0, 1, 0, 0, 0], [2023, 13, 1, 0, 0, 0], [2023, 1, 0, 0, 0, 0], [MAX, 12, 31, 0, 0, 0],
        [MAX, 1, 1, MAX, MAX, MAX], [10000, 2, 29, 0, 0, 0], [10001, 2, 29, 0, 0, 0],
    ]
    date, date_time = h.functions.validity(rows).call()
    assert date == [True, False, False, True, False, True, False, False, True, True, True,
                    False, False, False, True, True, True, False]
    assert date_time == [True, False, False, True, False, True, False, False, False, False, False,
                         False, False, False, True, False, True, False]


def test_calendar_facts(lib, h):
    years = [0, 1, 4, 100, 400, 1900, 1970, 1972, 2000, 2023, 2024, 2100, 2400, 9999, 10000, 10100, 2**255, MAX]
    leap, dim = h.functions.calendar(years).call()
    assert leap == [calendar.isleap(y) for y in years]
    assert dim == [[29 if m == 2 and calendar.isleap(y) else calendar.mdays[m] for m in range(1, 13)] for y in years]
    assert h.functions.isLeapYear(2000).call() is True
    assert h.functions.isLeapYear(2100).call() is False
    assert h.functions.daysInMonth(2100, 2).call() == 28
    for month in (0, 13, MAX):
        with lib.reverts(h, f"DateTimeInvalidMonth(month={month})"):
            h.functions.daysInMonth(2024, month).call()


def test_day_of_week(h):
    # 2024-01-01 was a Monday; walk two weeks
    start = ts(datetime(2024, 1, 1))
    for i in range(14):
        assert h.functions.dayOfWeek(start + i * DAY + 43210).call() == i % 7 + 1


def test_conversion_errors(lib, h):
    bad = [
        ((1969, 12, 31), "DateTimeInvalidYear(year=1969)"),
        ((0, 1, 1), "DateTimeInvalidYear(year=0)"),
        ((1969, 13, 40), "DateTimeInvalidYear(year=1969)"),  # the first bad field is named
        ((2024, 0, 1), "DateTimeInvalidMonth(month=0)"),
        ((2024, 13, 1), "DateTimeInvalidMonth(month=13)"),
        ((2024, 13, 0), "DateTimeInvalidMonth(month=13)"),
        ((2024, 1, 0), "DateTimeInvalidDay(year=2024, month=1, day=0)"),
        ((2024, 1, 32), "DateTimeInvalidDay(year=2024, month=1, day=32)"),
        ((2023, 2, 29), "DateTimeInvalidDay(year=2023, month=2, day=29)"),
        ((2100, 2, 29), "DateTimeInvalidDay(year=2100, month=2, day=29)"),
        ((2024, 4, 31), "DateTimeInvalidDay(year=2024, month=4, day=31)"),
    ]
    for (y, m, d), reason in bad:
        with lib.reverts(h, reason):
            h.functions.timestampFromDate(y, m, d).call()
        with lib.reverts(h, reason):
            h.functions.timestampFromDateTime(y, m, d, 0, 0, 0).call()
    for args, reason in (
        ((24, 0, 0), "DateTimeInvalidHour(hour=24)"),
        ((24, 60, 60), "DateTimeInvalidHour(hour=24)"),
        ((23, 60, 0), "DateTimeInvalidMinute(minute=60)"),
        ((23, 60, 60), "DateTimeInvalidMinute(minute=60)"),
        ((23, 59, 60), "DateTimeInvalidSecond(second=60)"),
        ((0, 0, MAX), f"DateTimeInvalidSecond(second={MAX})"),
    ):
        with lib.reverts(h, reason):
            h.functions.timestampFromDateTime(2024, 2, 29, *args).call()
    with lib.reverts(h, "DateTimeInvalidDay(year=2023, month=2, day=29)"):  # date checked before time
        h.functions.timestampFromDateTime(2023, 2, 29, 24, 60, 60).call()
    assert h.functions.timestampFromDateTime(2024, 2, 29, 23, 59, 59).call() == ts(datetime(2024, 2, 29, 23, 59, 59))


# ---------------------------------------------------------------- arithmetic


def test_month_end_clamping(h):
    def at(*a):
        return ts(datetime(*a))

    cases = [
        ("addMonths", at(2021, 1, 31, 10, 30, 5), 1, at(2021, 2, 28, 10, 30, 5)),
        ("addMonths", at(2020, 1, 31, 10, 30, 5), 1, at(2020, 2, 29, 10, 30, 5)),
        ("addMonths", at(2021, 1, 31), 2, at(2021, 3, 31)),
        ("addMonths", at(2021, 8, 31), 1, at(2021, 9, 30)),
        ("addMonths", at(2021, 12, 15), 1, at(2022, 1, 15)),
        ("addMonths", at(2021, 12, 15), 25, at(2024, 1, 15)),
        ("addYears", at(2020, 2, 29, 12), 1, at(2021, 2, 28, 12)),
        ("addYears", at(2020, 2, 29, 12), 4, at(2024, 2, 29, 12)),
        ("addYears", at(2096, 2, 29), 4, at(2100, 2, 28)),
        ("subMonths", at(2021, 3, 31, 1), 1, at(2021, 2, 28, 1)),
        ("subMonths", at(1971, 1, 31), 12, at(1970, 1, 31)),
        ("subMonths", at(2022, 1, 15), 1, at(2021, 12, 15)),
        ("subYears", at(2024, 2, 29), 1, at(2023, 2, 28)),
        ("subYears", at(2024, 2, 29, 23, 59, 59), 54, at(1970, 2, 28, 23, 59, 59)),
        ("addDays", at(2024, 2, 28, 7), 1, at(2024, 2, 29, 7)),
        ("subSeconds", 86400, 86400, 0),
        ("subDays", 86400, 1, 0),
        ("addYears", 0, 0, 0),
        ("subMonths", 0, 0, 0),
    ]
    for name, t, n, expected in cases:
        fn = {**{"add" + k.capitalize(): v for k, v in ADD.items()}, **{"sub" + k.capitalize(): v for k, v in SUB.items()}}
        assert h.functions.arith(fn[name], t, n).call() == expected, (name, dt(t), n)


def test_month_end_days_all_months(h):
    """Every one of the last 4 days of every month of 2023 and 2024, moved by 1..13 months and 1..5 years."""
    t_list = [_month_end(year, month, back, 3600 * back + 61)
              for year in (2023, 2024) for month in range(1, 13) for back in range(4)]
    months = [i % 13 + 1 for i in range(len(t_list))]
    years = [i % 5 + 1 for i in range(len(t_list))]
    for unit, ns in (("months", months), ("years", years)):
        for sub in (False, True):
            op = (SUB if sub else ADD)[unit]
            assert h.functions.arithMany(op, t_list, ns).call() == [
                reference_arith(unit, sub, t, n) for t, n in zip(t_list, ns)], (unit, sub)


def test_sub_before_epoch_and_overflow(lib, h):
    jan = ts(datetime(1970, 1, 31, 5))
    for op, t, n in (("years", jan, 1), ("years", ts(datetime(2024, 6, 1)), 55), ("months", jan, 1),
                     ("months", ts(datetime(1971, 1, 1)), 13), ("days", DAY - 1, 1), ("hours", 3599, 1),
                     ("minutes", 59, 1), ("seconds", 0, 1), ("seconds", 5, MAX), ("years", 0, MAX), ("months", 0, MAX)):
        with lib.reverts(h, "DateTimeBeforeEpoch()"):
            h.functions.arith(SUB[op], t, n).call()
    for op in ("days", "hours", "minutes"):  # n * unit overflows before the comparison
        with lib.reverts(h, "panic 0x11"):
            h.functions.arith(SUB[op], 0, MAX).call()
    for op in ADD:  # results beyond 2**256 - 1 revert (checked arithmetic)
        with lib.reverts(h, "panic 0x11"):
            h.functions.arith(ADD[op], MAX, MAX if op in ("years", "months") else 1).call()
    assert h.functions.arith(ADD["seconds"], MAX - 1, 1).call() == MAX


def _bounded(t: int, raw: int, unit: str, sub: bool) -> int:
    """An amount for (t, unit) that keeps the result within 1970..9999 (so datetime can check it)."""
    d = dt(t)
    if unit == "years":
        limit = d.year - 1970 if sub else 9999 - d.year
    elif unit == "months":
        limit = (d.year - 1970) * 12 + d.month - 1 if sub else (9999 - d.year) * 12 + 12 - d.month
    else:
        limit = (t if sub else LAST - t) // UNIT[unit]
    return raw % (limit + 1)


def reference_arith(unit: str, sub: bool, t: int, n: int) -> int:
    d = dt(t)
    if unit == "years":
        return ts(add_years(d, -n if sub else n))
    if unit == "months":
        return ts(add_months(d, -n if sub else n))
    delta = timedelta(seconds=n * UNIT[unit])
    return ts(d - delta if sub else d + delta)


@SETTINGS
@given(st.sampled_from(list(ADD)), st.booleans(),
       st.lists(st.tuples(timestamps, st.one_of(st.integers(0, 40), st.integers(0, 2**64))), min_size=1, max_size=25))
def test_arithmetic_matches_datetime(h, unit, sub, pairs):
    t_list = [t for t, _ in pairs]
    n_list = [_bounded(t, raw, unit, sub) for t, raw in pairs]
    op = (SUB if sub else ADD)[unit]
    assert h.functions.arithMany(op, t_list, n_list).call() == [
        reference_arith(unit, sub, t, n) for t, n in zip(t_list, n_list)]


# ---------------------------------------------------------------- differences


def test_diff_examples(lib, h):
    def at(*a):
        return ts(datetime(*a))

    pairs = [
        (at(2021, 1, 31), at(2021, 2, 28), [0, 1, 28, 672, 40320, 2419200]),
        (at(2021, 1, 31), at(2021, 2, 27, 23, 59, 59), [0, 0, 27, 671, 40319, 2419199]),
        (at(2021, 1, 15, 12), at(2021, 2, 15, 11, 59, 59), [0, 0, 30, 743, 44639, 2678399]),
        (at(2021, 1, 15, 12), at(2021, 2, 15, 12), [0, 1, 31, 744, 44640, 2678400]),
        (at(2024, 2, 29), at(2025, 2, 28), [1, 12, 365, 8760, 525600, 31536000]),
        (at(2024, 2, 28), at(2025, 2, 27), [0, 11, 365, 8760, 525600, 31536000]),
        (at(2023, 12, 31, 23, 59, 59), at(2024, 1, 1), [0, 0, 0, 0, 0, 1]),
        (0, LAST, diff_row(0, LAST)),
        (12345, 12345, [0, 0, 0, 0, 0, 0]),
    ]
    rows = h.functions.diffMany([a for a, _, _ in pairs], [b for _, b, _ in pairs]).call()
    assert rows == [expected for _, _, expected in pairs]
    assert [diff_row(a, b) for a, b, _ in pairs] == [expected for _, _, expected in pairs]
    for op, name in enumerate(DIFFS):
        with lib.reverts(h, "DateTimeFromAfterTo(fromTimestamp=101, toTimestamp=100)"):
            h.functions.diff(op, 101, 100).call()
    rows = h.functions.diffMany([MAX - 1, 0], [MAX, MAX]).call()
    assert rows[0] == [0, 0, 0, 0, 0, 1]
    assert rows[1][2:] == [MAX // DAY, MAX // 3600, MAX // 60, MAX]


@SETTINGS
@given(st.lists(st.tuples(timestamps, timestamps), min_size=1, max_size=10))
def test_diffs_match_reference(h, pairs):
    pairs = [(min(a, b), max(a, b)) for a, b in pairs]
    rows = h.functions.diffMany([a for a, _ in pairs], [b for _, b in pairs]).call()
    assert rows == [diff_row(a, b) for a, b in pairs]
