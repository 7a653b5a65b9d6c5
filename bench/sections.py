"""The runs of each section turned into the rows and text of bench/results.md."""

from __future__ import annotations

from bench import floor, profile
from bench.measure import Run
from bench.report import Row, Stat, markdown_table, median, number, ratios, stats_table

QA_GOAL_SECONDS = 45  # issue 40: make pruebas on the bench machine
QA_GOAL_RATIO = 0.65  # ... or this share of the baseline's time, measured in the same run (--baseline)
SCENARIO_GOAL_SECONDS = 0.5  # a scenario's median, the session's start-up left out
OTHER_WORK = "other work on the machine during these runs (share of its CPU)"
PHASES = ("setup", "call", "teardown")
NO_FRAMES = "the floor takes no walkthrough frames"
# A floor that shoots other pictures than the committed figures is not the same work.
STALE = "the floor's figures differ from the committed ones: not comparable"
MEMORY_LABELS = {
    "python": "{process}, peak of the summed RSS",
    "chromium": "Chromium, peak of the summed RSS",
    "chromium_pss": "Chromium, peak of the summed PSS",
    "node": "Playwright driver (node), peak RSS",
}


def walls(runs: list[Run]) -> list[float]:
    return [run.wall for run in runs]


def cores(runs: list[Run]) -> Stat | None:
    """Cores busy on average: CPU seconds of the run's processes over its wall time."""
    return Stat.of(run.cpu / run.wall for run in runs if run.wall and run.cpu)


def others(runs: list[Run]) -> Stat | None:
    """Share of the machine's CPU other processes used during these runs, in %."""
    return Stat.of(run.others * 100 for run in runs)


def _tests(runs: list[Run]) -> str:
    return f"{len(runs[0].cases) if runs else 0} tests"


def qa_rows(runs: list[Run], base: list[Run] | None = None, revision: str | None = None) -> list[Row]:
    rows = [Row("make pruebas (QA's tier), wall", Stat.of(walls(runs)), "s", f"≤ {QA_GOAL_SECONDS}", note=_tests(runs))]
    if base:
        rows += [
            Row(f"make pruebas at {revision} (the baseline), wall", Stat.of(walls(base)), note=_tests(base)),
            Row(
                "ratio this tree / the baseline (paired runs)",
                Stat.of(ratios(walls(runs), walls(base))),
                "×",
                f"≤ {QA_GOAL_RATIO}",
            ),
        ]
    rows += [Row("make pruebas: cores busy on average", cores(runs), "cores")]
    if base:
        rows += [Row("the baseline: cores busy on average", cores(base), "cores")]
    return [*rows, Row(OTHER_WORK, others(runs + (base or [])), "%")]


def figures_rows(data: dict[str, list[Run]], workers: int) -> list[Row]:
    base, checking, serial, parallel = (data[key] for key in ("floor", "checking", "serial", "parallel"))
    stale = STALE if any(run.differing for run in base) else ""

    def ratio(runs: list[Run]) -> Stat | None:
        return Stat.of(ratios(walls(runs), walls(base)))

    # The same work as make figuras' way: the floor plus what the walkthrough's frames cost, which
    # the floor does not take, measured in the same round (serial make figuras way − serial checking).
    with_frames = [f + s - c for f, s, c in zip(walls(base), walls(serial), walls(checking), strict=False)]

    return [
        Row("floor: bare Playwright script, 9 figures", Stat.of(walls(base)), note=stale),
        Row("our scenarios, serial, checking the figures (-n 0)", Stat.of(walls(checking))),
        Row("our scenarios, serial, make figuras way (-n 0, + walkthrough frames)", Stat.of(walls(serial))),
        Row(f"our scenarios, make figuras way (-n {workers})", Stat.of(walls(parallel))),
        Row("ratio serial checking / floor", ratio(checking), "×", "≤ 1.3", note=stale),
        Row("ratio serial make figuras way / floor", ratio(serial), "×", note=stale or NO_FRAMES),
        Row(f"ratio -n {workers} / floor", ratio(parallel), "×", "≤ 1.0", note=stale or NO_FRAMES),
        Row(
            f"ratio -n {workers} / (floor + the frames: serial make figuras way − serial checking)",
            Stat.of(ratios(walls(parallel), with_frames)),
            "×",
            "≤ 1.0",
            note=stale,
        ),
        Row("floor: cores busy on average (CPU time / wall)", cores(base), "cores"),
        Row("our scenarios, serial: cores busy on average", cores(serial), "cores"),
        Row(f"our scenarios, -n {workers}: cores busy on average", cores(parallel), "cores"),
        Row(OTHER_WORK, others(base + serial + parallel), "%"),
    ]


