"""The benchmark's own plumbing (bench/): what the floor shoots, how results are tabulated.

Fast and without timing: the benchmark is a command (`make medir`), never a timed test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from pytest_bdd.scenario import make_python_name

from bench import floor, profile, report, sections
from bench.__main__ import parse_args, profile_baseline
from bench.measure import Run, Workspace, differing_figures, junit_cases, machine_busy, pytest_durations
from bench.memory import KINDS, Sampler, kind
from bench.report import FINDINGS_MARKER, Row, Stat
from tutorial.documento.feature_reader import figure_steps

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
    assert Path(ours.baseid or ".").as_posix() in ("", "."), "the figures plugin's fixture (tutorial/figuras/plugin.py)"
    context = ours.func({"base_url": "http://127.0.0.1:1"}, request.config)
    assert {k: v for k, v in context.items() if k != "base_url"} == floor.CONTEXT_OPTIONS


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


def test_pytest_durations_reads_each_phase_of_each_test():
    output = (
        "======== slowest durations ========\n"
        "2.50s call     features/test_tutorial.py::test_localizo_mi_cuenta[chromium]\n"
        "0.75s setup    features/test_tutorial.py::test_localizo_mi_cuenta[chromium]\n"
        "0.00s teardown features/test_tutorial.py::test_localizo_mi_cuenta[chromium]\n"
        "1s call     tests/test_x.py::test_y[a b]\n"
        "======== 2 passed in 4.10s ========\n"
    )
    assert pytest_durations(output) == {
        "features/test_tutorial.py::test_localizo_mi_cuenta[chromium]": {"call": 2.5, "setup": 0.75, "teardown": 0.0},
        "tests/test_x.py::test_y[a b]": {"call": 1.0},
    }


def test_differing_figures_counts_any_changed_pixel_and_missing_shots(tmp_path):
    from tutorial.figuras.comparison import Comparison
    from tutorial.figuras.report import FigureReport

    recorder = FigureReport(tmp_path)
    for name, status, ratio in (
        ("figura-01", "same", 0.0),
        ("figura-02", "same", 0.0001),
        ("figura-03", "changed", 0.2),
    ):
        recorder.record(Comparison(name, status, ratio, (5, 4), (5, 4)), b"", None, None)
    assert differing_figures(tmp_path, 3) == ["figura-02", "figura-03"]
    assert differing_figures(tmp_path, 4) == ["figura-02", "figura-03", "1 not shot"]
    assert differing_figures(tmp_path / "none", 2) == ["2 not shot"]


@pytest.mark.completo
def test_memory_sampler_sees_the_process_and_its_children():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        sampler = Sampler(os.getpid())
        sampler.sample()
        assert set(sampler.peaks) == set(KINDS)
        assert 10 < sampler.peaks["python"] < 4096, "this pytest process and its Python child, in MiB"
        assert child.pid in sampler.cpu_by_pid and sampler.cpu_by_pid[os.getpid()] > 0
        assert sampler.cpu >= sampler.cpu_by_pid[os.getpid()]
    finally:
        child.kill()
        child.wait()
    Sampler(2**22 + 1).sample()  # a process that does not exist: nothing to read, no error
    assert [kind(n) for n in ("chromium", "headless_shell", "node-MainThread", "python3.11", "make")] == [
        "chromium",
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
    (tmp_path / "figura-02.png").write_bytes(png((0, 0, 254)))  # 1/255 of blue: make pruebas passes it too
    (tmp_path / "figura-04.png").write_bytes(png((0, 0, 235)))  # a shade make pruebas fails
    assert workspace.compare_with_committed(tmp_path) == ["figura-03.png (missing)", "figura-04.png"]


def fake_figures(stale: bool = False) -> dict[str, list[Run]]:
    """Two runs of each kind, as measure_figures returns them, with durations and the floor's timings."""
    node = floor.node_id(floor.SCREENS[0].scenario)

    def run(wall: float, **fields) -> Run:
        return Run("x", wall, cpu=wall / 2, memory=dict.fromkeys(KINDS, 100.0), **({"differing": []} | fields))

    def checking(wall: float, call: float) -> Run:
        return run(wall, durations={node: {"setup": 1.0, "call": call, "teardown": 0.5}, "tests/x::y": {"call": 2.0}})

    def floor_run(wall: float, shot: float) -> Run:
        figures = {str(screen.number): 1.0 for screen in floor.SCREENS} | {"1": shot}
        return run(wall, floor={"figures": figures}, differing=["figura-01.png"] if stale else [])

    return {
        "floor": [floor_run(10.0, 2.0), floor_run(14.0, 4.0)],
        "checking": [checking(12.0, 3.0), checking(20.0, 5.0)],
        "serial": [run(16.0), run(24.0)],
        "parallel": [run(9.0), run(10.0)],
    }


