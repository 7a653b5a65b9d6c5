"""Peak memory and CPU time of a process tree, read from /proc while it runs (Linux; no psutil).

Method: a thread polls every ``interval`` seconds. It walks /proc for the descendants of the
root process (by parent pid), reads each one's ``VmRSS`` from /proc/<pid>/status and sums them by
kind: the root (the pytest or floor process), the Python children (xdist workers, or the pytest a
test starts), Chromium (every process named chromium/chrome/headless_shell: browser, GPU,
renderers, utilities) and Playwright's node driver. The peak of each sum over the samples is
kept. For the root, the kernel's own high-water mark ``VmHWM`` is read at each sample as well,
so its peak is exact even between samples. The browser figure is a sum of RSS, so pages Chromium
processes share are counted once per process: an upper bound of what the browser really holds;
the sum of their PSS (/proc/<pid>/smaps_rollup, shared pages split between the sharers) is kept
too, a closer estimate of the memory the browser adds.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

KINDS = ("root", "python", "chromium", "chromium_pss", "node")


def _kind(name: str) -> str:
    name = name.lower()
    if "chrom" in name or "headless_shell" in name:
        return "chromium"
    if name == "node" or name.startswith("node-"):  # the driver renames its thread: node-MainThread
        return "node"
    if name.startswith("python") or name.startswith("pytest"):
        return "python"
    return "other"


def _status(pid: int) -> dict[str, str]:
    fields = {}
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8", errors="replace") as status:
            for line in status:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
    except OSError:
        return {}
    return fields


def _pss(pid: int) -> int:
    """Proportional set size in kB: shared pages split between the processes sharing them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8", errors="replace") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _kilobytes(value: str | None) -> int:
    return int(value.split()[0]) if value else 0


def _parents() -> dict[int, int]:
    """pid → parent pid of every process."""
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as stat:
                text = stat.read()
        except OSError:
            continue
        # The name is in parentheses and may hold spaces: the ppid follows the last ')'.
        parents[int(entry)] = int(text.rsplit(")", 1)[1].split()[1])
    return parents


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, parent in _parents().items():
        children.setdefault(parent, []).append(pid)
    found, pending = [], [root]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process has used so far (its own, not its children's)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Peaks:
    """Peak memory in MiB; ``root_hwm`` is the kernel's high-water mark of the root process.

    ``cpu_by_pid`` keeps the last CPU time seen of every process of the tree: their sum is the
    CPU the run used, browsers included (Chromium's processes are often not reaped by their
    parents, so the run's rusage misses about half of it).
    """

    root_hwm: float = 0.0
    by_kind: dict[str, float] = field(default_factory=lambda: dict.fromkeys(KINDS, 0.0))
    samples: int = 0
    cpu_by_pid: dict[int, float] = field(default_factory=dict)

    @property
    def cpu(self) -> float:
        return sum(self.cpu_by_pid.values())

    def as_dict(self) -> dict:
        return {"root_hwm": self.root_hwm, **self.by_kind, "samples": self.samples, "cpu": self.cpu}


class Sampler:
    """``with Sampler(pid) as sampler: ...`` then ``sampler.peaks``."""

    def __init__(self, root: int, interval: float = 0.25) -> None:
        self.root = root
        self.interval = interval
        self.peaks = Peaks()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-memory", daemon=True)

    def sample(self) -> None:
        status = _status(self.root)
        if not status:
            return
        sums = dict.fromkeys(KINDS, 0)
        sums["root"] = _kilobytes(status.get("VmRSS"))
        hwm = _kilobytes(status.get("VmHWM"))
        tree = descendants(self.root)
        for pid in [self.root, *tree]:
            used = _cpu_seconds(pid)
            if used is not None:
                self.peaks.cpu_by_pid[pid] = max(used, self.peaks.cpu_by_pid.get(pid, 0.0))
        for pid in tree:
            child = _status(pid)
            kind = _kind(child.get("Name", ""))
            if kind in sums:
                sums[kind] += _kilobytes(child.get("VmRSS"))
            if kind == "chromium":
                sums["chromium_pss"] += _pss(pid)
        self.peaks.samples += 1
        self.peaks.root_hwm = max(self.peaks.root_hwm, hwm / 1024)
        for kind, kilobytes in sums.items():
            self.peaks.by_kind[kind] = max(self.peaks.by_kind[kind], kilobytes / 1024)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
