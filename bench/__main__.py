"""`make bench`: how fast the tutorial's figures regenerate, against the bare-Playwright floor.

Prints a table and writes bench/results.md (machine, versions, date). Every number is the median
of several runs with their min and max. Runs happen in a temporary copy of the tree: the
committed screenshots are never touched. A command, not a test: nothing here fails on a time.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from . import profile, report
from .measure import SCALE_OUTLINE, Run, Workspace, find_outline, junit_cases, machine_busy
from .report import Row, Stat

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.md"
SECTIONS = ("qa", "figures", "profile", "scale", "suite")
QA_GOAL_SECONDS = 90
SCALE_SIZES = (10, 25, 50, 100)
QUICK_SCALE_SIZES = (3, 6)
QUICK_SUITE = ["tests/test_domain.py", "features", "-k", "test_domain or figura"]
PACKAGES = ("pytest", "pytest-bdd", "pytest-playwright", "pytest-xdist", "playwright", "Faker", "Flask", "pyinstrument")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=(
            "Benchmark of the tutorial's figures: our scenarios against a bare Playwright script "
            "(the floor), parallel speed-up of the whole suite, cost per scenario, memory, stability "
            "and a profile. Runs in a temporary copy of the tree; never writes into screenshots/."
        ),
        epilog="Example: make bench   |   .venv/bin/python -m bench --quick   |   .venv/bin/python -m bench --only figures --runs 3",
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="runs of the floor and of each figure run, median reported (default 5)"
    )
    parser.add_argument(
        "--suite-runs",
        type=int,
        default=None,
        help="runs of the whole suite, serial and -n 2 each (default 2, at most --runs: a "
        "serial run of the suite takes minutes; 5 for the full protocol)",
    )
    parser.add_argument(
        "--scale-runs",
        type=int,
        default=None,
        help="runs of the 100-scenario session for the per-scenario cost (default 1: each "
        "run takes minutes and already gives 100 per-scenario times)",
    )
    parser.add_argument(
        "--qa-runs",
        type=int,
        default=None,
        help="runs of QA's `make test` (the quick tier), median reported against its goal of "
        f"{QA_GOAL_SECONDS} s (default 3; 1 with --quick)",
    )
    parser.add_argument("--workers", type=int, default=2, help="pytest-xdist workers of the parallel runs (default 2)")
    parser.add_argument(
        "--only",
        choices=SECTIONS,
        action="append",
        help="measure only this section (repeatable): " + ", ".join(SECTIONS),
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: one run of everything, a 6-scenario session, a small suite; "
        "does not write bench/results.md unless --results is given",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=None,
        help=f"where to write the results (default {RESULTS.relative_to(ROOT)}; '-' for nowhere)",
    )
    parser.add_argument(
        "--tree",
        type=Path,
        default=ROOT,
        help="the tree to measure (default: this checkout); e.g. a git worktree with a change to try",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder with logs and reports")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs = 1
    args.suite_runs = args.suite_runs if args.suite_runs is not None else min(2, args.runs)
    args.scale_runs = args.scale_runs if args.scale_runs is not None else 1
    args.qa_runs = args.qa_runs if args.qa_runs is not None else (1 if args.quick else 3)
    if min(args.runs, args.suite_runs, args.scale_runs, args.qa_runs) < 1:
        parser.error("the number of runs must be at least 1")
    if args.results is None:
        args.results = None if args.quick else RESULTS
    elif str(args.results) == "-":
        args.results = None
    args.sections = tuple(args.only or SECTIONS)
    return args


# --- what the machine is ------------------------------------------------------------------------


def machine() -> dict:
    info = {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "ram_gib": psutil.virtual_memory().total / 1024**3,
    }
    try:  # psutil does not name the CPU model
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info["os"] = platform.platform()
    info["python"] = platform.python_version()
    for package in PACKAGES:
        try:
            info[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            info[package] = "not installed"
    info["PYTHONDONTWRITEBYTECODE"] = os.environ.get("PYTHONDONTWRITEBYTECODE", "")
    return info


def cpu_seconds() -> tuple[float, float]:
    """(busy CPU seconds of the whole machine since boot, CPU seconds of this process and its children)."""
    times = psutil.Process().cpu_times()
    return machine_busy(), times.user + times.system + times.children_user + times.children_system


def git_state(tree: Path) -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(tree), "status", "--porcelain"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return head + (" + uncommitted changes in the tree" if dirty else "")


def chromium_version() -> str:
    from steps.support.figuras import renderer as browser

    try:
        executable = browser.launch_executable()
    except browser.RendererUnavailable:
        return "not installed (make setup)"
    try:
        return (
            subprocess.run([str(executable), "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
            if executable
            else "Playwright's own"
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


# --- running ------------------------------------------------------------------------------------


class Progress:
    def __init__(self) -> None:
        self.started = time.perf_counter()

    def __call__(self, message: str) -> None:
        elapsed = time.perf_counter() - self.started
        print(f"[{elapsed / 60:5.1f} min] {message}", flush=True)


def show(progress: Progress, run: Run, index: int, total: int) -> Run:
    extra = ""
    if "differing" in run.details:
        extra = f", figures differing: {len(run.details['differing'])}"
    memory = run.memory or {}
    if memory:
        extra += f", peak RSS {memory['root']:.0f} MiB + Chromium {memory['chromium']:.0f} MiB"
    extra += f", other work {run.details.get('others_share', 0):.0%} of the CPU"
    progress(f"{run.label} {index}/{total}: {run.wall:.2f} s{extra}{'' if run.ok else ' (FAILED)'}")
    return run


def measure_figures(ws: Workspace, args, progress: Progress) -> dict:
    if not args.quick:
        progress("warm-up (not counted): floor and one figure run")
        ws.floor_run()
        ws.figures_run(0)
    floor, checking, serial, parallel, document = [], [], [], [], []
    for i in range(1, args.runs + 1):  # interleaved, so that noise falls on all four alike
        floor.append(show(progress, ws.floor_run(sample=True), i, args.runs))
        checking.append(show(progress, ws.checking_run(0), i, args.runs))
        serial.append(show(progress, ws.figures_run(0, sample=True), i, args.runs))
        document.append(ws.run("tutorial-doc", [ws.python, "-m", "steps.support.documento.tutorial_doc"]))
        parallel.append(show(progress, ws.figures_run(args.workers), i, args.runs))
    return {"floor": floor, "checking": checking, "serial": serial, "parallel": parallel, "document": document}


def measure_profile(ws: Workspace, args, progress: Progress) -> dict:
    folder = ws.root / "profile"
    folder.mkdir(exist_ok=True)
    instrument_out = folder / "instrument.json"
    ws.restore_figures()
    run = ws.pytest(
        "profile-instrument",
        ["features", "-m", "figura", "--actualizar-figuras", "-n", "0", "-p", "bench.instrument"],
        env={"BENCH_INSTRUMENT_OUT": str(instrument_out)},
    )
    progress(f"profile (wall-clock instrumentation): {run.wall:.2f} s")
    session = folder / "figures.pyisession"
    ws.restore_figures()
    reports = folder / "pyinstrument-reports"
    profiled = ws.run(
        "profile-pyinstrument",
        [
            ws.python,
            "-m",
            "bench.profile",
            str(session),
            "--",
            "features",
            "-m",
            "figura",
            "--actualizar-figuras",
            "-n",
            "0",
            "-q",
            f"--reportes={reports}",
        ],
    )
    progress(f"profile (pyinstrument): {profiled.wall:.2f} s")
    result = {"instrument_wall": run.wall, "pyinstrument_wall": profiled.wall}
    if instrument_out.exists():
        result["instrument"] = json.loads(instrument_out.read_text(encoding="utf-8"))
    if session.exists():
        duration, costs = profile.python_costs(session)
        result["python"] = {"duration": duration, "costs": costs, "session": str(session)}
    return result


def measure_scale(ws: Workspace, args, progress: Progress) -> dict:
    sizes = QUICK_SCALE_SIZES if args.quick else SCALE_SIZES
    runs = []
    for i in range(1, args.scale_runs + 1):
        run = ws.scale_run(max(sizes))
        cases = run.details["junit"]
        progress(
            f"{len(cases)}-scenario session {i}/{args.scale_runs}: {run.wall:.2f} s "
            f"(other work {run.details.get('others_share', 0):.0%} of the CPU)"
        )
        runs.append(run)
    outline = find_outline(ws.tree / "features", SCALE_OUTLINE)[0]["name"]
    return {"sizes": sizes, "runs": runs, "outline": outline}


def measure_qa(ws: Workspace, args, progress: Progress) -> dict:
    """QA's `make test` as QA runs it (lint, the quick tier on every core, the reports, the proof
    view), each run in the copy of the tree from a clean reports folder."""
    runs = []
    for i in range(1, args.qa_runs + 1):
        shutil.rmtree(ws.tree / "reports", ignore_errors=True)
        run = ws.run("make-test", ["make", "--no-print-directory", "test"], timeout=1800)
        junit = junit_cases(ws.tree / "reports" / "junit.xml")
        run.details["junit"] = junit
        failed = sum(c["outcome"] in ("failure", "error") for c in junit)
        progress(f"make test {i}/{args.qa_runs}: {run.wall:.1f} s ({len(junit)} tests, {failed} failed)")
        runs.append(run)
    return {"runs": runs}


def qa_rows(data: dict) -> list[Row]:
    runs = data["runs"]
    count = len(runs[0].details["junit"]) if runs else 0
    return [
        Row("make test (QA's tier), wall", Stat.of(walls(runs)), "s", f"≤ {QA_GOAL_SECONDS}", note=f"{count} tests"),
        Row("make test: cores busy on average", cores(runs), "cores"),
        Row("other work on the machine during these runs (share of its CPU)", others(runs), "%"),
    ]


def measure_suite(ws: Workspace, args, progress: Progress) -> dict:
    paths = QUICK_SUITE if args.quick else []
    serial, parallel = [], []
    for i in range(1, args.suite_runs + 1):
        for workers, bucket in ((0, serial), (args.workers, parallel)):
            label = f"suite-n{workers}"
            run = ws.pytest(label, [*paths, "-n", str(workers), f"--output={ws.root / (label + '-pw')}"])
            cases = run.details["junit"]
            failed = sum(c["outcome"] in ("failure", "error") for c in cases)
            progress(
                f"{label} {i}/{args.suite_runs}: {run.wall:.2f} s ({len(cases)} tests, {failed} failed, "
                f"other work {run.details.get('others_share', 0):.0%} of the CPU)"
            )
            bucket.append(run)
    return {"serial": serial, "parallel": parallel, "quick": args.quick}


# --- turning runs into tables -------------------------------------------------------------------


def walls(runs: list[Run]) -> list[float]:
    return [run.wall for run in runs]


def cores(runs: list[Run]) -> Stat | None:
    """Cores busy on average: CPU seconds of the run's processes over its wall time."""
    return Stat.of(run.cpu / run.wall for run in runs if run.wall and run.cpu)