def test_figure_ratios_pair_the_runs_and_carry_the_goals():
    rows = {row.label: row for row in sections.figures_rows(fake_figures(), 2)}
    checking, walkthrough, parallel = (
        rows["ratio serial checking / floor"],
        rows["ratio serial make figuras way / floor"],
        rows["ratio -n 2 / floor"],
    )
    assert rows["floor: bare Playwright script, 9 figures"].stat == Stat(12.0, 10.0, 14.0, 2)
    assert checking.stat == Stat.of([12 / 10, 20 / 14]), "run by run, not median over median"
    assert walkthrough.stat.median == pytest.approx((1.6 + 24 / 14) / 2) and "walkthrough" in walkthrough.note
    assert (checking.goal, walkthrough.goal, parallel.goal) == ("≤ 1.3", "", "≤ 1.0")
    assert (checking.verdict(), parallel.verdict()) == ("NOT met", "met")
    # the same work: the floor plus the frames (serial make figuras way − serial checking), run by run
    same_work = rows["ratio -n 2 / (floor + the frames: serial make figuras way − serial checking)"]
    assert same_work.stat == Stat.of([9 / (10 + 16 - 12), 10 / (14 + 24 - 20)]) and same_work.goal == "≤ 1.0"
    assert "walkthrough" in parallel.note and not same_work.note
    assert rows["our scenarios, serial: cores busy on average"].stat.median == 0.5
    assert not checking.note
    stale = {row.label: row for row in sections.figures_rows(fake_figures(stale=True), 2)}
    assert "not comparable" in stale["ratio serial checking / floor"].note


def test_per_figure_table_sets_each_scenario_against_its_floor_figure():
    lines = sections.per_figure_table(fake_figures()).splitlines()
    cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    assert cells[0][:2] == ["Figure", "Floor"] and len({len(line) for line in lines}) == 1
    # Figura 1: floor 2 and 4 s (median 3); set-up 1, call 3 and 5 (median 4), teardown 0.5: 5.5 s, 1.83×.
    assert cells[2] == ["Figura 1", "3.00 s", "1.00 s", "4.00 s", "0.50 s", "5.50 s", "1.83×"]
    assert cells[3] == ["Figura 2", "1.00 s", "–", "–", "–", "–", "–"], "no durations: no made-up numbers"
    outside, whole = cells[-2], cells[-1]
    # outside: floor 10 − 10 and 14 − 12 (median 1 s); pytest 12 − 6.5 and 20 − 8.5 (median 8.5 s).
    assert outside == ["outside the figures / the tests", "1.00 s", "–", "–", "–", "8.50 s", "8.50×"]
    assert whole == ["whole command", "12.00 s", "–", "–", "–", "16.00 s", "1.33×"]


