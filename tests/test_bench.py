"""The benchmark's own plumbing (bench/): what the floor shoots, how results are tabulated.

Fast and without timing: the benchmark is a command (`make bench`), never a timed test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_bdd.scenario import make_python_name

from bench import floor, report
from bench.measure import (
    SCALE_OUTLINE,
    Workspace,
    differing_figures,
    find_outline,
    junit_cases,
    machine_busy,
    scale_feature,
)
from bench.memory import KINDS, Sampler, _kind, descendants
from bench.report import FINDINGS_MARKER, Row, Stat
from steps.support.documento.feature_reader import figure_steps, parse_text

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ROOT / "features"


def declared_figures() -> dict[int, str]:
    """Figure number → name of the @figura scenario whose step captures it, from the features."""
    declared = {}
    for step in figure_steps(FEATURES):
        assert "@figura" in step.scenario.tags, f"«{step.scenario.name}» captures a figure without @figura"
        declared[step.number] = step.scenario.name
    return declared


# --- the floor shoots exactly the figures the features declare -------------------------------


def test_floor_screens_cover_exactly_the_declared_figures():
    declared = declared_figures()
    screens = {screen.number: screen.scenario for screen in floor.SCREENS}
    assert sorted(screens) == sorted(declared) == list(range(1, len(declared) + 1))
    assert len(floor.SCREENS) == len(screens), "a figure appears twice in the floor's screen list"
    assert screens == declared, "each floor screen names the scenario that captures its figure"


def test_floor_seeds_are_the_scenarios_node_ids():
    """The figures show the person seeded from the node id: the floor must compute the same ids."""
    assert (ROOT / floor.TEST_MODULE).exists()
    for screen in floor.SCREENS:
        assert floor.test_name(screen.scenario) == "test_" + make_python_name(screen.scenario)
        assert floor.node_id(screen.scenario) == f"{floor.TEST_MODULE}::{floor.test_name(screen.scenario)}[chromium]"


def test_floor_uses_the_scenarios_context_options(request: pytest.FixtureRequest):
    """The figures plugin's browser_context_args, called as a plain function.

    Not through the fixture: that would start pytest-playwright's session Playwright in this
    process, and a later sync_playwright() here (conftest's executable lookup, the run-anywhere
    tests) would then fail with "Sync API inside the asyncio loop".
    """
    manager = getattr(request, "_fixturemanager", None)
    definitions = manager.getfixturedefs("browser_context_args", request.node) if manager else None
    if not definitions:
        pytest.skip("pytest's fixture manager changed: cannot read browser_context_args")
    ours = definitions[-1]
    assert Path(ours.baseid or ".").as_posix() in ("", "."), (
        "the figures plugin's fixture (steps/support/figuras/plugin.py)"
    )
    context = ours.func({"base_url": "http://127.0.0.1:1"}, request.config)
    assert {k: v for k, v in context.items() if k != "base_url"} == floor.CONTEXT_OPTIONS


# --- the per-scenario cost's generated feature ------------------------------------------------


def test_scale_feature_repeats_the_outline_rows():
    outline, tags = find_outline(FEATURES, SCALE_OUTLINE)
    text = scale_feature(outline, tags, 7)
    parsed = parse_text(text)
    (child,) = parsed["children"]
    scenario = child["scenario"]
    assert scenario["name"] == outline["name"]
    assert [s["text"] for s in scenario["steps"]] == [s["text"] for s in outline["steps"]]
    rows = [[c["value"] for c in row["cells"]] for row in scenario["examples"][0]["tableBody"]]
    original = [[c["value"] for c in row["cells"]] for row in outline["examples"][0]["tableBody"]]
    assert len(rows) == 7
    assert rows == [original[i % len(original)] for i in range(7)]
    assert "@mock" in tags


# --- tables -------------------------------------------------------------------------------------


def test_stat_is_median_min_max_of_the_runs():
    stat = Stat.of([3.0, 1.0, 2.0, 10.0, 4.0])
    assert (stat.median, stat.low, stat.high, stat.runs) == (3.0, 1.0, 10.0, 5)
    assert Stat.of([]) is None
    assert Stat.of([None, 2.0]) == Stat(2.0, 2.0, 2.0, 1)


def test_numbers_keep_their_units():
    assert report.number(12.3456, "s") == "12.35 s"
    assert report.number(1.4567, "×") == "1.46×"
    assert report.number(1234.4, "ms") == "1,234 ms"
    assert report.number(None, "s") == "–"


def test_stats_table_lines_up_and_judges_the_goals():
    table = report.stats_table(
        [
            Row("floor", Stat.of([10.0, 11.0, 12.0])),
            Row("ratio serial / floor", Stat.of([1.2, 1.3, 1.4]), "×", "≤ 1.5"),
            Row("speed-up", Stat.of([1.5, 1.55]), "×", "≥ 1.6", note="2 workers"),
            Row("not measured", None),
        ]
    )
    lines = table.splitlines()
    assert lines[0].startswith("| Measure")
    assert set(lines[1]) <= {"|", "-", " "}
    assert len({len(line) for line in lines}) == 1, "columns line up"
    assert "| 1.30× " in lines[3] and "met" in lines[3] and "NOT met" not in lines[3]
    assert "speed-up (2 workers)" in lines[4] and "NOT met" in lines[4]
    assert "| –" in lines[5] and "| 0 " in lines[5]


def test_ratios_pair_the_runs():
    assert report.ratios([3.0, 4.0, 0], [2.0, 2.0, 1.0]) == [1.5, 2.0]


def test_results_keep_the_hand_written_findings():
    previous = f"# old numbers\n\n{FINDINGS_MARKER}\n## Findings\nwritten by hand\n"
    merged = report.merge_findings("# new numbers\n", previous)
    assert merged.startswith("# new numbers\n")
    assert "old numbers" not in merged
    assert merged.endswith(f"{FINDINGS_MARKER}\n## Findings\nwritten by hand\n")
    assert report.merge_findings("# first\n", None) == f"# first\n\n{FINDINGS_MARKER}\n"


# --- reading runs -------------------------------------------------------------------------------


def test_junit_cases_in_run_order(tmp_path):
    path = tmp_path / "junit.xml"
    path.write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="features.test_tutorial" name="test_a[chromium]" time="1.5"/>'
        '<testcase classname="tests.test_x" name="test_b" time="0.25"><failure message="x"/></testcase>'
        '<testcase classname="tests.test_x" name="test_c" time="0"><skipped/></testcase>'
        "</testsuite></testsuites>",
        encoding="utf-8",
    )
    assert junit_cases(path) == [
        {"name": "features.test_tutorial::test_a[chromium]", "seconds": 1.5, "outcome": "passed"},
        {"name": "tests.test_x::test_b", "seconds": 0.25, "outcome": "failure"},
        {"name": "tests.test_x::test_c", "seconds": 0.0, "outcome": "skipped"},
    ]
    assert junit_cases(tmp_path / "missing.xml") == []


def test_differing_figures_counts_any_changed_pixel_and_missing_shots():
    statuses = {
        "figura-01": {"status": "same", "diff_ratio": 0.0},
        "figura-02": {"status": "same", "diff_ratio": 0.0001},
        "figura-03": {"status": "changed", "diff_ratio": 0.2},
    }
    assert differing_figures(statuses, 3) == ["figura-02", "figura-03"]
    assert differing_figures(statuses, 4) == ["figura-02", "figura-03", "1 not shot"]


@pytest.mark.completo
def test_memory_sampler_sees_the_process_and_its_children():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        assert child.pid in descendants(os.getpid())
        sampler = Sampler(os.getpid())
        sampler.sample()
        peaks = sampler.peaks
        assert peaks.samples == 1
        assert 10 < peaks.by_kind["root"] < 4096, "this pytest process's RSS in MiB"
        assert peaks.by_kind["python"] > 1, "the Python child's RSS counts as a Python child"
        assert child.pid in peaks.cpu_by_pid and os.getpid() in peaks.cpu_by_pid
        assert peaks.cpu_by_pid[os.getpid()] > 0
        assert set(peaks.as_dict()) == {*KINDS, "samples", "cpu"}
    finally:
        child.kill()
        child.wait()
    assert child.pid not in descendants(os.getpid())
    assert descendants(2**22 + 1) == [], "a process that does not exist has no children"
    assert [_kind(n) for n in ("chromium", "node-MainThread", "python3.11", "bash")] == [
        "chromium",
        "node",
        "python",
        "other",
    ]


@pytest.mark.completo
def test_machine_busy_grows_with_work_and_leftovers_are_ended(tmp_path):
    before = machine_busy()
    sum(i * i for i in range(2_000_000))
    assert machine_busy() > before
    workspace = Workspace.__new__(Workspace)  # only the folder matters to end_leftovers
    workspace.root = tmp_path
    stray = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], cwd=tmp_path)
    elsewhere = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert workspace.end_leftovers(grace=5.0) == [Path(sys.executable).name]
        assert stray.wait(timeout=10) is not None
        assert elsewhere.poll() is None, "a process outside the workspace is left alone"
    finally:
        for process in (stray, elsewhere):
            process.kill()
            process.wait()


def test_floor_figures_pass_the_suites_own_comparison_with_the_committed_ones(tmp_path):
    import io

    from PIL import Image

    def png(colour: tuple[int, int, int], optimize: bool = False) -> bytes:
        buffer = io.BytesIO()
        Image.new("RGB", (5, 4), colour).save(buffer, format="PNG", optimize=optimize, compress_level=1)
        return buffer.getvalue()

    workspace = Workspace.__new__(Workspace)  # only the committed figures matter here
    workspace.figures = {
        "figura-01.png": png((255, 0, 0)),
        "figura-02.png": png((0, 0, 255)),
        "figura-03.png": png((0, 255, 0)),
        "figura-04.png": png((0, 0, 255)),
    }
    (tmp_path / "figura-01.png").write_bytes(png((255, 0, 0), optimize=True))  # other bytes, same pixels
    (tmp_path / "figura-02.png").write_bytes(png((0, 0, 254)))  # 1/255 of blue: make test passes it too
    (tmp_path / "figura-04.png").write_bytes(png((0, 0, 235)))  # a shade make test fails
    assert workspace.compare_with_committed(tmp_path) == ["figura-03.png (missing)", "figura-04.png"]


def test_figure_ratios_carry_the_issue_goals_and_flag_a_stale_floor(tmp_path):
    from bench.__main__ import figures_rows
    from bench.measure import Run

    def run(wall: float, differing: list[str] | None = None) -> Run:
        return Run(
            "x",
            wall,
            0,
            tmp_path / "log",
            cpu=wall / 2,
            details={"others_share": 0.0, **({"differing": differing} if differing is not None else {})},
        )

    data = {
        "floor": [run(10.0, [])],
        "checking": [run(12.0)],
        "serial": [run(16.0)],
        "parallel": [run(9.0)],
        "document": [run(0.2)],
    }
    rows = {row.label: row for row in figures_rows(data, 2)}
    checking, walkthrough, parallel = (
        rows["ratio serial checking / floor"],
        rows["ratio serial make figures way / floor"],
        rows["ratio -n 2 / floor"],
    )
    assert (checking.goal, walkthrough.goal, parallel.goal) == ("≤ 1.3", "", "≤ 1.0")
    assert (checking.verdict(), parallel.verdict()) == ("met", "met")
    assert walkthrough.stat.median == 1.6 and "walkthrough" in walkthrough.note
    assert not checking.note
    data["floor"] = [run(10.0, ["figura-01.png"])]
    rows = {row.label: row for row in figures_rows(data, 2)}
    assert "not comparable" in rows["ratio serial checking / floor"].note