def others(runs: list[Run]) -> Stat | None:
    """Share of the machine's CPU other processes used during these runs, in %."""
    return Stat.of(run.details["others_share"] * 100 for run in runs if "others_share" in run.details)


def memory_stat(runs: list[Run], key: str) -> Stat | None:
    return Stat.of(run.memory[key] for run in runs if run.memory)


def figures_rows(data: dict, workers: int) -> list[Row]:
    floor, checking, serial, parallel = data["floor"], data["checking"], data["serial"], data["parallel"]
    # A floor that shoots other pictures than the committed figures is not the same work.
    stale = (
        "the floor's figures differ from the committed ones: not comparable"
        if any(run.details.get("differing") for run in floor)
        else ""
    )
    return [
        Row("floor: bare Playwright script, 9 figures", Stat.of(walls(floor)), note=stale),
        Row("our scenarios, serial, checking the figures (-n 0)", Stat.of(walls(checking))),
        Row("our scenarios, serial, make figures way (-n 0, + walkthrough frames)", Stat.of(walls(serial))),
        Row(f"our scenarios, make figures way (-n {workers})", Stat.of(walls(parallel))),
        Row(
            "ratio serial checking / floor",
            Stat.of(report.ratios(walls(checking), walls(floor))),
            "×",
            "≤ 1.3",
            note=stale,
        ),
        Row(
            "ratio serial make figures way / floor",
            Stat.of(report.ratios(walls(serial), walls(floor))),
            "×",
            note=stale or "the floor takes no walkthrough frames",
        ),
        Row(
            f"ratio -n {workers} / floor",
            Stat.of(report.ratios(walls(parallel), walls(floor))),
            "×",
            "≤ 1.0",
            note=stale,
        ),
        Row("make figures' second command: rebuild docs/tutorial.{md,html}", Stat.of(walls(data["document"]))),
        Row("floor: cores busy on average (CPU time / wall)", cores(floor), "cores"),
        Row("our scenarios, serial: cores busy on average", cores(serial), "cores"),
        Row(f"our scenarios, -n {workers}: cores busy on average", cores(parallel), "cores"),
        Row("other work on the machine during these runs (share of its CPU)", others(floor + serial + parallel), "%"),
    ]


