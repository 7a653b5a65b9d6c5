"""`make medir`: how fast the tutorial's figures regenerate, against the bare-Playwright floor.

Prints the tables and writes bench/results.md (machine, versions, date). Every number is the
median of several runs with their min and max. Runs happen in a temporary copy of the tree: the
committed screenshots are never touched. A command, not a test: nothing here fails on a time.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from bench import profile
from bench.measure import Run, Workspace, exported, junit_cases
from bench.report import merge_findings
from bench.sections import QA_GOAL_RATIO, QA_GOAL_SECONDS, all_runs, document, walls

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.md"
SECTIONS = ("qa", "figures", "profile")
PACKAGES = ("pytest", "pytest-bdd", "pytest-playwright", "pytest-xdist", "playwright", "Faker", "Flask")
Progress = Callable[[str], None]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Mide las figuras del tutorial contra un script de Playwright solo (el piso), el make pruebas "
        "de QA, el tiempo de cada escenario y la memoria. Corre en una copia temporal del árbol: nunca escribe en "
        "screenshots/.",
        epilog="Ejemplos: make medir | .venv/bin/python -m bench --quick | .venv/bin/python -m bench --only qa",
        add_help=False,
    )
    add = parser.add_argument_group("opciones").add_argument
    add("-h", "--help", action="help", help="muestra esta ayuda y termina")
    add("--runs", type=int, default=5, help="corridas del piso y de cada corrida de figuras; da la mediana (5)")
    add(
        "--qa-runs",
        type=int,
        help=f"corridas del make pruebas de QA, meta ≤ {QA_GOAL_SECONDS} s, y del perfil de los escenarios (3; 1 con --quick)",
    )
    add("--workers", type=int, default=2, help="procesos de pytest-xdist en las corridas en paralelo (2)")
    add("--only", choices=SECTIONS, action="append", help="mide solo esta sección (repetible): " + ", ".join(SECTIONS))
    add("--quick", action="store_true", help="prueba rápida: una corrida de cada cosa; no escribe bench/results.md")
    add("--results", type=Path, help=f"dónde escribir los resultados ({RESULTS.relative_to(ROOT)}; '-': ninguna parte)")
    add("--tree", type=Path, default=ROOT, help="el árbol a medir (este checkout); p. ej. un worktree con un cambio")
    add(
        "--baseline",
        metavar="REV",
        help="una revisión de git (p. ej. a4460ba): su make pruebas y su perfil se miden en la misma corrida, "
        f"alternados con los del árbol; la tabla da la razón árbol / línea base (meta ≤ {QA_GOAL_RATIO})",
    )
    add("--keep", action="store_true", help="conserva la carpeta temporal con bitácoras y reportes")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs = 1
    args.qa_runs = (1 if args.quick else 3) if args.qa_runs is None else args.qa_runs
    if min(args.runs, args.qa_runs) < 1:
        parser.error("el número de corridas debe ser al menos 1")
    args.results = (None if args.quick else RESULTS) if args.results is None else args.results
    args.results = None if str(args.results) == "-" else args.results
    args.sections = tuple(args.only or SECTIONS)
    return args


def machine(tree: Path) -> dict:
    """The machine, the versions and the tree the numbers belong to."""
    info = {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(), "os": platform.platform()}
    info |= {"ram_gib": psutil.virtual_memory().total / 1024**3, "python": platform.python_version()}
    cpuinfo = Path("/proc/cpuinfo")  # psutil does not name the CPU model
    models = [line for line in (cpuinfo.read_text().splitlines() if cpuinfo.exists() else []) if "model name" in line]
    info["cpu"] = models[0].split(":", 1)[1].strip() if models else info["cpu"]
    for package in PACKAGES:
        try:
            info[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            info[package] = "not installed"
    info["PYTHONDONTWRITEBYTECODE"] = os.environ.get("PYTHONDONTWRITEBYTECODE", "")
    info["date"] = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    git = ["git", "-C", str(tree)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True).stdout.strip()
    info["git"] = (head + (" + uncommitted changes in the tree" if dirty else "")) if head else "not a git checkout"
    info["chromium"] = chromium_version()
    return info


def chromium_version() -> str:
    from tutorial.figuras import renderer as chromium

    try:
        executable = chromium.launch_executable()
    except chromium.RendererUnavailable:
        return "not installed (make setup)"
    return (chromium.version_of(executable) or "unknown") if executable else "Playwright's own"


def show(progress: Progress, run: Run, index: int, total: int) -> Run:
    failed = sum(case["outcome"] in ("failure", "error") for case in run.cases)
    extra = f", {len(run.cases)} pruebas, {failed} fallidas" if run.cases else ""
    extra += f", figuras distintas: {len(run.differing)}" if run.differing is not None else ""
    extra += f", pico RSS Python {run.memory['python']:.0f} MiB + Chromium {run.memory['chromium']:.0f} MiB"
    status = "" if run.ok else " (FALLÓ)"
    progress(f"{run.label} {index}/{total}: {run.wall:.2f} s{extra}, otros procesos {run.others:.0%} de la CPU{status}")
    return run


def alternating(ws: Workspace, base: Workspace | None) -> list[tuple[str, Workspace]]:
    """The baseline's copy (labelled "-base"), if any, then the tree's: one round of paired runs."""
    return [("", ws)] if base is None else [("-base", base), ("", ws)]


def measure_qa(ws: Workspace, args: argparse.Namespace, progress: Progress, base: Workspace | None) -> dict:
    """QA's `make pruebas` as QA runs it, each run in the copy from a clean reports folder; with a
    baseline, its run and the tree's alternate, so that noise falls on both alike."""
    runs: dict[str, list[Run]] = {"runs": [], "baseline": []}
    for i in range(1, args.qa_runs + 1):
        for suffix, where in alternating(ws, base):
            shutil.rmtree(where.tree / "reports", ignore_errors=True)
            # -o: the copy borrows this checkout's .venv, which a newer pyproject.toml must not reinstall.
            command = ["make", "--no-print-directory", "-o", ".venv/.installed", "test"]
            run = where.run(f"make-test{suffix}", command, timeout=1800)
            run.cases = junit_cases(where.tree / "reports" / "junit.xml")
            runs["baseline" if suffix else "runs"].append(show(progress, run, i, args.qa_runs))
    return runs


