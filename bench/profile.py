"""Where a figure run spends its time: pyinstrument for the Python side, bench.instrument for the rest.

``python -m bench.profile OUT.pyisession -- <pytest args>`` runs pytest in-process under
pyinstrument (async_mode "strict") and saves the session; :func:`python_costs` reads it back.
Time the main thread spends switched out to Playwright's dispatcher greenlet (waiting on the
driver and the browser) shows up as ``greenlet_main``; :func:`wall_costs` reads the wall-clock
breakdown that ``bench.instrument`` wrote in another run.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

# Frames worth naming in the summary: (function, a piece of its file path) → label.
NAMED_FRAMES = {
    ("greenlet_main", "playwright/sync_api"): "waiting on Playwright (driver + browser + mock), all scenarios",
    ("_rewrite_test", "_pytest/assertion"): "pytest assertion rewriting of plugins and steps (no bytecode cache)",
    (
        "pytest_terminal_summary",
        "_hypothesis_pytestplugin",
    ): "Hypothesis' pytest plugin at session end (imports hypothesis)",
    ("load_setuptools_entrypoints", "_pytest/config"): "pytest loading plugin entry points",
    ("_importconftest", "_pytest/config"): "importing conftest.py and the steps",
    ("perform_collect", "_pytest/main"): "collection (pytest-bdd parses every feature)",
    ("shutdown", "socketserver"): "mock server shutdown (serve_forever poll interval)",
    ("create_account", "steps/support/mock_client"): "mock control API: create account (waits on the mock)",
    ("launch_executable", "steps/support/browser"): "finding the Chromium executable (starts a Playwright driver)",
    ("_execute_scenario", "pytest_bdd/scenario"): "pytest-bdd running the scenarios (Python side)",
    ("find_fixturedefs_for_step", "pytest_bdd/scenario"): "pytest-bdd matching steps to step definitions",
    ("pytest_runtest_teardown", "_pytest/runner"): "teardown of tests (context close, session fixtures)",
}


def profile_pytest(out: Path, args: list[str]) -> int:
    import pytest
    from pyinstrument import Profiler

    profiler = Profiler(async_mode="strict", interval=0.001)
    profiler.start()
    try:
        code = pytest.main(args)
    finally:
        session = profiler.stop()
        session.save(str(out))
    return int(code)


def python_costs(session_path: Path) -> tuple[float, list[tuple[str, float]]]:
    """(duration, [(label, seconds)]) of the named frames, each counted at its outermost call."""
    from pyinstrument.session import Session

    session = Session.load(str(session_path))
    totals: dict[str, float] = defaultdict(float)

    def walk(frame, seen: frozenset) -> None:
        path = frame.file_path or ""
        label = next(
            (name for (function, piece), name in NAMED_FRAMES.items() if frame.function == function and piece in path),
            None,
        )
        if label and label not in seen:
            totals[label] += frame.time
            seen = seen | {label}
        for child in frame.children:
            walk(child, seen)

    walk(session.root_frame(), frozenset())
    return session.duration, sorted(totals.items(), key=lambda item: -item[1])


def wall_costs(data: dict) -> list[tuple[str, float, int]]:
    """(what, seconds, calls) from bench.instrument's JSON: session phases, then costly calls."""
    phases = data["phases"]
    start = phases.get("process start")
    rows = []
    if start is not None and "configured" in phases:
        rows.append(("start-up: interpreter, imports, plugins, conftest", phases["configured"] - start, 1))
    if "collected" in phases and "configured" in phases:
        rows.append(("collection", phases["collected"] - phases["configured"], 1))
    if "last test ends" in phases and "first test starts" in phases:
        rows.append(
            ("the scenarios (set-up + call + teardown)", phases["last test ends"] - phases["first test starts"], 1)
        )
    if "session end" in phases and "last test ends" in phases:
        rows.append(
            ("session end: summary, plugins, mock shutdown", phases["session end"] - phases["last test ends"], 1)
        )
    for name, entry in sorted(data["calls"].items(), key=lambda item: -item[1]["seconds"]):
        rows.append((name, entry["seconds"], entry["calls"]))
    return rows


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 2 or argv[1] != "--":
        print("usage: python -m bench.profile OUT.pyisession -- <pytest args>", file=sys.stderr)
        return 2
    return profile_pytest(Path(argv[0]), argv[2:])


if __name__ == "__main__":
    sys.exit(main())