def suite_rows(data: dict, workers: int) -> list[Row]:
    serial, parallel = data["serial"], data["parallel"]
    count = len(serial[0].details["junit"]) if serial else 0
    note = "quick subset" if data["quick"] else f"{count} tests"
    scenario_ms = Stat.of(
        statistics.median(c["seconds"] * 1000 for c in run.details["junit"][1:] if c["name"].startswith("features."))
        for run in serial
        if sum(c["name"].startswith("features.") for c in run.details["junit"]) > 1
    )
    return [
        Row("whole suite, serial (-n 0)", Stat.of(walls(serial)), note=note),
        Row(f"whole suite, -n {workers}", Stat.of(walls(parallel)), note=note),
        Row(f"speed-up serial / -n {workers}", Stat.of(report.ratios(walls(serial), walls(parallel))), "×", "≥ 1.7"),
        Row("serial: cores busy on average (CPU time / wall)", cores(serial), "cores"),
        Row(f"-n {workers}: cores busy on average", cores(parallel), "cores"),
        Row(
            f"speed-up bound on {os.cpu_count()} cores: cores / serial's busy cores",
            Stat.of(os.cpu_count() / (run.cpu / run.wall) for run in serial if run.cpu),
            "×",
        ),
        Row("median per scenario in the serial suite", scenario_ms, "ms"),
        Row("other work on the machine during these runs (share of its CPU)", others(serial + parallel), "%"),
    ]


