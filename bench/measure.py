"""Running what the bench measures: each run a subprocess in a private copy of the tree, timed,
its process tree sampled (bench.memory), its per-test times pytest's own (JUnit, ``--durations=0``).
The bench never writes into the repository: figure runs rewrite the copy's ``screenshots/``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from bench.memory import Sampler

IGNORED = (".git", ".venv", "venv", "reports", "test-results", "__pycache__", ".hypothesis", "*.egg-info")
IGNORED += ("instance", "build", ".pytest_cache")
# Variables that would point the scenarios at another site or browser than the embedded ones.
FOREIGN_ENV = ("PYTEST_BASE_URL", "PLAYWRIGHT_SERVER", "ASPEL_CONTROL_TOKEN", "ASPEL_USUARIO", "ASPEL_CONTRASENA")
FOREIGN_ENV += ("PYTEST_ADDOPTS",)
# One line of pytest's --durations=0: "1.23s call     features/test_tutorial.py::test_x[chromium]".
DURATION_LINE = re.compile(r"^(\d+(?:\.\d+)?)s (setup|call|teardown) +(\S.*?)\s*$", re.MULTILINE)


@dataclass
class Run:
    """One timed subprocess."""

    label: str
    wall: float
    returncode: int = 0
    log: Path | None = None
    cpu: float = 0.0  # user + system seconds of its process tree, Chromium included
    others: float = 0.0  # share of the machine's CPU that other processes used meanwhile
    memory: dict[str, float] = field(default_factory=dict)  # peak MiB by kind (bench.memory)
    cases: list[dict] = field(default_factory=list)  # JUnit test cases in run order
    durations: dict[str, dict[str, float]] = field(default_factory=dict)  # node id → phase → s
    differing: list[str] | None = None  # figures unlike the committed ones (figure and floor runs)
    floor: dict = field(default_factory=dict)  # the floor's own timings (the JSON line it prints)
    leftovers: list[str] = field(default_factory=list)  # processes it left running (then ended)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


class Workspace:
    """A temporary copy of the tree and the commands that run in it."""

    def __init__(self, source: Path, root: Path, log: Callable[[str], None] = print, venv: Path | None = None) -> None:
        self.root, self.tree, self.log, self.python = root, root / "tree", log, sys.executable
        shutil.copytree(source, self.tree, ignore=shutil.ignore_patterns(*IGNORED), symlinks=True)
        venv = venv or source / ".venv"
        if venv.is_dir():  # the tests that run make targets (make serve) use it
            (self.tree / ".venv").symlink_to(venv.resolve(), target_is_directory=True)
        self.figures = {path.name: path.read_bytes() for path in sorted((source / "screenshots").glob("*.png"))}
        self.env = {key: value for key, value in os.environ.items() if key not in FOREIGN_ENV}

    def scratch(self, label: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=f"{label}-", dir=self.root))

    def run(self, label: str, command: list[str], folder: Path | None = None, timeout: float = 3600) -> Run:
        """``command`` in the copy, timed, its process tree sampled (memory, CPU) with psutil."""
        log = (folder or self.scratch(label)) / "output.log"
        busy_before, children_before, own_before = machine_busy(), _cpu("children"), _cpu("own")
        started = time.perf_counter()
        with log.open("wb") as output:
            process = subprocess.Popen(command, cwd=self.tree, stdout=output, stderr=subprocess.STDOUT, env=self.env)
            with Sampler(process.pid) as sampler:
                try:
                    returncode = process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    returncode = process.wait()
        wall = time.perf_counter() - started
        # rusage misses what the tree did not reap (Chromium's), sampling misses the last instant.
        cpu = max(_cpu("children") - children_before, sampler.cpu)
        others = machine_busy() - busy_before - cpu - (_cpu("own") - own_before)  # the sampler's own
        run = Run(label, wall, returncode, log, cpu, max(others, 0.0) / (wall * (os.cpu_count() or 1)))
        run.memory, run.leftovers = sampler.peaks, self.end_leftovers()
        if run.leftovers:
            self.log(f"  ! {label} dejó procesos corriendo; terminados: {', '.join(run.leftovers)}")
        if not run.ok:
            self.log(f"  ! {label} salió con código {returncode}; salida en {log}")
        return run

    def end_leftovers(self, grace: float = 5.0) -> list[str]:
        """End the processes a run left behind: those whose working directory is inside our folder.

        Only ours can be there (the folder is a fresh temporary one), so nothing else is touched.
        """
        root = str(self.root)
        found = [
            process
            for process in psutil.process_iter(["name", "cwd"])
            if process.pid != os.getpid() and ((process.info["cwd"] or "") + "/").startswith(root + "/")
        ]
        for process in found:
            with contextlib.suppress(psutil.Error):
                process.terminate()
        for process in psutil.wait_procs(found, timeout=grace)[1]:
            with contextlib.suppress(psutil.Error):
                process.kill()
        return sorted(process.info["name"] or "?" for process in found)

    def pytest(self, label: str, args: list[str]) -> Run:
        """pytest in the copy with its own timings: JUnit XML and ``--durations=0``."""
        folder = self.scratch(label)
        options = ["-q", "-p", "no:cacheprovider", f"--reportes={folder / 'reports'}"]
        options += [f"--junitxml={folder / 'junit.xml'}", "--durations=0", "--durations-min=0"]
        run = self.run(label, [self.python, "-m", "pytest", *args, *options], folder)
        run.cases = junit_cases(folder / "junit.xml")
        run.durations = pytest_durations(run.log.read_text(encoding="utf-8", errors="replace"))
        return run

    def figures_run(self, workers: int, update: bool) -> Run:
        """The nine figure scenarios, the copy's figures restored first: QA's check, or with
        ``update`` `make figuras`' command (``--actualizar-figuras``: also the walkthrough's frames)."""
        shutil.rmtree(self.tree / "screenshots", ignore_errors=True)
        (self.tree / "screenshots").mkdir()
        for name, data in self.figures.items():
            (self.tree / "screenshots" / name).write_bytes(data)
        label = f"figures-{'update' if update else 'check'}-n{workers}"
        run = self.pytest(label, ["features", "-m", "figura", "-n", str(workers), *["--actualizar-figuras"] * update])
        run.differing = differing_figures(run.log.parent / "reports" / "figures", len(self.figures))
        return run

    def floor_run(self) -> Run:
        folder = self.scratch("floor")
        run = self.run("floor", [self.python, "-m", "bench.floor", "--out", str(folder / "figures")], folder)
        try:
            run.floor = json.loads(run.log.read_text(encoding="utf-8").strip().splitlines()[-1])
        except (ValueError, IndexError):
            pass
        run.differing = self.compare_with_committed(folder / "figures")
        return run

    def compare_with_committed(self, folder: Path) -> list[str]:
        """Names of the figures in ``folder`` that fail the suite's own comparison with the committed ones.

        The same tolerance as ``make pruebas`` (``Tolerance()``): Chromium redraws the corner of a
        button next to a newly drawn box in a timing-dependent way, so comparing at threshold 0
        would call the floor "not comparable" for what the scenarios pass.
        """
        from tutorial.figuras.comparison import Tolerance, compare_png

        differing = []
        for name, committed in self.figures.items():
            path = folder / name
            if not path.exists():
                differing.append(f"{name} (missing)")
            elif (png := path.read_bytes()) != committed and compare_png(committed, png, Tolerance()).changed_pixels:
                differing.append(name)
        return differing


def exported(tree: Path, revision: str, folder: Path) -> Path:
    """``revision``'s committed files (``git archive``), unpacked in ``folder``: the tree a
    baseline is measured on, with nothing of this checkout's work in progress."""
    archive = subprocess.run(["git", "-C", str(tree), "archive", "--format=tar", revision], capture_output=True)
    if archive.returncode:
        raise SystemExit(f"git no conoce la revisión {revision!r}: {archive.stderr.decode().strip()}")
    folder.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as files:
        files.extractall(folder, filter="data")
    return folder


