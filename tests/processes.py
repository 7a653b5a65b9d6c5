"""Processes a test starts, and the proof that they end with it, children included.

A launcher is not the process that matters: ``playwright run-server`` is a Python script that
runs Node, and Node launches Chromium in a session of its own. Ending the launcher alone leaves
the rest running (parent 1). So every process a test starts here:

- runs in a session and process group of its own (``start_new_session=True``), and
- carries a tag in its environment (``ASPEL_PROCESO_DE_PRUEBA``) that its children inherit, even
  those that leave the group (``setsid``) or outlive their parent.

When the test is done, the group, every tagged process and their descendants get a stop signal
(SIGTERM, or what the program asks for: Playwright's server closes its browsers on SIGTERM but
keeps running, and exits on SIGINT), and after a grace period SIGKILL; then none of them may be
left, or the test fails naming what was left.
Waiting for a process to end uses a pidfd (no polling) where Linux offers it.
"""

from __future__ import annotations

import itertools
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

TAG_VARIABLE = "ASPEL_PROCESO_DE_PRUEBA"
# One prefix per pytest process: a check at the end finds whatever any test of this run started.
SESSION_TAG = uuid.uuid4().hex[:12]
_numbers = itertools.count(1)
PROC = Path("/proc")
GRACE_SECONDS = 10.0
PROJECT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Running:
    """A running process, named by pid and start time (a pid alone can be reused)."""

    pid: int
    start_time: int
    command: str

    def describe(self) -> str:
        return f"{self.pid} {self.command[:160]}"


@dataclass(frozen=True)
class _Entry:
    process: Running
    parent: int
    group: int
    session: int
    tag: str | None


def new_tag() -> str:
    return f"{SESSION_TAG}-{next(_numbers)}"


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after "pid (comm)", or None once the process is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return stat[stat.rindex(")") + 2 :].split()


def _tag_of(pid: int) -> str | None:
    prefix = f"{TAG_VARIABLE}=".encode()
    try:
        environ = (PROC / str(pid) / "environ").read_bytes()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return next((v[len(prefix) :].decode() for v in environ.split(b"\0") if v.startswith(prefix)), None)


def _table() -> list[_Entry]:
    """Every live process (zombies excluded) but this one."""
    entries = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        pid = int(entry.name)
        fields = _stat(pid)
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        if fields is None or fields[0] == "Z":
            continue
        entries.append(
            _Entry(
                Running(pid, int(fields[19]), command),
                parent=int(fields[1]),
                group=int(fields[2]),
                session=int(fields[3]),
                tag=_tag_of(pid),
            )
        )
    return entries


def tagged(prefix: str, leader: int | None = None) -> list[Running]:
    """Live processes a test started: those whose environment carries a tag starting with
    ``prefix``, those in ``leader``'s group or session, and every descendant of these (Chromium's
    helpers rewrite their environment, so the tag alone does not find them)."""
    table = _table()
    found = {
        e.process.pid
        for e in table
        if (e.tag or "").startswith(prefix) or (leader is not None and leader in (e.group, e.session))
    }
    return _with_descendants(table, found)


def descendants(pid: int) -> list[Running]:
    """Live processes started by ``pid``, by its children and theirs (``pid`` itself left out)."""
    table = _table()
    return [p for p in _with_descendants(table, {pid}) if p.pid != pid]


def _with_descendants(table: list[_Entry], found: set[int]) -> list[Running]:
    children: dict[int, list[int]] = {}
    for e in table:
        children.setdefault(e.parent, []).append(e.process.pid)
    pending = list(found)
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in found:
                found.add(child)
                pending.append(child)
    return [e.process for e in table if e.process.pid in found]


def is_running(process: Running) -> bool:
    fields = _stat(process.pid)
    return fields is not None and fields[0] != "Z" and int(fields[19]) == process.start_time


def _signal(process: Running, signal_number: int) -> None:
    if is_running(process):
        try:
            os.kill(process.pid, signal_number)
        except ProcessLookupError:
            pass


def _wait_gone(processes: list[Running], deadline: float) -> list[Running]:
    """Wait until every process has ended or the deadline passes; return those still running."""
    for process in processes:
        try:
            descriptor = os.pidfd_open(process.pid)
        except ProcessLookupError:
            continue
        try:
            if is_running(process):  # the pid was not reused between listing and opening
                select.select([descriptor], [], [], max(0.0, deadline - time.monotonic()))
        finally:
            os.close(descriptor)
    return [process for process in processes if is_running(process)]


def end_process_tree(
    leader: subprocess.Popen, tag: str, grace: float = GRACE_SECONDS, stop_signal: int = signal.SIGTERM
) -> None:
    """Send ``stop_signal`` to the leader's group and every process it started; SIGKILL whatever
    is still running after ``grace``. Fails when, even then, one of them is still running."""
    members = {p.pid: p for p in tagged(tag, leader.pid)}
    for signal_number, wait in ((stop_signal, grace), (signal.SIGKILL, 5.0)):
        members.update((p.pid, p) for p in tagged(tag, leader.pid))
        if leader.poll() is None:
            try:
                os.killpg(leader.pid, signal_number)
            except (ProcessLookupError, PermissionError):
                pass
        for member in members.values():
            _signal(member, signal_number)
        deadline = time.monotonic() + wait
        try:
            leader.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            pass
        if not _wait_gone(list(members.values()), deadline):
            break
    leader.wait(timeout=5)
    left = [p for p in members.values() if is_running(p)] + [p for p in tagged(tag, leader.pid) if p.pid not in members]
    assert not left, "Quedaron procesos de la prueba en ejecución:\n" + "\n".join(p.describe() for p in left)