def scale_rows(data: dict) -> tuple[list[Row], str]:
    rows = []
    per_size: dict[int, list[float]] = {size: [] for size in data["sizes"]}
    totals: dict[int, list[float]] = {size: [] for size in data["sizes"]}
    setup_extra, medians = [], []
    for run in data["runs"]:
        seconds = [c["seconds"] for c in run.details["junit"]]
        if len(seconds) < max(data["sizes"]):
            continue
        typical = statistics.median(seconds[1:])
        medians.append(statistics.median(seconds) * 1000)
        setup_extra.append((seconds[0] - typical) * 1000)
        for size in data["sizes"]:
            per_size[size].append(statistics.mean(seconds[1:size]) * 1000)
            totals[size].append(sum(seconds[:size]))
    for size in data["sizes"]:
        rows.append(Row(f"first {size} scenarios: in-test time", Stat.of(totals[size])))
        rows.append(Row(f"first {size} scenarios: ms per scenario (scenarios 2–{size})", Stat.of(per_size[size]), "ms"))
    rows.append(Row(f"median per scenario over all {max(data['sizes'])}", Stat.of(medians), "ms"))
    rows.append(Row("session set-up in the 1st scenario (browser, mock)", Stat.of(setup_extra), "ms"))
    rows.append(Row(f"wall time of the {max(data['sizes'])}-scenario session", Stat.of(walls(data["runs"]))))
    rows.append(Row("other work on the machine during these runs (share of its CPU)", others(data["runs"]), "%"))
    verdict = ""
    first, last = per_size[data["sizes"][0]], per_size[data["sizes"][-1]]
    if first and last:
        growth = statistics.median(last) / statistics.median(first) - 1
        verdict = (
            f"ms per scenario at {data['sizes'][-1]} vs {data['sizes'][0]}: {growth:+.0%} "
            f"({'linear' if abs(growth) <= 0.15 else 'NOT linear'}: the cost of a scenario does not "
            f"{'' if abs(growth) <= 0.15 else 'NOT '}depend on how many ran before it in the session)"
        )
    return rows, verdict


