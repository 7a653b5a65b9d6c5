"""Regla 3: a serial validates until its next validation (próximo pago); from that date it is
*Inactiva*. The dates of a subscription that rule counts with: periods, the first and the next
payment, and how the grid prints a date."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

PERIOD_MONTHS = {"mensual": 1, "semestral": 6, "anual": 12}
PERIODICITIES = tuple(PERIOD_MONTHS)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter (31/01 → 28/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def one_period_after(day: date, periodicidad: str) -> date:
    """The payment that follows one on ``day`` (mensual, semestral or anual)."""
    return add_months(day, PERIOD_MONTHS[periodicidad])


def first_payment(activated: date, periodicidad: str | None) -> date | None:
    """A new subscription's first next payment: one period after its activation. A licence
    (no periodicity) has none."""
    return one_period_after(activated, periodicidad) if periodicidad else None


def format_date(day: date | None) -> str:
    """dd/mm/yyyy, as the grid prints dates."""
    return day.strftime("%d/%m/%Y") if day else ""


def last_day_of_use(next_payment: date) -> date:
    """Regla 3: the last day a replaced version is used, the day before its next validation."""
    return next_payment - timedelta(days=1)


def replaced_until(next_payment: date) -> str:
    """Regla 3 in one wording everywhere (grid, mail, Aspel-AL): the last day of use and the day
    the old version becomes *Inactiva*, each named the same way wherever it is shown."""
    return f"hasta el {format_date(last_day_of_use(next_payment))}; Inactiva desde el {format_date(next_payment)}"


def validation_open(next_payment: date | None, today: date) -> bool:
    """Regla 3: a subscription validates until the day before its next payment; from that date
    it lapses. A licence (pago único) has no next payment and always validates."""
    return next_payment is None or today < next_payment