def test_document_renders_every_table_and_memory_by_process():
    info = {key: "x" for key in ("cpu", "os", "python", "date", "git", "chromium", "PYTHONDONTWRITEBYTECODE")}
    info |= {package: "1" for package in ("pytest", "pytest-bdd", "pytest-playwright", "pytest-xdist", "playwright")}
    info |= {"Faker": "1", "Flask": "1", "cores": 2, "ram_gib": 8.0, "others_share": 0.5}
    info |= {"load_before": 1.0, "load_after": 2.0}
    info |= {"baseline": "a4460ba"}
    case = {"name": "a", "seconds": 1, "outcome": "passed"}
    qa = {
        "runs": [Run("make-test", 40.0, cpu=60.0, cases=[case])],
        "baseline": [Run("make-test-base", 80.0, cases=[case])],
    }
    text = sections.document({"qa": qa, "figures": fake_figures()}, info, "python -m bench", 60.0, 2)
    for title in ("## Figures vs floor", "## QA's make pruebas", "## Memory", "## Stability"):
        assert title in text
    lines = text.splitlines()
    qa_line = next(line for line in lines if line.startswith("| make pruebas (QA's tier), wall (1 tests)"))
    assert "| 40.00 s " in qa_line and qa_line.split("|")[-2].strip() == "met"
    assert next(line for line in lines if line.startswith("| make pruebas at a4460ba (the baseline), wall"))
    ratio = next(line for line in lines if line.startswith("| ratio this tree / the baseline"))
    assert "| 0.50× " in ratio and "| ≤ 0.65 " in ratio and ratio.split("|")[-2].strip() == "met"
    assert "figure run (-n 0): Playwright driver (node), peak RSS" in text
    assert (
        "floor: Playwright driver (node), peak RSS" in text and "floor: Python process, peak of the summed RSS" in text
    )
    assert "numbers are noisy" in text


def test_the_profile_shows_the_baseline_before_this_tree_and_judges_the_scenario_goal():
    slow = [fake_record(name, setup=5.1, call=0.5, steps=[("steps.x", 0.5)]) for name in "abc"]  # 0.7 s each
    quick = [fake_record(name, setup=5.1, call=0.3, steps=[("steps.x", 0.3)]) for name in "abc"]  # 0.5 s each
    data = {"runs": [Run("profile", 9.0)], "records": quick, "baseline_records": slow}
    text = "\n".join(sections.profile_section(data, "a4460ba"))
    assert text.index("Before (a4460ba):") < text.index("After (this tree):")
    assert "A scenario's median: 0.70 s (goal ≤ 0.5 s: NOT met)" in text
    assert text.rstrip().endswith("A scenario's median: 0.50 s (goal ≤ 0.5 s: met).")


def test_a_baseline_older_than_the_profile_is_left_out_of_it_and_the_section_says_so(tmp_path):
    """4f7dfad has no bench/profile.py: its profile run would stop the whole bench (pytest exits 4)."""
    said: list[str] = []
    old, new = SimpleNamespace(tree=tmp_path / "old"), SimpleNamespace(tree=tmp_path / "new")
    (new.tree / "bench").mkdir(parents=True)
    (new.tree / "bench" / "profile.py").write_text("", encoding="utf-8")
    assert profile_baseline(new, "abc1234", said.append) is new and not said
    assert profile_baseline(old, "4f7dfad", said.append) is None
    assert said == ["perfil: la línea base 4f7dfad no tiene bench/profile.py; sólo se perfila este árbol"]
    records = [fake_record(name, setup=5.1, call=0.3, steps=[("steps.x", 0.3)]) for name in "abc"]
    data = {"runs": [Run("profile", 9.0)], "records": records, "baseline_unprofiled": ["4f7dfad"]}
    text = "\n".join(sections.profile_section(data, "4f7dfad"))
    assert "The baseline, 4f7dfad, predates bench/profile.py: only this tree is profiled." in text
    assert "Before (" not in text