def memory_rows(results: dict) -> list[Row]:
    rows = []
    figures = results.get("figures")
    if figures:
        rows += [
            Row("figure run (-n 0): pytest process, peak RSS", memory_stat(figures["serial"], "root"), "MiB"),
            Row(
                "figure run (-n 0): Chromium, peak of the summed RSS", memory_stat(figures["serial"], "chromium"), "MiB"
            ),
            Row(
                "figure run (-n 0): Chromium, peak of the summed PSS",
                memory_stat(figures["serial"], "chromium_pss"),
                "MiB",
            ),
            Row("figure run (-n 0): Playwright driver (node), peak RSS", memory_stat(figures["serial"], "node"), "MiB"),
            Row("floor: Python process, peak RSS", memory_stat(figures["floor"], "root"), "MiB"),
            Row("floor: Chromium, peak of the summed RSS", memory_stat(figures["floor"], "chromium"), "MiB"),
            Row("floor: Chromium, peak of the summed PSS", memory_stat(figures["floor"], "chromium_pss"), "MiB"),
        ]
    scale = results.get("scale")
    if scale:
        size = max(scale["sizes"])
        rows += [
            Row(f"{size}-scenario session: pytest process, peak RSS", memory_stat(scale["runs"], "root"), "MiB"),
            Row(
                f"{size}-scenario session: Chromium, peak of the summed RSS",
                memory_stat(scale["runs"], "chromium"),
                "MiB",
            ),
            Row(
                f"{size}-scenario session: Chromium, peak of the summed PSS",
                memory_stat(scale["runs"], "chromium_pss"),
                "MiB",
            ),
        ]
    return rows


def stability_lines(figures: dict) -> list[str]:
    lines = []
    for key, label in (
        ("checking", "figure runs -n 0 (checking)"),
        ("serial", "figure runs -n 0 (--actualizar-figuras)"),
        ("parallel", "figure runs -n 2"),
        ("floor", "floor runs"),
    ):
        runs = figures[key]
        counts = [len(run.details["differing"]) for run in runs]
        names = sorted({name for run in runs for name in run.details["differing"]})
        lines.append(
            f"- {label}: figures whose pixels differ from the committed ones, per run: "
            f"{', '.join(map(str, counts))} (goal 0)" + (f" — {', '.join(names)}" if names else "")
        )
    return lines


