"""The one clock. Calendar dates (rules, schedules, ages, defaults) are Asia/Shanghai and honour
EXCHANGE_TODAY; instants (signatures, expiry, occurred_at) always use the real clock."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Clock:
    today_override: date | None = None

    def now(self) -> datetime:
        """The real instant, timezone-aware, in Asia/Shanghai."""
        return datetime.now(timezone.utc).astimezone(SHANGHAI)

    def today(self) -> date:
        """Today's calendar date in Asia/Shanghai, or EXCHANGE_TODAY when set."""
        return self.today_override or self.now().date()


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