@contextmanager
def process_tree(
    command: list[str],
    *,
    env: dict[str, str] | None = None,
    grace: float = GRACE_SECONDS,
    stop_signal: int = signal.SIGTERM,
    **popen: object,
) -> Iterator[subprocess.Popen]:
    """Start ``command`` in a session of its own, tagged; end it and all it started on exit."""
    tag = new_tag()
    process = subprocess.Popen(
        command, start_new_session=True, env={**(env if env is not None else os.environ), TAG_VARIABLE: tag}, **popen
    )
    try:
        yield process
    finally:
        end_process_tree(process, tag, grace, stop_signal)


def run_to_end(
    command: list[str], *, timeout: float, env: dict[str, str] | None = None, **popen: object
) -> subprocess.CompletedProcess:
    """subprocess.run(capture_output=True, text=True) whose children end with it, also on timeout."""
    with process_tree(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{' '.join(command)} no terminó en {timeout:.0f} s") from None
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def outside_make() -> dict[str, str]:
    """This process's environment without an outer make's flags. A make that a test starts from
    inside ``make pruebas`` is otherwise a sub-make: it inherits the outer command line's variables
    through MAKEFLAGS (``make pruebas REPORTS=…`` would send its reports elsewhere) and prints
    "Entering/Leaving directory" lines."""
    return {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}


def collected_node_ids(*args: str, env: dict[str, str] | None = None) -> list[str]:
    """Node ids pytest would run in this project with ``args`` (collect-only, no xdist, no browser),
    in collection order; without the outer run's PYTEST_/ASPEL_ settings."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "ASPEL_"))}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:xdist", "-p", "no:cacheprovider", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**clean, **(env or {})},
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return [line for line in result.stdout.splitlines() if "::" in line and not line.startswith(" ")]


def project_make(target: str, cwd: Path, *, timeout: float = 60, env: dict[str, str] | None = None):
    """``make <target>`` of this project's Makefile and venv (taken as set up), run in ``cwd`` as a
    make of its own: for a target's behaviour on a folder of a test's making."""
    venv = PROJECT / ".venv"
    return subprocess.run(
        [
            "make",
            "-f",
            str(PROJECT / "Makefile"),
            "--no-print-directory",
            target,
            f"VENV={venv}",
            "-o",
            str(venv / ".installed"),
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**outside_make(), **(env or {})},
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, output: Path | None = None, timeout: float = 30) -> None:
    """Until something listens on ``port``; fails with the process's output if it ends first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = output.read_text(errors="replace") if output else (process.stdout.read() if process.stdout else "")
            raise AssertionError(f"el proceso terminó antes de escuchar: {said}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)  # polling a port that is coming up, not a wait for a result
    raise AssertionError(f"nadie escucha en el puerto {port}")


@dataclass(frozen=True)
class Server:
    """A server a test started, and the file its output goes to (a pipe nobody drains would
    fill up after ~64 KB of access log and block the server mid-run)."""

    process: subprocess.Popen
    output: Path

    def lines(self) -> list[str]:
        return self.output.read_text(errors="replace").splitlines()


@contextmanager
def started(
    command: list[str],
    port: int,
    cwd: Path,
    env: dict[str, str] | None = None,
    grace: float = GRACE_SECONDS,
    stop_signal: int = signal.SIGTERM,
) -> Iterator[Server]:
    """A server listening on ``port`` for the test's duration; it and all it started end after."""
    with tempfile.TemporaryDirectory(prefix="servidor-") as folder:
        output = Path(folder) / "salida.log"
        with (
            output.open("w") as sink,
            process_tree(
                command,
                cwd=cwd,
                env={**os.environ, **(env or {})},
                grace=grace,
                stop_signal=stop_signal,
                stdout=sink,
                stderr=subprocess.STDOUT,
            ) as process,
        ):
            wait_for_port(port, process, output)
            yield Server(process, output)


@pytest.fixture(scope="module")
def no_process_left_behind() -> Iterator[None]:
    """After the module's tests: no process started by any of them (tagged) is still running."""
    yield
    left = tagged(SESSION_TAG)
    for process in left:
        _signal(process, signal.SIGKILL)
    assert not left, "Procesos que dejó la prueba:\n" + "\n".join(p.describe() for p in left)


@contextmanager
def browser_server(grace: float = GRACE_SECONDS) -> Iterator[str]:
    """The run-server installed with the package (`playwright run-server --unsafe`), yielding its
    ws:// address. It is stopped with SIGINT: on SIGTERM Playwright's server only closes its
    browsers and keeps running."""
    port = free_port()
    launcher = Path(sys.executable).parent / "playwright"
    command = [str(launcher), "run-server", "--host", "127.0.0.1", "--port", str(port), "--unsafe"]
    with started(command, port, cwd=Path(__file__).resolve().parent.parent, grace=grace, stop_signal=signal.SIGINT):
        yield f"ws://127.0.0.1:{port}/"
