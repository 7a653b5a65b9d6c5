"""Running what the bench measures: each run a subprocess in a private copy of the tree.

Every run happens in a copy of the working tree under a temporary folder, so the bench never
writes into the repository: ``--actualizar-figuras`` rewrites the copy's ``screenshots/`` (restored
from the originals before each run), pytest-playwright wipes the copy's ``test-results/``, and
reports go to the temporary folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from .memory import Sampler

IGNORED = (
    ".git",
    ".venv",
    "venv",
    "reports",
    "test-results",
    "__pycache__",
    ".hypothesis",
    "*.egg-info",
    "instance",
    "build",
    ".pytest_cache",
)
# Variables that would point the scenarios at another site or browser than the embedded ones.
FOREIGN_ENV = (
    "PYTEST_BASE_URL",
    "PLAYWRIGHT_SERVER",
    "ASPEL_CONTROL_TOKEN",
    "ASPEL_USUARIO",
    "ASPEL_CONTRASENA",
    "PYTEST_ADDOPTS",
    "BENCH_INSTRUMENT_OUT",
)
# The outline the per-scenario cost repeats: term 4, one account, a log-in and an upgrade each.
SCALE_OUTLINE = "conserva la renta"
FIGURE_STATUS_SAME = "same"


@dataclass
class Run:
    """One timed subprocess."""

    label: str
    wall: float
    returncode: int
    log: Path
    memory: dict | None = None
    details: dict = field(default_factory=dict)
    cpu: float = 0.0  # user + system seconds of the run's process tree (the processes it waited for)
    leftovers: list[str] = field(default_factory=list)  # processes it left running (then ended)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


class Workspace:
    """A temporary copy of the tree and the commands that run in it."""

    def __init__(self, source: Path, root: Path, python: str = sys.executable, log=print) -> None:
        self.source = source
        self.root = root
        self.tree = root / "tree"
        self.python = python
        self.log = log
        self.counter = 0
        shutil.copytree(source, self.tree, ignore=shutil.ignore_patterns(*IGNORED), symlinks=True)
        if (source / ".venv").is_dir():  # the tests that run make targets (make serve) use it
            (self.tree / ".venv").symlink_to((source / ".venv").resolve(), target_is_directory=True)
        self.figures = {path.name: path.read_bytes() for path in sorted((source / "screenshots").glob("*.png"))}
        self.env = {key: value for key, value in os.environ.items() if key not in FOREIGN_ENV}

    # --- plumbing ------------------------------------------------------------------------------

    def scratch(self, label: str) -> Path:
        self.counter += 1
        folder = self.root / f"{self.counter:03d}-{label}"
        folder.mkdir(parents=True)
        return folder

    def run(
        self,
        label: str,
        command: list[str],
        sample: bool = False,
        env: dict | None = None,
        timeout: float = 3600,
        folder: Path | None = None,
    ) -> Run:
        folder = folder or self.scratch(label)
        log = folder / "output.log"
        with log.open("wb") as output:
            busy_before = machine_busy()
            cpu_before, own_before = _children_cpu(), _own_cpu()
            started = time.perf_counter()
            process = subprocess.Popen(
                command, cwd=self.tree, stdout=output, stderr=subprocess.STDOUT, env={**self.env, **(env or {})}
            )
            sampler = Sampler(process.pid)  # every run: its CPU time; memory kept when asked
            try:
                with sampler:
                    returncode = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                returncode = process.wait()
            wall = time.perf_counter() - started
        memory = sampler.peaks.as_dict() if sample else None
        # rusage misses what the tree did not reap (Chromium's), sampling misses the last instant.
        cpu = max(_children_cpu() - cpu_before, sampler.peaks.cpu)
        run = Run(label, wall, returncode, log, memory, cpu=cpu)
        others = (machine_busy() - busy_before) - run.cpu - (_own_cpu() - own_before)  # the sampler's own
        run.details["others_share"] = max(others, 0.0) / (wall * (os.cpu_count() or 1))
        run.leftovers = self.end_leftovers()
        if run.leftovers:
            self.log(f"  ! {label} left processes running, ended them: {', '.join(run.leftovers)}")
        run.details["folder"] = str(folder)
        if not run.ok:
            self.log(f"  ! {label} exited with code {returncode}; output in {log}")
        return run

    def end_leftovers(self, grace: float = 5.0) -> list[str]:
        """End the processes a run left behind: those whose working directory is inside our folder.

        Only ours can be there (the folder is a fresh temporary one), so nothing else is touched.
        """
        root = str(self.root)
        found = []
        for process in psutil.process_iter(["pid", "name", "cwd"]):
            cwd = process.info["cwd"] or ""
            if process.pid != os.getpid() and (cwd == root or cwd.startswith(root + "/")):
                found.append(process)
        names = sorted(process.info["name"] or "?" for process in found)
        for process in found:
            _quietly(process.terminate)
        _, alive = psutil.wait_procs(found, timeout=grace)
        for process in alive:
            _quietly(process.kill)
        return names

    def pytest(self, label: str, args: list[str], sample: bool = False, env: dict | None = None) -> Run:
        folder = self.scratch(label)
        reports = folder / "reports"
        command = [
            self.python,
            "-m",
            "pytest",
            *args,
            "-q",
            "-p",
            "no:cacheprovider",
            f"--reportes={reports}",
            f"--junitxml={folder / 'junit.xml'}",
        ]
        run = self.run(label, command, sample=sample, env=env, folder=folder)
        run.details["junit"] = junit_cases(folder / "junit.xml")
        run.details["figures"] = figure_statuses(reports / "figures")
        return run

    # --- the figures -----------------------------------------------------------------------------

    def restore_figures(self) -> None:
        folder = self.tree / "screenshots"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for name, data in self.figures.items():
            (folder / name).write_bytes(data)

    def figures_run(self, workers: int, sample: bool = False, extra: list[str] = (), env: dict | None = None) -> Run:
        """`make figures`' pytest command (``--actualizar-figuras``) in the copy, figures restored first."""
        self.restore_figures()
        run = self.pytest(
            f"figures-n{workers}",
            ["features", "-m", "figura", "--actualizar-figuras", "-n", str(workers), *extra],
            sample=sample,
            env=env,
        )
        run.details["differing"] = differing_figures(run.details["figures"], len(self.figures))
        return run

    def checking_run(self, workers: int) -> Run:
        """QA's figure run: the nine figure scenarios check the committed figures (no walkthrough)."""
        self.restore_figures()
        run = self.pytest(f"figures-check-n{workers}", ["features", "-m", "figura", "-n", str(workers)])
        run.details["differing"] = differing_figures(run.details["figures"], len(self.figures))
        return run

    def floor_run(self, sample: bool = False) -> Run:
        folder = self.scratch("floor")
        out = folder / "figures"
        run = self.run(
            "floor", [self.python, "-m", "bench.floor", "--out", str(out), "--json"], sample=sample, folder=folder
        )
        try:
            run.details.update(json.loads(run.log.read_text(encoding="utf-8").strip().splitlines()[-1]))
        except (ValueError, IndexError):
            pass
        run.details["differing"] = self.compare_with_committed(out)
        return run

    def compare_with_committed(self, folder: Path) -> list[str]:
        """Names of the figures in ``folder`` that fail the suite's own comparison with the committed ones.

        The same tolerance as ``make test`` (``Tolerance()``): Chromium redraws the corner of a
        button next to a newly drawn box in a timing-dependent way (Figura 8 differs from its
        committed file by 4 pixels, 1/255 of blue, in the scenarios' shots as in the floor's), so
        comparing at threshold 0 would call the floor "not comparable" for what the scenarios pass.
        """
        from steps.support.figuras.comparison import Tolerance, compare_png

        differing = []
        for name, committed in self.figures.items():
            path = folder / name
            if not path.exists():
                differing.append(f"{name} (missing)")
                continue
            actual = path.read_bytes()
            if actual != committed and compare_png(committed, actual, Tolerance()).changed_pixels > 0:
                differing.append(name)
        return differing

    # --- the per-scenario cost -----------------------------------------------------------------

    def write_scale_feature(self, rows: int) -> Path:
        """bench_scale/ in the copy: the term-4 outline alone, its Ejemplos cycled to ``rows`` rows."""
        folder = self.tree / "bench_scale"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        outline, tags = find_outline(self.tree / "features", SCALE_OUTLINE)
        (folder / "escala.feature").write_text(scale_feature(outline, tags, rows), encoding="utf-8")
        (folder / "test_escala.py").write_text(
            '"""Generated by make bench: the term-4 outline repeated."""\n'
            "import pytest\nfrom pytest_bdd import scenarios\n\n"
            'pytestmark = pytest.mark.usefixtures("page")\n\n'
            'scenarios("escala.feature")\n',
            encoding="utf-8",
        )
        return folder

    def scale_run(self, rows: int) -> Run:
        folder = self.write_scale_feature(rows)
        return self.pytest(
            f"scale-{rows}",
            [str(folder.relative_to(self.tree)), "-n", "0", "-o", f"bdd_features_base_dir={folder}"],
            sample=True,
        )


