"""Chromium's features switched off: Playwright's own list kept whole, ours added, one switch.

Chromium honours only the last ``--disable-features`` on its command line, so a second one would
silently switch Playwright's list back on (tutorial/figuras/chromium_features.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.processes import descendants
from tutorial.figuras import chromium_features
from tutorial.figuras import renderer as chromium

BUNDLE_EXCERPT = """
    disabledFeatures = [
      // See https://github.com/microsoft/playwright/issues/14047 ("why")
      "AvoidUnnecessaryBeforeUnloadCheckSync",
      // Hides the "Lens" feature
      "LensOverlay",
      "PaintHolding"
    ].filter(Boolean);
"""


def _switches(arguments: list[str]) -> list[list[str]]:
    return [
        a.removeprefix(chromium_features.SWITCH).split(",") for a in arguments if a.startswith(chromium_features.SWITCH)
    ]


def test_playwrights_list_is_read_from_the_pinned_driver_as_it_passes_it():
    bundle = chromium_features.driver_bundle()
    assert bundle is not None and bundle.is_file(), f"no se encontró el driver de Playwright en {bundle}"
    theirs = chromium_features.playwrights_list(bundle)
    assert theirs, f"{bundle} ya no lista disabledFeatures como lo lee chromium_features.py: revisa su forma"
    # the list read is the one Playwright joins into its switch, not another of the same name
    assert '"--disable-features=" + disabledFeatures.join(",")' in bundle.read_text(encoding="utf-8")
    assert chromium_features.playwrights_switch() == (chromium_features.SWITCH + ",".join(theirs),)


def test_the_names_come_from_the_list_not_from_its_comments(tmp_path: Path):
    bundle = tmp_path / "coreBundle.js"
    bundle.write_text("var a = 1;" + BUNDLE_EXCERPT, encoding="utf-8")
    assert chromium_features.playwrights_list(bundle) == [
        "AvoidUnnecessaryBeforeUnloadCheckSync",
        "LensOverlay",
        "PaintHolding",
    ]


@pytest.mark.parametrize("content", [None, "disabledFeatures = computeThem();"], ids=["sin-driver", "otra-forma"])
def test_without_playwrights_list_its_own_switch_is_left_whole(tmp_path: Path, monkeypatch, content):
    """Another Playwright, or none found: no switch of ours, nothing of Playwright's left out."""
    bundle = tmp_path / "coreBundle.js"
    if content is not None:
        bundle.write_text(content, encoding="utf-8")
    assert chromium_features.playwrights_list(bundle) is None
    monkeypatch.setattr(chromium_features, "driver_bundle", lambda: bundle)
    chromium_features._playwrights.cache_clear()
    try:
        assert chromium_features.disable_features_args() == ()
        assert not _switches(chromium.launch_args(None))
        assert not _switches(chromium.ignored_default_args())
    finally:
        chromium_features._playwrights.cache_clear()


def test_the_launch_carries_playwrights_features_and_ours_in_one_switch():
    theirs = chromium_features.playwrights_list(chromium_features.driver_bundle()) or []
    (switch,) = _switches(chromium.launch_args(None))
    assert switch[: len(theirs)] == theirs
    assert set(chromium_features.OURS) <= set(switch)
    assert _switches(chromium.ignored_default_args()) == [theirs]


def test_the_scenarios_browser_runs_with_one_disable_features_switch_ours(browser):
    """What Chromium was really given: this worker's browser, started by Playwright's driver."""
    assert browser.is_connected()
    browsers = [
        p for p in descendants(os.getpid()) if "--remote-debugging-pipe" in p.command and "--type=" not in p.command
    ]
    assert browsers, "no se encontró el proceso del navegador de esta prueba"
    for process in browsers:
        switches = _switches(process.command.split())
        assert len(switches) == 1, (
            f"{len(switches)} --disable-features en {process.describe()}: Chromium sólo lee el último"
        )
        theirs = chromium_features.playwrights_list(chromium_features.driver_bundle()) or []
        assert set(theirs) | set(chromium_features.OURS) <= set(switches[0])
