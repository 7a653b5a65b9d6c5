"""The site plugin's fixtures' decisions (tutorial/sitio/plugin.py), without a browser."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tutorial.sitio.plugin import no_failure_picture_needed


def item(call: str | None) -> SimpleNamespace:
    """A test as pytest-playwright leaves it: ``rep_call`` once its call ran."""
    report = None if call is None else SimpleNamespace(passed=call == "passed", failed=call == "failed")
    return SimpleNamespace(rep_call=report) if report else SimpleNamespace()


@pytest.mark.parametrize(
    ("call", "option", "closed_first"),
    [
        ("passed", "only-on-failure", True),  # the picture would be thrown away: pages closed, nothing shot
        ("failed", "only-on-failure", False),  # the failure's picture is kept
        (None, "only-on-failure", False),  # set-up failed or was skipped: pytest-playwright keeps the picture
        ("passed", "on", False),  # every test's picture asked for
        ("passed", "off", False),  # no picture either way: nothing to spare
    ],
)
def test_a_passed_scenarios_pages_are_closed_before_the_picture_only_a_failure_keeps(call, option, closed_first):
    assert no_failure_picture_needed(item(call), option) is closed_first  # type: ignore[arg-type]