def machine_busy() -> float:
    """Busy CPU seconds of the whole machine since boot (all but idle and iowait)."""
    times = psutil.cpu_times()
    return (
        sum(times)
        - times.idle
        - getattr(times, "iowait", 0.0)
        - getattr(times, "guest", 0.0)
        - getattr(times, "guest_nice", 0.0)
    )


def _children_cpu() -> float:
    times = psutil.Process().cpu_times()
    return times.children_user + times.children_system


def _own_cpu() -> float:
    times = psutil.Process().cpu_times()
    return times.user + times.system


def _quietly(action) -> None:
    try:
        action()
    except psutil.Error:
        pass


def find_outline(features: Path, words: str) -> tuple[dict, list[str]]:
    """The Esquema whose name holds ``words``, and the tags it inherits (feature, rule, its own)."""
    from steps.support.documento.feature_reader import scenarios

    for node in scenarios(features):
        if node.scenario["examples"] and words in node.name:
            return node.scenario, list(node.tags)
    raise LookupError(f"No Esquema del escenario named with «{words}» in {features}")


def scale_feature(outline: dict, tags: list[str], rows: int) -> str:
    """A feature holding only ``outline`` (gherkin AST), its Ejemplos rows cycled to ``rows`` rows."""
    examples = outline["examples"][0]
    header = [cell["value"] for cell in examples["tableHeader"]["cells"]]
    body = [[cell["value"] for cell in row["cells"]] for row in examples["tableBody"]]
    lines = [
        "# language: es",
        "Característica: Costo por escenario (generado por make bench)",
        "",
        "  " + " ".join(tags),
        f"  {outline['keyword']}: {outline['name']}",
        *(f"    {step['keyword'].strip()} {step['text']}" for step in outline["steps"]),
        "",
        f"    {examples['keyword']}:",
        "      | " + " | ".join(header) + " |",
        *("      | " + " | ".join(body[i % len(body)]) + " |" for i in range(rows)),
    ]
    return "\n".join(lines) + "\n"


def junit_cases(path: Path) -> list[dict]:
    """Each test case of a JUnit XML file in run order: name, seconds, outcome."""
    if not path.exists():
        return []
    cases = []
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = child.tag
        cases.append(
            {
                "name": f"{case.get('classname')}::{case.get('name')}",
                "seconds": float(case.get("time") or 0),
                "outcome": outcome,
            }
        )
    return cases


def figure_statuses(folder: Path) -> dict[str, dict]:
    """The comparison each figure run recorded (steps.support.figuras.comparison sidecars)."""
    statuses = {}
    for sidecar in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        comparison = json.loads(sidecar.read_text(encoding="utf-8"))["comparison"]
        statuses[comparison["name"]] = comparison
    return statuses


def differing_figures(statuses: dict[str, dict], expected: int) -> list[str]:
    """Figures that were not shot, or whose pixels differ at all from the committed ones."""
    differing = [name for name, c in statuses.items() if c["status"] != FIGURE_STATUS_SAME or c["diff_ratio"] > 0]
    missing = expected - len(statuses)
    return differing + [f"{missing} not shot"] * (missing > 0)
