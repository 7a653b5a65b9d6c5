"""Boundaries of the domain rules that mutation testing found unpinned (make mutacion)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from mock_site.domain.json_body import TOO_DEEP, JSONBodyError, nesting_depth, parse_json
from mock_site.domain.lockout import LOCK_DURATION, Attempts, after_attempt
from mock_site.domain.public_url import absolute, server_origin, split_hosts
from mock_site.domain.upgrades import UpgradeRefused, check_upgradable, offers_free_upgrade
from mock_site.domain.validation import add_months, format_date
from tests.factories import TODAY, noi

NOW = datetime(2022, 3, 15, 10, 0)


def test_a_closing_bracket_ends_exactly_one_level():
    assert nesting_depth("[[],[[]]]") == 3
    assert nesting_depth('{"a": "[[[", "b": [{}]}') == 3


def test_a_body_deeper_than_python_recurses_is_too_deep_even_past_the_depth_check():
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(JSONBodyError) as refused:
        parse_json(deep, max_depth=200_000)
    assert str(refused.value) == TOO_DEEP


def test_a_failure_after_an_ended_lock_counts_from_one():
    ended = Attempts(4, NOW - timedelta(minutes=1))
    assert after_attempt(ended, False, NOW) == Attempts(1, None)


def test_the_fifth_failure_locks_for_the_lock_duration():
    assert after_attempt(Attempts(4), False, NOW) == Attempts(0, NOW + LOCK_DURATION)
    assert after_attempt(Attempts(3), False, NOW) == Attempts(4, None)


def test_hosts_come_from_a_list_or_a_comma_separated_text_without_blanks():
    assert split_hosts(["Sitio.Example ", " B.example"]) == ["sitio.example", "b.example"]
    assert split_hosts("a.example, ,B.example,") == ["a.example", "b.example"]


@pytest.mark.parametrize(
    ("scheme", "name", "port", "origin"),
    [
        ("http", "equipo", None, "http://equipo"),
        ("http", "equipo", "", "http://equipo"),
        ("http", "equipo", "no-es-puerto", "http://equipo"),
        ("ftp", "equipo", 8000, "http://equipo:8000"),
        ("gopher", "equipo", "80", "http://equipo"),
        ("https", "0.0.0.0", "443", "https://127.0.0.1"),
    ],
)
def test_the_server_origin_falls_back_to_http_and_no_port(scheme, name, port, origin):
    assert server_origin(scheme, name, port) == origin


def test_an_absolute_link_trims_slashes_only():
    assert absolute("http://equipoX/", "/Xruta") == "http://equipoX/Xruta"
    assert absolute("http://equipoX", "Xruta") == "http://equipoX/Xruta"


def test_a_subscription_with_a_newer_version_is_offered_the_upgrade():
    assert offers_free_upgrade(noi(), TODAY) is True
    assert check_upgradable(noi(), TODAY) == "10.0"


def test_a_licence_is_refused_with_the_paid_path():
    with pytest.raises(UpgradeRefused) as refused:
        check_upgradable(noi(modalidad="licenciamiento", periodicidad=None, proximo_pago=None), TODAY)
    assert str(refused.value) == (
        "La actualización sin costo es para sistemas en suscripción; "
        "para licenciamiento adquiere la actualización de versión."
    )


def test_the_newest_version_is_refused_naming_the_serial():
    serie = noi(version="10.0")
    with pytest.raises(UpgradeRefused) as refused:
        check_upgradable(serie, TODAY)
    assert str(refused.value) == f"No hay una versión más nueva para la serie {serie.numero}."


def test_twelve_months_after_january_is_january_next_year():
    assert add_months(date(2024, 1, 31), 12) == date(2025, 1, 31)
    assert add_months(date(2024, 12, 31), 2) == date(2025, 2, 28)


def test_no_date_prints_as_an_empty_cell():
    assert format_date(None) == ""
    assert format_date(date(2022, 4, 1)) == "01/04/2022"
