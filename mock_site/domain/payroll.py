"""What Aspel NOI's window shows of the payroll: the pay period of a day."""

from __future__ import annotations

from calendar import monthrange
from datetime import date


def pay_period(day: date) -> tuple[date, date]:
    """The half-month ``day`` falls in: the 1st to the 15th, or the 16th to the month's end."""
    if day.day <= 15:
        return day.replace(day=1), day.replace(day=15)
    return day.replace(day=16), day.replace(day=monthrange(day.year, day.month)[1])