def measure_figures(ws: Workspace, args: argparse.Namespace, progress: Progress) -> dict:
    """The floor and the figure runs, interleaved so that noise falls on all alike."""
    if not args.quick:
        progress("calentamiento (no cuenta): el piso y una corrida de figuras")
        ws.floor_run()
        ws.figures_run(0, update=True)
    data: dict[str, list[Run]] = {"floor": [], "checking": [], "serial": [], "parallel": []}
    for i in range(1, args.runs + 1):
        data["floor"].append(show(progress, ws.floor_run(), i, args.runs))
        data["checking"].append(show(progress, ws.figures_run(0, update=False), i, args.runs))
        data["serial"].append(show(progress, ws.figures_run(0, update=True), i, args.runs))
        data["parallel"].append(show(progress, ws.figures_run(args.workers, update=True), i, args.runs))
    return data


def measure_profile(ws: Workspace, args: argparse.Namespace, progress: Progress, base: Workspace | None) -> dict:
    """Every scenario on one worker with bench.profile recording where its time goes (and the
    baseline's, alternating with the tree's)."""
    data: dict[str, list] = {"runs": [], "records": [], "baseline_runs": [], "baseline_records": []}
    if base is not None and (base := profile_baseline(base, args.baseline, progress)) is None:
        data["baseline_unprofiled"] = [args.baseline]
    for i in range(1, args.qa_runs + 1):
        for suffix, where in alternating(ws, base):
            prefix = "baseline_" if suffix else ""
            folder = where.scratch("profile")
            where.env[profile.PROFILE_VARIABLE] = str(folder / "profile.jsonl")
            try:
                # make pruebas' own Playwright options (the failure pictures), which cost a passing scenario too.
                playwright = ["--screenshot", "only-on-failure", "--output", str(folder / "playwright")]
                run = where.pytest(f"profile{suffix}", ["features", "-n", "0", "-p", "bench.profile", *playwright])
            finally:
                del where.env[profile.PROFILE_VARIABLE]
            data[f"{prefix}records"] += profile.read_records(folder / "profile.jsonl")
            data[f"{prefix}runs"].append(show(progress, run, i, args.qa_runs))
    return data


def profile_baseline(base: Workspace, revision: str | None, progress: Progress) -> Workspace | None:
    """The baseline to profile beside the tree, or None when it predates bench/profile.py (as
    4f7dfad, the revision issue 40 was filed at): pytest would refuse ``-p bench.profile`` there."""
    if (base.tree / "bench" / "profile.py").is_file():
        return base
    progress(f"perfil: la línea base {revision} no tiene bench/profile.py; sólo se perfila este árbol")
    return None


def baseline(args: argparse.Namespace, root: Path, progress: Progress) -> Workspace | None:
    """A copy of the ``--baseline`` revision's files, with this checkout's .venv (same lock)."""
    if not args.baseline or not {"qa", "profile"} & set(args.sections):
        return None
    progress(f"línea base: {args.baseline} (git archive) en {root / 'linea-base'}")
    source = exported(args.tree, args.baseline, root / "linea-base-fuente")
    (root / "linea-base").mkdir()
    return Workspace(source, root / "linea-base", log=progress, venv=args.tree / ".venv")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    command = " ".join(["python -m bench", *(sys.argv[1:] if argv is None else argv)])
    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"[{(time.perf_counter() - started) / 60:5.1f} min] {message}", flush=True)

    load_before, info = os.getloadavg()[0], machine(args.tree)
    root = Path(tempfile.mkdtemp(prefix="aspel-bench-"))
    progress(f"copia de {args.tree} en {root}; secciones: {', '.join(args.sections)}")
    try:
        ws = Workspace(args.tree.resolve(), root, log=progress)
        base = baseline(args, root, progress)
        measures = {
            "qa": lambda: measure_qa(ws, args, progress, base),
            "figures": lambda: measure_figures(ws, args, progress),
            "profile": lambda: measure_profile(ws, args, progress, base),
        }
        results = {name: measures[name]() for name in SECTIONS if name in args.sections}
        runs = all_runs(results)
        info |= {"load_before": load_before, "load_after": os.getloadavg()[0]}
        info["others_share"] = sum(run.others * run.wall for run in runs) / (sum(walls(runs)) or 1)
        info["baseline"] = args.baseline
        text = document(results, info, command, time.perf_counter() - started, args.workers)
        print(f"\n{text}")
        if args.results:
            previous = args.results.read_text(encoding="utf-8") if args.results.exists() else None
            args.results.write_text(merge_findings(text, previous), encoding="utf-8")
            print(f"Escrito: {args.results}")
    finally:
        if args.keep:
            print(f"Bitácoras y reportes en {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
