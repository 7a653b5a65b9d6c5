"""Dates of a subscription: periods, next validation, and when a serial is *Inactiva*."""
from __future__ import annotations

from calendar import monthrange
from datetime import date

PERIOD_MONTHS = {"mensual": 1, "semestral": 6, "anual": 12}
PERIODICITIES = tuple(PERIOD_MONTHS)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def format_date(day: date | None) -> str:
    """dd/mm/yyyy, as the grid prints dates."""
    return day.strftime("%d/%m/%Y") if day else ""


def validation_open(next_payment: date | None, today: date) -> bool:
    """A subscription validates until the day before its next payment; from that date it lapses.

    A licence (pago único) has no next payment and always validates.
    """
    return next_payment is None or today < next_payment