def profile_section(data: dict) -> str:
    parts = []
    instrument = data.get("instrument")
    if instrument:
        rows = [
            (what, f"{seconds:.2f} s", str(calls))
            for what, seconds, calls in profile.wall_costs(instrument)
            if seconds >= 0.05
        ][:24]
        parts.append(
            f"Wall clock of one serial figure run, instrumented (`-p bench.instrument`, "
            f"{data['instrument_wall']:.1f} s with the instrumentation); calls overlap "
            f"(a click inside a step inside a scenario):\n\n" + report.markdown_table(("What", "Time", "Calls"), rows)
        )
    python = data.get("python")
    if python:
        rows = [(label, f"{seconds:.2f} s") for label, seconds in python["costs"] if seconds >= 0.05]
        parts.append(
            f"Python side of one serial figure run under pyinstrument ({python['duration']:.1f} s "
            f"profiled; the main thread switched out to Playwright counts as waiting):\n\n"
            + report.markdown_table(("Where", "Time"), rows)
        )
    return "\n\n".join(parts)


def document(results: dict, info: dict, args, elapsed: float) -> str:
    workers = args.workers
    lines = [
        "# Benchmark: regenerating the tutorial's figures",
        "",
        f"Written by `make bench` ({' '.join(['python -m bench', *args.argv]).strip()}) on {info['date']}, "
        f"in {elapsed / 60:.1f} min. Every figure is the median of its runs, with min and max.",
        "",
        f"- Machine: {info['cpu']}, {info['cores']} cores, {info['ram_gib']:.1f} GiB RAM, {info['os']}",
        f"- Python {info['python']}, pytest {info['pytest']}, pytest-bdd {info['pytest-bdd']}, "
        f"pytest-playwright {info['pytest-playwright']}, pytest-xdist {info['pytest-xdist']}, "
        f"Playwright {info['playwright']}, {info['chromium']}, Faker {info['Faker']}, Flask {info['Flask']}, "
        f"pyinstrument {info['pyinstrument']}",
        f"- Tree: {info['git']}",
        f"- Other work on the machine while the bench ran: {info['others_share']:.0%} of the CPU time of its "
        f"{info['cores']} cores (the machine's busy CPU time, psutil, minus the bench's own processes; load average "
        f"before / after {info['load_before']:.2f} / {info['load_after']:.2f})"
        + (" — numbers are noisy" if info["others_share"] > 0.05 else " — a quiet machine"),
        f"- PYTHONDONTWRITEBYTECODE={info['PYTHONDONTWRITEBYTECODE'] or '(unset)'} in the environment the runs inherit",
    ]
    lines += [
        "",
        "Commands, each run in a fresh temporary copy of the tree (reports and figures there):",
        "",
        "- floor: `python -m bench.floor --out <tmp>`",
        "- figures, checking (QA's figure run): `python -m pytest features -m figura -n 0 -q -p no:cacheprovider "
        "--reportes=<tmp> --junitxml=<tmp>`",
        "- figures, make figures way: the same with `--actualizar-figuras -n 0|2`: the scenarios also leave the "
        "walkthrough's frames (docs/recorrido.gif), which the floor does not take; the copy's screenshots/ "
        "restored from the committed ones first",
        "- whole suite: `python -m pytest -n 0|2 -q -p no:cacheprovider --reportes=<tmp> --junitxml=<tmp> "
        "--output=<tmp>` (testpaths: tests, features)",
        "- per-scenario cost: `python -m pytest bench_scale -n 0 ...` on a generated feature (below)",
    ]
    figures = results.get("figures")
    if figures:
        lines += [
            "",
            "## Figures vs floor",
            "",
            "Wall time of the whole command, from process start to exit: `pytest features -m figura "
            "--actualizar-figuras` in a copy of the tree against `python -m bench.floor` "
            "(one browser, the same mock, data, screens, context and launch options, no pytest, no Gherkin).",
            "",
            report.stats_table(figures_rows(figures, workers)),
        ]
    qa = results.get("qa")
    if qa:
        lines += [
            "",
            "## QA's make test",
            "",
            "`make test` in a copy of the tree (a clean `reports/` each run): lint, the tests not marked "
            "`completo` on every core, the fuzz at its QA budget, the reports and the proof view.",
            "",
            report.stats_table(qa_rows(qa)),
        ]
    suite = results.get("suite")
    if suite:
        lines += ["", "## Parallel speed-up", "", report.stats_table(suite_rows(suite, workers))]
        failed = {
            c["name"]
            for run in suite["serial"] + suite["parallel"]
            for c in run.details["junit"]
            if c["outcome"] in ("failure", "error")
        }
        if failed:
            lines += ["", "Tests that failed in some run (their time still counts): " + ", ".join(sorted(failed))]
    scale = results.get("scale")
    if scale:
        rows, verdict = scale_rows(scale)
        lines += [
            "",
            "## Per-scenario cost",
            "",
            f"The term-4 outline (*{scale['outline']}*: an account, a log-in, an upgrade) with its "
            f"Ejemplos cycled to {max(scale['sizes'])} rows in a generated feature, run serially in one "
            "session; per-scenario times from JUnit (set-up + call + teardown), read at the "
            f"{', '.join(str(size) + 'th' for size in scale['sizes'])} scenario. pytest runs a node id given twice only once (checked, also "
            "with `--keep-duplicates`), hence the generated feature.",
            "",
            report.stats_table(rows),
            "",
            verdict,
        ]
    memory = memory_rows(results)
    if memory:
        lines += [
            "",
            "## Memory",
            "",
            "Sampled every 0.25 s with psutil while each run ran (bench/memory.py): the process's own "
            "peak RSS and, for Chromium, the largest sum of RSS over every Chromium process (browser, "
            "GPU, renderers, utilities), an upper bound since shared pages count once per process, and "
            "the largest sum of their PSS (memory_full_info: shared pages split), the closer estimate.",
            "",
            report.stats_table(memory),
        ]
    if figures:
        lines += [
            "",
            "## Stability",
            "",
            "Each run's figures against the committed PNGs by the suite's own comparison (the sidecars "
            "the camera writes: status and share of pixels changed; the floor's PNGs compared with the "
            "same tolerance, Tolerance()):",
            "",
            *stability_lines(figures),
        ]
    leftovers = sorted(
        {
            f"{run.label}: {', '.join(run.leftovers)}"
            for section in results.values()
            if isinstance(section, dict)
            for runs in section.values()
            if isinstance(runs, list)
            for run in runs
            if isinstance(run, Run) and run.leftovers
        }
    )
    if leftovers:
        lines += [
            "",
            "Processes a run left running (the bench ended them, by pid, after the run): " + "; ".join(leftovers),
        ]
    prof = results.get("profile")
    if prof:
        lines += ["", "## Profile", "", profile_section(prof)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    progress = Progress()
    info = machine()
    info["date"] = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    info["git"] = git_state(args.tree)
    info["chromium"] = chromium_version()
    info["load_before"] = os.getloadavg()[0]
    cpu_before = cpu_seconds()
    root = Path(tempfile.mkdtemp(prefix="aspel-bench-"))
    progress(f"copy of {args.tree} in {root}; sections: {', '.join(args.sections)}")
    ws = Workspace(args.tree.resolve(), root, log=progress)
    results: dict = {}
    try:
        measurers = {
            "qa": measure_qa,
            "figures": measure_figures,
            "profile": measure_profile,
            "scale": measure_scale,
            "suite": measure_suite,
        }
        for section in SECTIONS:
            if section in args.sections:
                results[section] = measurers[section](ws, args, progress)
        info["load_after"] = os.getloadavg()[0]
        cpu_after = cpu_seconds()
        elapsed = time.perf_counter() - progress.started
        others = (cpu_after[0] - cpu_before[0]) - (cpu_after[1] - cpu_before[1])
        info["others_share"] = max(others, 0.0) / (elapsed * (os.cpu_count() or 1))
        text = document(results, info, args, time.perf_counter() - progress.started)
        print()
        print(text)
        if args.results:
            previous = args.results.read_text(encoding="utf-8") if args.results.exists() else None
            args.results.write_text(report.merge_findings(text, previous), encoding="utf-8")
            print(f"Written: {args.results}")
    finally:
        if args.keep:
            print(f"Logs and reports kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