def per_figure_table(data: dict[str, list[Run]]) -> str:
    """Each figure's median time in the floor against its checking scenario's phases (pytest's durations)."""
    base, checking = data["floor"], data["checking"]
    shots = [run.floor.get("figures", {}) for run in base]  # the floor's seconds per figure, by number
    rows = []
    for screen in floor.SCREENS:
        node = floor.node_id(screen.scenario)
        phases = [median(run.durations.get(node, {}).get(phase) for run in checking) for phase in PHASES]
        shot = median(figures.get(str(screen.number)) for figures in shots)
        rows.append((f"Figura {screen.number}", shot, *phases, None if None in phases else sum(phases)))
    in_tests = [sum(sum(phases.values()) for phases in run.durations.values()) for run in checking]
    outside = median(run.wall - sum(figures.values()) for run, figures in zip(base, shots, strict=True) if figures)
    pytest_outside = median(run.wall - seconds for run, seconds in zip(checking, in_tests, strict=True))
    rows.append(("outside the figures / the tests", outside, None, None, None, pytest_outside))
    rows.append(("whole command", median(walls(base)), None, None, None, median(walls(checking))))
    cells = [
        (
            label,
            *(number(value, "s") for value in values),
            number(values[-1] / values[0] if values[0] and values[-1] else None, "×"),
        )
        for label, *values in rows
    ]
    header = ("Figure", "Floor", "Scenario: set-up", "call", "teardown", "Scenario: total", "Scenario / floor")
    return markdown_table(header, cells)


def memory_rows(figures: dict[str, list[Run]]) -> list[Row]:
    groups = [("figure run (-n 0)", "pytest process", figures["serial"]), ("floor", "Python process", figures["floor"])]
    return [
        Row(f"{what}: {label.format(process=process)}", Stat.of(run.memory[kind] for run in runs), "MiB")
        for what, process, runs in groups
        for kind, label in MEMORY_LABELS.items()
    ]


def stability_lines(figures: dict[str, list[Run]], workers: int) -> list[str]:
    lines = []
    for key, label in (
        ("checking", "figure runs -n 0 (checking)"),
        ("serial", "figure runs -n 0 (--actualizar-figuras)"),
        ("parallel", f"figure runs -n {workers}"),
        ("floor", "floor runs"),
    ):
        counts = ", ".join(str(len(run.differing or [])) for run in figures[key])
        names = sorted({name for run in figures[key] for name in run.differing or []})
        named = f" — {', '.join(names)}" if names else ""
        lines.append(
            f"- {label}: figures whose pixels differ from the committed ones, per run: {counts} (goal 0){named}"
        )
    return lines


PROFILE_ROWS = 15


def profile_table(records: list[dict], rows: int = PROFILE_ROWS) -> str:
    """A scenario's parts (each function-scoped fixture's own set-up, each step, the teardown),
    largest first by their share of all the scenarios' time; the median over the scenarios that
    have the part, and its mean over every scenario (0 where it did not occur)."""
    totals, values = profile.summary(records)
    everything = sum(totals) or 1.0
    ranked = sorted(values.items(), key=lambda item: -sum(item[1]))
    cells = [("a scenario, whole (the session's start-up left out)", f"{len(totals)}", *_spread(totals), "100 %")]
    for name, seconds in ranked[:rows]:
        cells.append((name, *_present(seconds), f"{sum(seconds) / everything:.1%}".replace("%", " %")))
    rest = [sum(seconds) for _name, seconds in ranked[rows:]]
    cells.append((f"the other {len(rest)} parts", "–", "–", number(sum(rest) / len(totals), "s"), ""))
    header = ("Part of a scenario", "Scenarios with it", "Median where present", "Mean per scenario", "Share")
    return markdown_table(header, cells)


def _spread(values: list[float]) -> tuple[str, str]:
    return number(median(values), "s"), number(sum(values) / len(values) if values else None, "s")


def _present(values: list[float]) -> tuple[str, str, str]:
    present = [value for value in values if value > 0]
    return f"{len(present)}", number(median(present), "s"), number(sum(values) / len(values), "s")


def scenario_goal_line(records: list[dict]) -> str:
    totals, _values = profile.summary(records)
    stat = Stat.of(totals)
    row = Row("a scenario's median", stat, "s", f"≤ {SCENARIO_GOAL_SECONDS}")
    return f"\nA scenario's median: {number(stat.median if stat else None, 's')} (goal ≤ {SCENARIO_GOAL_SECONDS} s: {row.verdict() or '–'})."


def profile_section(data: dict, revision: str | None) -> list[str]:
    """The profile of this tree's scenarios, after the baseline's when there is one (the same runs, alternating)."""
    runs = len(data["runs"])
    intro = (
        f"`pytest features -n 0 -p bench.profile --screenshot only-on-failure` (make pruebas' Playwright options; "
        f"{runs} run{'s' * (runs != 1)}; each scenario of each run one "
        "sample): pytest's set-up, call and teardown of each scenario split into each function-scoped fixture's "
        "own set-up (what the fixtures it asks for took is theirs), each step (pytest-bdd's before/after step "
        "hooks, by step function) and the teardown; the session's start-up (browser, mock) is left out."
    )
    body = [profile_table(data["records"]), scenario_goal_line(data["records"])]
    if data.get("baseline_unprofiled"):
        intro += f" The baseline, {revision}, predates bench/profile.py: only this tree is profiled."
    if data.get("baseline_records"):
        intro += f" Before: {revision} (`--baseline`), its runs alternating with this tree's; after: this tree."
        body = [
            f"\nBefore ({revision}):\n",
            profile_table(data["baseline_records"]),
            scenario_goal_line(data["baseline_records"]),
            "\nAfter (this tree):\n",
            *body,
        ]
    return section("Where a scenario's time goes", intro, *body)


