"""Peak memory and CPU time of a process tree while it runs, sampled with psutil.

Every ``interval`` seconds: the summed RSS of the Python processes (pytest and its xdist workers,
or the floor; never ``make``, which runs them), the summed RSS of every
Chromium process (an upper bound: shared pages count once per process) and their summed PSS
(shared pages split: the closer estimate), Playwright's node driver, and each process's CPU time
(Chromium's processes are often not reaped by their parents, so the run's rusage misses them).
"""

from __future__ import annotations

import threading
from pathlib import Path

import psutil

KINDS = ("python", "chromium", "chromium_pss", "node")
MIB = 1024 * 1024


def kind(name: str) -> str:
    """What a process of the tree is, by its name: python, chromium, node (Playwright's driver) or other."""
    name = name.lower()
    if name.startswith(("python", "pytest")):
        return "python"
    if "chrom" in name or "headless_shell" in name:
        return "chromium"
    if name == "node" or name.startswith("node-"):  # the driver renames its thread: node-MainThread
        return "node"
    return "other"


def program(process: psutil.Process) -> str:
    """The program a process runs: its executable's name (``name()`` is the title a process may
    set: pytest-xdist's workers call themselves ``[pytest-xdist running] …``)."""
    try:
        return Path(process.exe()).name or process.name()
    except psutil.Error:
        return process.name()


class Sampler:
    """``with Sampler(pid) as sampler: ...``, then ``sampler.peaks`` (MiB by kind) and ``sampler.cpu``."""

    def __init__(self, root: int, interval: float = 0.25) -> None:
        self.root, self.interval = root, interval
        self.peaks = dict.fromkeys(KINDS, 0.0)
        self.cpu_by_pid: dict[int, float] = {}  # the last CPU seconds seen of every process of the tree
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="bench-memory", daemon=True)

    @property
    def cpu(self) -> float:
        return sum(self.cpu_by_pid.values())

    def sample(self) -> None:
        try:
            root = psutil.Process(self.root)
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        sums = dict.fromkeys(KINDS, 0)
        for process in tree:
            try:
                with process.oneshot():
                    times = process.cpu_times()
                    what = kind(program(process))
                    rss = process.memory_info().rss
                    sums["chromium_pss"] += process.memory_full_info().pss if what == "chromium" else 0
            except psutil.Error:  # ended between the listing and the reading
                continue
            self.cpu_by_pid[process.pid] = max(times.user + times.system, self.cpu_by_pid.get(process.pid, 0.0))
            sums[what] = sums.get(what, 0) + rss
        for what in KINDS:
            self.peaks[what] = max(self.peaks[what], sums[what] / MIB)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
