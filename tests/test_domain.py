"""The tutorial's rules as plain functions: no Flask, no server."""

from __future__ import annotations

from datetime import date

import pytest

from mock_site.domain import serials
from mock_site.domain.razon_social import same_razon_social
from mock_site.domain.upgrades import UpgradeRefused, check_upgradable, status, upgraded
from mock_site.domain.validation import add_months, format_date, validation_open
from tests.factories import TODAY, noi


def test_serial_format_is_the_systems_letters_and_ten_characters():
    serial = serials.random_serial("NOI")
    assert len(serial) == 13 and serial.startswith("INL")
    assert serials.is_valid_serial(serial)


@pytest.mark.parametrize(
    "bad", ["", "INL", "inl5astrs6g8j", "XXX5ASTRS6G8J", "INL5ASTRS6G8", "INL5ASTRS6G8JJ", "INL0ASTRS6G8J", None, 12]
)
def test_malformed_serials_are_refused(bad):
    assert not serials.is_valid_serial(bad)


# Fixed serials, the same every run (a random one per run judged a different input each time).
CHECKED_SERIALS = [serials.derived_serial("NOI", b"prueba", f"origen-{n}") for n in range(40)]


def test_any_single_changed_character_breaks_the_check_character():
    for serial in CHECKED_SERIALS:
        assert serials.is_valid_serial(serial)
        for position in range(3, 12):
            for char in serials.ALPHABET.replace(serial[position], ""):
                changed = serial[:position] + char + serial[position + 1 :]
                assert not serials.is_valid_serial(changed), f"{changed} (de {serial}) pasa la verificación"


def test_derived_serials_are_stable_per_key_and_differ_by_attempt_and_key():
    first = serials.derived_serial("NOI", b"k", "INL5ASTRS6G8J")
    assert first == serials.derived_serial("NOI", b"k", "INL5ASTRS6G8J")
    assert first != serials.derived_serial("NOI", b"k", "INL5ASTRS6G8J", attempt=1)
    assert first != serials.derived_serial("NOI", b"otra", "INL5ASTRS6G8J")
    assert serials.is_valid_serial(first)


def test_random_serials_do_not_repeat():
    assert len({serials.random_serial() for _ in range(2000)}) == 2000


@pytest.mark.parametrize(
    ("periodicidad", "expected"),
    [("mensual", date(2022, 5, 1)), ("semestral", date(2022, 10, 1)), ("anual", date(2023, 4, 1))],
)
def test_upgrade_keeps_periodicity_users_and_moves_the_rent_one_period(periodicidad, expected):
    old = noi(periodicidad=periodicidad, usuarios=4)
    new = upgraded(old, "INLNEW", TODAY)
    assert (new.version, new.periodicidad, new.usuarios) == ("10.0", periodicidad, 4)
    assert new.proximo_pago == expected
    assert new.fecha_activacion == TODAY


def test_licence_is_not_offered_the_free_upgrade():
    with pytest.raises(UpgradeRefused, match="adquiere la actualización de versión"):
        check_upgradable(noi(modalidad="licenciamiento", periodicidad=None, proximo_pago=None), TODAY)


def test_upgraded_or_inactive_serial_cannot_be_upgraded_again():
    with pytest.raises(UpgradeRefused, match="ya se actualizó"):
        check_upgradable(noi(reemplazada_por="INLOTRA"), TODAY)
    with pytest.raises(UpgradeRefused, match="Inactiva"):
        check_upgradable(noi(proximo_pago=date(2022, 3, 15)), TODAY)


def test_status_until_the_next_validation_then_inactive():
    replaced = noi(reemplazada_por="INLOTRA")
    assert status(noi(), TODAY) == "Plan actualizado"
    assert status(replaced, date(2022, 3, 31)) == "Se utiliza hasta el 31/03/2022; Inactiva desde el 01/04/2022"
    assert status(replaced, date(2022, 4, 1)) == "Inactiva"


def test_calendar():
    assert add_months(date(2022, 1, 31), 1) == date(2022, 2, 28)
    assert add_months(date(2022, 4, 1), 12) == date(2023, 4, 1)
    assert format_date(date(2022, 2, 1)) == "01/02/2022"
    assert validation_open(date(2022, 4, 1), date(2022, 3, 31))
    assert not validation_open(date(2022, 4, 1), date(2022, 4, 1))
    assert validation_open(None, date(2030, 1, 1))


def test_razon_social_ignores_case_accents_and_spaces():
    assert same_razon_social("Mata, Razo y Valle", "  MATA,  razo Y valle ")
    assert same_razon_social("Industrias Peñoles", "industrias penoles")
    assert not same_razon_social("Mata, Razo y Valle", "Mata Razo y Valle S.A.")


def test_a_razon_social_is_compared_folded_without_accents_and_single_spaced():
    from mock_site.domain.razon_social import normalized

    assert normalized("  Industrias  PEÑOLES,\tS.A. ") == "industrias penoles, s.a."


# --- the site's public address (PUBLIC_URL) ----------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "https://aspel.example/ruta",
        "https://aspel.example?x=1",
        "https://aspel.example#arriba",
        "https://usuario@aspel.example",
        "https://:clave@aspel.example",
        "https://usuario:clave@aspel.example",
    ],
)
def test_a_public_url_is_only_scheme_host_and_port(bad):
    from mock_site.domain.public_url import parse_public_url

    with pytest.raises(ValueError) as refused:
        parse_public_url(bad)
    assert str(refused.value) == f"PUBLIC_URL es sólo esquema, host y puerto, sin ruta: {bad!r}"


@pytest.mark.parametrize("bad", ["ftp://aspel.example", "aspel.example", "https://"])
def test_a_public_url_needs_http_or_https_and_a_host(bad):
    from mock_site.domain.public_url import parse_public_url

    with pytest.raises(ValueError) as refused:
        parse_public_url(bad)
    assert str(refused.value) == f"PUBLIC_URL debe empezar con http:// o https:// y nombrar un host: {bad!r}"


@pytest.mark.parametrize("bad", ["https://aspel.example:puerto", "http://[::1"])
def test_a_public_url_that_is_no_address_says_so(bad):
    from mock_site.domain.public_url import parse_public_url

    with pytest.raises(ValueError) as refused:
        parse_public_url(bad)
    assert str(refused.value) == f"PUBLIC_URL no es una dirección válida: {bad!r}"


def test_a_public_url_keeps_its_port_and_is_read_trimmed():
    from mock_site.domain.public_url import PublicURL, parse_public_url

    assert parse_public_url("  http://Aspel.Example:8080/ ") == PublicURL("http", "aspel.example", 8080)
    assert parse_public_url("https://aspel.example").origin == "https://aspel.example"
    assert PublicURL("http", "aspel.example", 443).origin == "http://aspel.example:443"
