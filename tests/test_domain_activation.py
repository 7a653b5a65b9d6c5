"""After the upgrade, as plain functions: validation (term 3), Aspel-AL's offer, activation (term 6)."""

from __future__ import annotations

from datetime import date

import pytest

from mock_site.domain import serials
from mock_site.domain.activation import (
    MAX_RAZON_SOCIAL,
    WRONG_RAZON_SOCIAL,
    ActivationRefused,
    Validation,
    check_activation,
    clean_razon_social,
    offered_versions,
    validate,
)
from mock_site.domain.upgrades import Serie, status, upgraded
from tests.factories import TODAY, noi

REGISTERED = "Nóminas y Servicios del Pacífico, S.A. de C.V."


def upgrade_pair() -> tuple[Serie, Serie]:
    old = noi()
    new = upgraded(old, serials.random_serial(), TODAY)
    return Serie(**{**old.__dict__, "reemplazada_por": new.numero}), new


# --- term 3: validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "old_active"),
    [
        (date(2022, 3, 31), True),  # the day before the old serial's next validation
        (date(2022, 4, 1), False),  # the date itself
        (date(2022, 4, 2), False),  # the day after
    ],
)
def test_both_versions_validate_until_the_old_ones_next_validation_then_only_the_new(day, old_active):
    old, new = upgrade_pair()
    assert validate(old, day).active is old_active
    assert validate(new, day).active
    assert (status(old, day) == "Inactiva") is not old_active


def test_the_old_serial_is_told_until_when_and_then_to_use_the_new_version():
    old, _new = upgrade_pair()
    before = validate(old, date(2022, 3, 31))
    assert before.valid_until == date(2022, 3, 31) and "hasta el 31/03/2022" in before.message
    after = validate(old, date(2022, 4, 1))
    assert "Inactiva" in after.message and "nueva versión" in after.message


def test_a_lapsed_subscription_is_inactive_and_opens_read_only():
    lapsed = validate(noi(proximo_pago=date(2022, 3, 1)), TODAY)
    assert not lapsed.active and "modo consulta" in lapsed.message


def test_the_new_serial_lapses_one_period_later():
    _old, new = upgrade_pair()
    assert validate(new, date(2022, 4, 30)).active
    assert not validate(new, date(2022, 5, 1)).active


def test_a_licence_always_validates():
    licence = noi(modalidad="licenciamiento", periodicidad=None, proximo_pago=None)
    result = validate(licence, date(2030, 1, 1))
    assert result.active and result.valid_until is None


# --- Aspel-AL, Otros sistemas ------------------------------------------------------------------


def test_other_systems_offers_the_new_version_only_after_the_upgrade():
    old, new = upgrade_pair()
    assert offered_versions(noi()) == []
    assert offered_versions(old) == ["10.0"]
    assert offered_versions(new) == ["10.0"]
    assert offered_versions(noi(modalidad="licenciamiento", periodicidad=None, proximo_pago=None)) == []


def test_an_upgraded_serial_is_still_offered_the_new_version_after_it_lapsed():
    old, _new = upgrade_pair()
    assert validate(old, date(2022, 6, 1)).active is False
    assert offered_versions(old) == ["10.0"]


# --- term 6: the Asistente de activación ------------------------------------------------------


@pytest.mark.parametrize(
    "typed", [REGISTERED, REGISTERED.upper(), "  nominas  y servicios del PACIFICO,   s.a. de c.v. "]
)
def test_activation_accepts_the_registered_razon_social_ignoring_case_accents_and_spaces(typed):
    _old, new = upgrade_pair()
    check_activation(new, "10.0", REGISTERED, typed, TODAY)


@pytest.mark.parametrize(
    "typed",
    [
        "Otra Empresa, S.A. de C.V.",
        "Nóminas y Servicios del Pacífico",  # a shorter name is another name
        "Nóminas y Servicios del Pacífico, S.A.P.I. de C.V.",
    ],
)
def test_activation_refuses_another_razon_social_and_says_to_use_the_registered_one(typed):
    _old, new = upgrade_pair()
    with pytest.raises(ActivationRefused) as refused:
        check_activation(new, "10.0", REGISTERED, typed, TODAY)
    assert str(refused.value) == WRONG_RAZON_SOCIAL and refused.value.field == "razon_social"
    assert "que registraste en aspel.com" in WRONG_RAZON_SOCIAL


def test_activation_asks_for_a_razon_social():
    _old, new = upgrade_pair()
    with pytest.raises(ActivationRefused, match="Escribe la razón social"):
        check_activation(new, "10.0", REGISTERED, "   ", TODAY)


