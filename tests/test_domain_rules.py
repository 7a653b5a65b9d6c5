"""Domain rules as plain functions of mock_site/domain/, without Flask: passwords, rate limits,
the first payment, pay periods, system names."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from mock_site.domain.passwords import MAX_LENGTH, MIN_LENGTH, password_errors
from mock_site.domain.payroll import pay_period
from mock_site.domain.rate_limit import RateLimit
from mock_site.domain.serials import system_name
from mock_site.domain.validation import first_payment, one_period_after

GOOD = "x" * MIN_LENGTH


# --- password rules -----------------------------------------------------------------------------


def test_a_password_of_the_minimum_length_confirmed_is_accepted():
    assert password_errors(GOOD, GOOD) == {}


@pytest.mark.parametrize(
    ("password", "confirmation", "expected"),
    [
        (
            "",
            "",
            {"contrasena": "Escribe tu nueva contraseña.", "confirmacion": "Escribe otra vez tu nueva contraseña."},
        ),
        (
            "x" * (MIN_LENGTH - 1),
            "x" * (MIN_LENGTH - 1),
            {"contrasena": f"La contraseña debe tener al menos {MIN_LENGTH} caracteres."},
        ),
        (
            "x" * (MAX_LENGTH + 1),
            "x" * (MAX_LENGTH + 1),
            {"contrasena": f"La contraseña debe tener como máximo {MAX_LENGTH} caracteres."},
        ),
        (GOOD, GOOD + "y", {"confirmacion": "Las contraseñas no coinciden."}),
        (GOOD, "", {"confirmacion": "Escribe otra vez tu nueva contraseña."}),
    ],
)
def test_password_errors_name_the_field_at_fault(password, confirmation, expected):
    assert password_errors(password, confirmation) == expected


def test_the_confirmation_is_not_compared_with_a_refused_password():
    assert "confirmacion" not in password_errors("corta", "otra")


def test_the_longest_password_is_accepted():
    assert password_errors("x" * MAX_LENGTH, "x" * MAX_LENGTH) == {}


# --- the recovery rate limit --------------------------------------------------------------------


def test_the_rate_limit_allows_up_to_its_limit_within_the_window():
    rate = RateLimit(3, timedelta(minutes=15))
    assert [rate.allows(recent) for recent in range(5)] == [True, True, True, False, False]


def test_the_rate_limit_counts_only_the_window():
    now = datetime(2022, 3, 15, 10, 0)
    assert RateLimit(3, timedelta(minutes=15)).counted_since(now) == datetime(2022, 3, 15, 9, 45)


# --- payments and the pay period ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("activated", "periodicidad", "expected"),
    [
        (date(2022, 2, 1), "mensual", date(2022, 3, 1)),
        (date(2022, 2, 1), "semestral", date(2022, 8, 1)),
        (date(2022, 2, 1), "anual", date(2023, 2, 1)),
        (date(2022, 1, 31), "mensual", date(2022, 2, 28)),
        (date(2022, 2, 1), None, None),  # a licence: no payment follows
    ],
)
def test_the_first_payment_is_one_period_after_activation(activated, periodicidad, expected):
    assert first_payment(activated, periodicidad) == expected


def test_one_period_after_is_what_the_upgrade_counts_the_new_serials_payment_with():
    assert one_period_after(date(2022, 4, 1), "mensual") == date(2022, 5, 1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2022, 3, 1), (date(2022, 3, 1), date(2022, 3, 15))),
        (date(2022, 3, 15), (date(2022, 3, 1), date(2022, 3, 15))),
        (date(2022, 3, 16), (date(2022, 3, 16), date(2022, 3, 31))),
        (date(2022, 2, 28), (date(2022, 2, 16), date(2022, 2, 28))),
        (date(2024, 2, 20), (date(2024, 2, 16), date(2024, 2, 29))),
    ],
)
def test_the_pay_period_is_the_half_month_of_the_day(day, expected):
    assert pay_period(day) == expected


# --- the table of systems -----------------------------------------------------------------------


def test_systems_are_named_once():
    assert system_name("NOI") == "Aspel NOI"
    assert system_name("XYZ") == "XYZ"