def test_command_line_keeps_its_options_and_speaks_spanish(capsys):
    args = parse_args(["--quick", "--only", "qa"])
    assert (args.runs, args.qa_runs, args.results, args.sections) == (1, 1, None, ("qa",))
    assert parse_args(["--results", "-"]).results is None
    assert parse_args([]).sections == ("qa", "figures", "profile") and parse_args([]).qa_runs == 3
    assert parse_args(["--baseline", "a4460ba"]).baseline == "a4460ba" and parse_args([]).baseline is None
    with pytest.raises(SystemExit):
        parse_args(["--help"])
    assert "corridas" in capsys.readouterr().out


# --- where a scenario's time goes (bench/profile.py) -----------------------------------------


def fake_record(test: str, setup: float, call: float, steps: list[tuple[str, float]], **fixtures: float) -> dict:
    return {
        "test": test,
        "phases": {"setup": setup, "call": call, "teardown": 0.1},
        "fixtures": {"browser (session)": 5.0, **fixtures},
        "steps": [{"type": "given", "function": name, "seconds": seconds, "failed": False} for name, seconds in steps],
    }


def test_a_scenarios_parts_add_up_to_its_time_without_the_session_start_up():
    record = fake_record("a", setup=5.5, call=1.0, steps=[("steps.x", 0.6), ("steps.y", 0.3)], page=0.4)
    total, costs = profile.scenario_costs(record)
    assert total == pytest.approx(0.5 + 1.0 + 0.1)
    assert costs["fixture page"] == pytest.approx(0.4) and costs["Given steps.x"] == pytest.approx(0.6)
    assert costs[profile.OUTSIDE_STEPS] == pytest.approx(0.1) and costs[profile.TEARDOWN] == pytest.approx(0.1)
    assert costs["set-up outside the fixtures (hooks)"] == pytest.approx(0.1)


def test_profile_table_ranks_the_parts_and_counts_zero_where_a_part_is_absent():
    records = [
        fake_record("a", setup=5.2, call=1.0, steps=[("steps.slow", 0.9)], page=0.2),
        fake_record("b", setup=5.2, call=0.2, steps=[("steps.fast", 0.1)], page=0.2),
    ]
    lines = sections.profile_table(records, rows=2).splitlines()
    assert lines[2].startswith("| a scenario, whole")
    slow = lines[3].split("|")
    assert slow[1].strip() == "Given steps.slow" and slow[2].strip() == "1"
    assert (slow[3].strip(), slow[4].strip()) == ("0.90 s", "0.45 s")  # median where present, mean over both
    assert lines[4].split("|")[1].strip() == "fixture page"
    assert lines[-1].startswith("| the other")


def test_the_profile_plugin_records_each_scenarios_steps_and_fixtures(pytester, monkeypatch, tmp_path):
    """A scenario run with -p bench.profile leaves one line with its steps, fixtures and phases."""
    pytester.makefile(".feature", perfil="Feature: perfil\n  Scenario: uno\n    Given a step\n    Then another step\n")
    pytester.makepyfile(
        test_perfil="""
import pytest
from pytest_bdd import given, then, scenarios

scenarios("perfil.feature")

@pytest.fixture
def thing():
    return 1

@given("a step")
def a_step(thing):
    pass

@then("another step")
def another_step():
    pass

def test_not_a_scenario():
    pass
"""
    )
    output = tmp_path / "perfil.jsonl"
    monkeypatch.setenv(profile.PROFILE_VARIABLE, str(output))
    result = pytester.runpytest_inprocess(
        "-p", "bench.profile", "-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:playwright"
    )
    result.assert_outcomes(passed=2)
    (record,) = profile.read_records(output)  # the test that is no scenario leaves none
    assert record["test"].endswith("test_uno")
    assert [(step["type"], step["function"]) for step in record["steps"]] == [
        ("given", "test_perfil.a_step"),
        ("then", "test_perfil.another_step"),
    ]
    assert "thing" in record["fixtures"] and set(record["phases"]) == {"setup", "call", "teardown"}
