"""The one clock, and calendar arithmetic. Dates a person sees or a rule counts are Asia/Shanghai.

`today()` and `now()` are the business's date and instant: with EXCHANGE_TODAY set (tests and
demos) the date is that day and the time of day is the real one, so every record, schedule and
deadline agrees with the date the demo is set to. `wall()` is the real instant, for the
machinery only: leases, retries and expiry, which must never jump a day back at midnight."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Clock:
    today_override: date | None = None

    def wall(self) -> datetime:
        """The real instant, timezone-aware, in Asia/Shanghai."""
        return datetime.now(timezone.utc).astimezone(SHANGHAI)

    def now(self) -> datetime:
        """The business's instant: the real one, on EXCHANGE_TODAY's date when that is set."""
        real = self.wall()
        if self.today_override is None:
            return real
        return datetime.combine(self.today_override, real.timetz())

    def today(self) -> date:
        """Today's calendar date in Asia/Shanghai, or EXCHANGE_TODAY when set."""
        return self.today_override or self.wall().date()


def local_date(instant: datetime) -> date:
    """The Asia/Shanghai calendar date of an instant (naive instants are taken as UTC)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=timezone.utc)
    return instant.astimezone(SHANGHAI).date()


def iso_local(instant: datetime | None) -> str | None:
    """ISO 8601 with the +08:00 offset, as the protocol writes date-times."""
    if instant is None:
        return None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=timezone.utc)
    return instant.astimezone(SHANGHAI).isoformat(timespec="seconds")


def age_on(birth: date, day: date) -> int:
    """Completed years on `day`; someone born on 29 February turns a year older on 1 March
    in common years."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def add_months(day: date, months: int) -> date:
    """Keeps the day of month and clamps to the month's last day:
    2026-08-31 + 6 → 2027-02-28; 2027-08-31 + 6 → 2028-02-29; 2026-01-31 + 1 → 2026-02-28."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