def test_activation_refuses_an_inactive_serial():
    _old, new = upgrade_pair()
    with pytest.raises(ActivationRefused, match="Inactiva y no puede activarse") as refused:
        check_activation(new, "10.0", REGISTERED, REGISTERED, date(2022, 5, 1))
    assert refused.value.field == "serie"


def test_activation_of_10_refuses_a_serial_of_another_version():
    old, _new = upgrade_pair()
    with pytest.raises(ActivationRefused, match="Indica el número de serie de Aspel NOI 10.0"):
        check_activation(old, "10.0", REGISTERED, REGISTERED, TODAY)


def test_the_name_for_reports_is_trimmed_and_bounded():
    assert clean_razon_social("  Nóminas   del Bajío ") == "Nóminas del Bajío"
    with pytest.raises(ValueError, match="Escribe la razón social"):
        clean_razon_social(" \t ")
    with pytest.raises(ValueError, match="hasta 120 caracteres"):
        clean_razon_social("x" * (MAX_RAZON_SOCIAL + 1))


# --- the whole messages (make mutacion checks every word the customer reads) -------------------


def test_every_validation_message_in_full():
    old, new = upgrade_pair()
    assert validate(new, TODAY) == Validation(True, "Aspel NOI 10.0 validó: la serie está activa.", date(2022, 4, 30))
    assert validate(old, date(2022, 3, 31)) == Validation(
        True,
        "Aspel NOI 9.0 validó. Esta versión fue reemplazada por la nueva versión; podrás utilizarla "
        "hasta el 31/03/2022; Inactiva desde el 01/04/2022.",
        date(2022, 3, 31),
    )
    assert validate(old, date(2022, 4, 1)) == Validation(
        False,
        "La serie de Aspel NOI 9.0 está Inactiva desde el 01/04/2022, cuando venció su última validación. "
        "Utiliza la nueva versión de tu sistema.",
        date(2022, 3, 31),
    )
    assert validate(noi(proximo_pago=date(2022, 3, 1)), TODAY) == Validation(
        False,
        "La serie de Aspel NOI 9.0 está Inactiva: su validación venció el 01/03/2022. "
        "El sistema se abre en modo consulta.",
        date(2022, 2, 28),
    )


def test_every_activation_refusal_in_full():
    old, new = upgrade_pair()
    with pytest.raises(ActivationRefused) as refused:
        check_activation(old, "10.0", REGISTERED, REGISTERED, TODAY)
    assert (str(refused.value), refused.value.field) == (
        "El número de serie corresponde a Aspel NOI 9.0. Indica el número de serie de Aspel NOI 10.0.",
        "serie",
    )
    with pytest.raises(ActivationRefused) as refused:
        check_activation(new, "10.0", REGISTERED, REGISTERED, date(2022, 5, 1))
    assert str(refused.value) == (
        f"La serie {new.numero} está Inactiva y no puede activarse: su validación venció el 01/05/2022."
    )
    with pytest.raises(ActivationRefused) as refused:
        check_activation(new, "10.0", REGISTERED, "", TODAY)
    assert (str(refused.value), refused.value.field) == (
        "Escribe la razón social que registraste en aspel.com.",
        "razon_social",
    )


def test_activation_on_the_last_day_of_validation_is_accepted():
    _old, new = upgrade_pair()
    check_activation(new, "10.0", REGISTERED, REGISTERED, date(2022, 4, 30))


def test_the_name_for_reports_in_full():
    assert clean_razon_social("x" * MAX_RAZON_SOCIAL) == "x" * MAX_RAZON_SOCIAL
    assert clean_razon_social("a\tb\n c") == "a b c"
    with pytest.raises(ValueError) as empty:
        clean_razon_social("")
    assert str(empty.value) == "Escribe la razón social para tus reportes y recibos."
    with pytest.raises(ValueError) as long:
        clean_razon_social("x" * (MAX_RAZON_SOCIAL + 1))
    assert str(long.value) == "La razón social admite hasta 120 caracteres."
    assert MAX_RAZON_SOCIAL == 120


def test_the_newest_version_is_offered_its_own_installer():
    assert offered_versions(noi(version="10.0")) == ["10.0"]
    assert offered_versions(noi(sistema="COI", version="10.0")) == []


def test_an_upgraded_serial_without_a_newer_version_is_offered_nothing():
    assert offered_versions(noi(version="10.0", reemplazada_por="INLOTRA")) == []
