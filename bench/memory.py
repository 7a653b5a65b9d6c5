"""Peak memory and CPU time of a process tree while it runs (psutil).

A thread samples every ``interval`` seconds the root process (the pytest or floor process) and
its descendants (``Process.children(recursive=True)``), sums their RSS by kind: the root, the
Python children (xdist workers, or the pytest a test starts), Chromium (every process named
chromium/chrome/headless_shell: browser, GPU, renderers, utilities) and Playwright's node driver,
and keeps the peak of each sum. Chromium's summed RSS counts the pages its processes share once
per process (an upper bound); the sum of their PSS (``memory_full_info().pss``: shared pages split
between the sharers) is the closer estimate of what the browser adds. The root's peak is sampled
too (a Python process seldom gives memory back, so its RSS at the last samples is its peak).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import psutil

KINDS = ("root", "python", "chromium", "chromium_pss", "node")
MIB = 1024 * 1024


def _kind(name: str) -> str:
    name = name.lower()
    if "chrom" in name or "headless_shell" in name:
        return "chromium"
    if name == "node" or name.startswith("node-"):  # the driver renames its thread: node-MainThread
        return "node"
    if name.startswith("python") or name.startswith("pytest"):
        return "python"
    return "other"


def descendants(root: int) -> list[int]:
    try:
        return [child.pid for child in psutil.Process(root).children(recursive=True)]
    except psutil.Error:
        return []


@dataclass
class Peaks:
    """Peak memory in MiB by kind (``root``: the root process's own RSS).

    ``cpu_by_pid`` keeps the last CPU time seen of every process of the tree: their sum is the
    CPU the run used, browsers included (Chromium's processes are often not reaped by their
    parents, so the run's rusage misses about half of it).
    """

    by_kind: dict[str, float] = field(default_factory=lambda: dict.fromkeys(KINDS, 0.0))
    samples: int = 0
    cpu_by_pid: dict[int, float] = field(default_factory=dict)

    @property
    def cpu(self) -> float:
        return sum(self.cpu_by_pid.values())

    def as_dict(self) -> dict:
        return {**self.by_kind, "samples": self.samples, "cpu": self.cpu}


class Sampler:
    """``with Sampler(pid) as sampler: ...`` then ``sampler.peaks``."""

    def __init__(self, root: int, interval: float = 0.25) -> None:
        self.root = root
        self.interval = interval
        self.peaks = Peaks()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-memory", daemon=True)

    def sample(self) -> None:
        try:
            root = psutil.Process(self.root)
            tree = root.children(recursive=True)
        except psutil.Error:
            return
        sums = dict.fromkeys(KINDS, 0)
        for process in [root, *tree]:
            try:
                with process.oneshot():
                    times = process.cpu_times()
                    rss = process.memory_info().rss
                    kind = "root" if process is root else _kind(process.name())
                    pss = process.memory_full_info().pss if kind == "chromium" else 0
            except psutil.Error:  # ended between the listing and the reading
                continue
            used = times.user + times.system
            self.peaks.cpu_by_pid[process.pid] = max(used, self.peaks.cpu_by_pid.get(process.pid, 0.0))
            if kind in sums:
                sums[kind] += rss
            if kind == "chromium":
                sums["chromium_pss"] += pss
        self.peaks.samples += 1
        for kind, size in sums.items():
            self.peaks.by_kind[kind] = max(self.peaks.by_kind[kind], size / MIB)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
