"""The Chromium features every browser here is launched without: Playwright's own list, plus ours.

Chromium reads only the last ``--disable-features`` on its command line, and Playwright passes
its own list (features that make automation flaky or phone home) before the caller's arguments.
A second switch would throw that list away, so ours is one switch carrying both: Playwright's
list, read from the pinned driver (it is not in the Python API), then :data:`OURS`.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path

# RenderDocument: Chromium 153 gives every navigation a new frame, widget and compositor in the
# renderer, even to the same site; without it a navigation reuses them, as Playwright itself
# launched Chromium for a while (microsoft/playwright#37714, #39227). Measured on the
# 85 scenarios, one worker, two pairs: Chromium's CPU 43.1 → 36.7 s and 46.4 → 36.1 s (a trace
# showed a web view and a compositor made for each of the 381 navigations; without it 13 and 26).
# The pixels are the same: the nine figures pass the strict comparison, `make figuras` rewrites none.
OURS = ("RenderDocument",)

SWITCH = "--disable-features="
# In the driver's bundle: ``disabledFeatures = [ "Name", // why ... ].filter(Boolean);``
_PLAYWRIGHTS_LIST = re.compile(r"\bdisabledFeatures = \[(?P<items>[^\]]*)\]\.filter\(Boolean\)")
_COMMENT = re.compile(r"//[^\n]*")
_NAME = re.compile(r'"([A-Za-z0-9_]+)"')


def driver_bundle() -> Path | None:
    """The JavaScript bundle of the installed Playwright driver that holds Chromium's switches."""
    spec = importlib.util.find_spec("playwright")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "driver" / "package" / "lib" / "coreBundle.js"


def playwrights_list(bundle: Path | None) -> list[str] | None:
    """The features Playwright launches Chromium without, as its bundle lists them; None when the
    bundle is missing or no longer says it so (another Playwright: tests/test_chromium_features.py fails)."""
    try:
        text = bundle.read_text(encoding="utf-8") if bundle else ""
    except OSError:
        return None
    found = _PLAYWRIGHTS_LIST.search(text)
    return _NAME.findall(_COMMENT.sub("", found["items"])) if found else None


@cache
def _playwrights() -> tuple[str, ...] | None:
    found = playwrights_list(driver_bundle())
    return tuple(found) if found else None


def disable_features_args() -> tuple[str, ...]:
    """One ``--disable-features`` switch with Playwright's list and :data:`OURS`; none when
    Playwright's list cannot be read, so that its own switch stays whole (only speed is lost)."""
    theirs = _playwrights()
    return () if theirs is None else (SWITCH + ",".join(dict.fromkeys([*theirs, *OURS])),)


def playwrights_switch() -> tuple[str, ...]:
    """Playwright's own switch as it passes it, for ``ignore_default_args``: where a launch can
    leave it out, the browser's command line carries one ``--disable-features``, ours."""
    theirs = _playwrights()
    return () if theirs is None else (SWITCH + ",".join(theirs),)