def machine_busy() -> float:
    """Busy CPU seconds of the whole machine since boot (all but idle, iowait and guests)."""
    times = psutil.cpu_times()
    unbusy = ("idle", "iowait", "guest", "guest_nice")
    return sum(times) - sum(getattr(times, name, 0.0) for name in unbusy)


def _cpu(whose: str) -> float:
    times = psutil.Process().cpu_times()
    return times.children_user + times.children_system if whose == "children" else times.user + times.system


def junit_cases(path: Path) -> list[dict]:
    """Each test case of a JUnit XML file in run order: name, seconds (set-up + call + teardown), outcome."""
    if not path.exists():
        return []
    cases = []
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        outcomes = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
        name, seconds = f"{case.get('classname')}::{case.get('name')}", float(case.get("time") or 0)
        cases.append({"name": name, "seconds": seconds, "outcome": outcomes[-1] if outcomes else "passed"})
    return cases


def pytest_durations(output: str) -> dict[str, dict[str, float]]:
    """Node id → {"setup"|"call"|"teardown": seconds}, read from pytest's ``--durations=0`` lines."""
    durations: dict[str, dict[str, float]] = {}
    for seconds, phase, node in DURATION_LINE.findall(output):
        durations.setdefault(node, {})[phase] = float(seconds)
    return durations


def differing_figures(folder: Path, expected: int) -> list[str]:
    """Figures not shot, or whose pixels differ at all from the committed ones (the figure report's record)."""
    from tutorial.figuras.comparison import SAME
    from tutorial.figuras.report import recorded_comparisons

    comparisons = recorded_comparisons(folder)
    differing = [c.name for c in comparisons if c.status != SAME or c.diff_ratio > 0]
    missing = expected - len(comparisons)
    return differing + [f"{missing} not shot"] * (missing > 0)
