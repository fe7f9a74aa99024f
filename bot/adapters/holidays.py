"""The Swedish days off, from the `holidays` package, as data for the pure working calendar.

Days off are the Swedish public holidays plus the de-facto days off (midsommarafton,
julafton, nyårsafton). The "from 2pm" eves (trettondagsafton, skärtorsdag,
valborgsmässoafton, dagen före Kristi himmelfärd, allhelgonaafton) and klämdagar count as
ordinary working days: neither the law nor the central agreements make them days off for a
KSO or KD, and a pair that takes them off adds them as its own days off.
"""

from __future__ import annotations

import threading
from datetime import date

import holidays

from bot.domain.calendar import WorkingCalendar


class SwedishHolidays:
    """The Swedish public and de-facto holidays: a container of dates that fills one year at a time.

    The package computes a year on first use and is not thread-safe while it does, so the
    years are copied into frozensets under a lock; after that a lookup is a set lookup.
    """

    def __init__(self) -> None:
        self._made: holidays.HolidayBase | None = None
        self._lock = threading.RLock()
        self._years: dict[int, frozenset[date]] = {}

    @property
    def _package(self) -> holidays.HolidayBase:
        # Made on first use, not at import: making it imports every country the package knows (about
        # 0.3 s), which kept a restarted bot from answering /healthz that much longer.
        with self._lock:
            if self._made is None:
                self._made = holidays.Sweden(categories=("public", "de_facto"))
            return self._made

    def _year(self, year: int) -> frozenset[date]:
        days = self._years.get(year)
        if days is None:
            with self._lock:
                self._package.get(date(year, 1, 1))  # makes the package compute that year
                days = frozenset(day for day in self._package if day.year == year)
                self._years[year] = days
        return days

    def warm(self, year: int) -> None:
        """Make the package and this year's days off now, so that the first lookup does not wait for them."""
        self._year(year)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and day in self._year(day.year)

    def name(self, day: date) -> str | None:
        """The package's (English) name of the holiday on `day`, or None."""
        if day not in self:
            return None
        with self._lock:
            name: str | None = self._package.get(day)
        return name


SWEDEN = SwedishHolidays()


def swedish_calendar(
    *,
    timezone: str = "Europe/Stockholm",
    start_min: int = 8 * 60,
    end_min: int = 17 * 60,
    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5}),
    extra_days_off: frozenset[date] = frozenset(),
) -> WorkingCalendar:
    """A working calendar with the Swedish days off (the defaults: Mon–Fri 08:00–17:00 in Stockholm)."""
    return WorkingCalendar(
        holidays=SWEDEN, timezone=timezone, start_min=start_min, end_min=end_min, weekdays=weekdays, extra_days_off=extra_days_off
    )