def all_runs(results: dict) -> list[Run]:
    return [run for section in results.values() for runs in section.values() for run in runs if isinstance(run, Run)]


def header(info: dict, command: str, elapsed: float) -> list[str]:
    noisy = "numbers are noisy" if info["others_share"] > 0.05 else "a quiet machine"
    return [
        "# Benchmark: regenerating the tutorial's figures\n",
        f"Written by `make medir` ({command}) on {info['date']}, in {elapsed / 60:.1f} min. Every figure is the "
        "median of its runs, with min and max.\n",
        f"- Machine: {info['cpu']}, {info['cores']} cores, {info['ram_gib']:.1f} GiB RAM, {info['os']}",
        f"- Python {info['python']}, pytest {info['pytest']}, pytest-bdd {info['pytest-bdd']}, "
        f"pytest-playwright {info['pytest-playwright']}, pytest-xdist {info['pytest-xdist']}, "
        f"Playwright {info['playwright']}, {info['chromium']}, Faker {info['Faker']}, Flask {info['Flask']}",
        f"- Tree: {info['git']}",
        f"- Other work on the machine while the bench ran: {info['others_share']:.0%} of the CPU time of its "
        f"{info['cores']} cores (each run's: the machine's busy CPU time, psutil, minus the run's own processes; "
        f"weighted by wall time; load average before / after {info['load_before']:.2f} / "
        f"{info['load_after']:.2f}) — {noisy}",
        f"- PYTHONDONTWRITEBYTECODE={info['PYTHONDONTWRITEBYTECODE'] or '(unset)'} in the environment the runs inherit",
        "- Each run in a fresh temporary copy of the tree; every pytest run with `-q -p no:cacheprovider "
        "--reportes=<tmp> --junitxml=<tmp> --durations=0 --durations-min=0`: per-test times are pytest's own",
    ]


def section(title: str, intro: str, *body: str) -> list[str]:
    return [f"\n## {title}\n", intro + "\n", *body]


def document(results: dict, info: dict, command: str, elapsed: float, workers: int) -> str:
    """bench/results.md's generated part: the header, then a table per section measured."""
    lines = header(info, command, elapsed)
    figures = results.get("figures")
    if figures:
        lines += section(
            "Figures vs floor",
            "Wall time of the whole command, from process start to exit: `pytest features -m figura` (checking, "
            f"QA's way) and with `--actualizar-figuras` (`make figuras`' way, -n 0 and -n {workers}: also the "
            "walkthrough's frames) against `python -m bench.floor` (one browser, the same mock, data, screens, "
            "context and launch options, no pytest, no Gherkin); the copy's screenshots/ restored first.",
            stats_table(figures_rows(figures, workers)),
            "\nPer figure (medians): the floor's time for it against its checking scenario's set-up, call and "
            "teardown by pytest's `--durations=0` (the first scenario's set-up also starts the browser and the "
            "mock); outside them lie start-up, imports, collection (pytest) or the mock's and the browser's start "
            "(floor).\n",
            per_figure_table(figures),
        )
        lines += section(
            "Memory",
            "Sampled every 0.25 s with psutil while each run ran (bench/memory.py): the largest sum of RSS of the Python "
            "processes (pytest, or the floor) "
            "and, for Chromium, the largest sum of RSS over every Chromium process (browser, GPU, renderers, "
            "utilities), an upper bound since shared pages count once per process, and the largest sum of their "
            "PSS (memory_full_info: shared pages split), the closer estimate.",
            stats_table(memory_rows(figures)),
        )
        lines += section(
            "Stability",
            "Each run's figures against the committed PNGs by the suite's own comparison (the camera's sidecars; "
            "the floor's PNGs with the same tolerance, Tolerance()):",
            *stability_lines(figures, workers),
        )
    revision = info.get("baseline")
    if "qa" in results:
        qa = results["qa"]
        lines += section(
            "QA's make pruebas",
            "`make pruebas` in a copy of the tree (a clean `reports/` each run): lint, the tests not marked "
            "`completo` on every core, the fuzz at its QA budget, the reports and the proof view"
            + (
                f"; alternating with the same in a copy of {revision} (`--baseline`, `git archive`)."
                if qa.get("baseline")
                else "."
            ),
            stats_table(qa_rows(qa["runs"], qa.get("baseline"), revision)),
        )
    if "profile" in results:
        lines += profile_section(results["profile"], revision)
    if leftovers := sorted({f"{run.label}: {', '.join(run.leftovers)}" for run in all_runs(results) if run.leftovers}):
        lines.append("\nProcesses a run left running (the bench ended them, by pid): " + "; ".join(leftovers))
    return "\n".join(lines) + "\n"
