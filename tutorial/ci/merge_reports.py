"""Merge the reports of the shards of a split run (``make pruebas SHARD=n/N``) into one.

Each shard writes ``reports/shard-n/`` (``junit.xml``, ``cucumber.json``, ``figures/``,
``playwright/``); in CI each job uploads that folder and one last job gathers them and runs::

    tutorial unir-reportes --salida reports reports/shard-*

- JUnit XML: one ``<testsuites>`` holding every shard's ``<testsuite>`` (named after its shard),
  with the totals (tests, failures, errors, skipped, time) summed on the root;
- cucumber JSON: the features of every shard, one per URI: a feature split across shards gets
  the scenarios (``elements``) of all of them, in the order of their lines in the file;
- figures: every sidecar and image in one folder, ``index.html`` rebuilt from them with
  :func:`tutorial.figuras.comparison.write_html_from_dir`; the renderer notice is kept;
- Playwright traces of failed scenarios: every shard's in one folder;
- ``corrida.json`` (when and at which commit ``make pruebas`` ran): the earliest shard's, with a
  warning when the shards ran different commits.

A figure, trace or scenario met in two shards means the shards overlapped: the merge says so
(figures whose files differ are an error, since one of them would be lost).

Before writing anything the merge checks that the shards make the whole suite: each shard's run
leaves ``fragmento.json`` (this module is also a pytest plugin, loaded from ``conftest.py``:
with ``--splits N --group n`` it records n, N, how many tests pytest-split split, and how many it
kept); the merge refuses, naming what is missing, when a shard of the N is absent, when the
shards were cut from different suites, when their tests do not add up to the whole, or when a
shard's run did not end: no ``junit.xml``, one that is empty, cut or holds fewer tests than it was
given, or no ``cucumber.json`` where the other shards wrote one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tutorial.ci.failure_record import FAILURES_FILE, RUN_FILE
from tutorial.figuras.plugin import figure_settings_of
from tutorial.figuras.report import write_html_from_dir

JUNIT = "junit.xml"
CUCUMBER = "cucumber.json"
FIGURES = "figures"
PLAYWRIGHT = "playwright"
SHARD_FILE = "fragmento.json"  # this shard's place in the split (written by the plugin below)
JUNIT_TOTALS = ("tests", "failures", "errors", "skipped")


class MergeError(Exception):
    """The shards' reports cannot be merged without losing something."""


@dataclass
class MergeSummary:
    """What the merge wrote, for the person reading the pipeline's log."""

    shards: int = 0
    splits: int = 0
    junit_cases: int = 0
    cucumber_features: int = 0
    cucumber_scenarios: int = 0
    figures: int = 0
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"Reportes unidos de {self.shards} de {self.splits or self.shards} fragmentos:",
            f"  JUnit: {self.junit_cases} casos",
            f"  cucumber: {self.cucumber_features} características, {self.cucumber_scenarios} escenarios",
            f"  figuras: {self.figures}",
            *(f"  AVISO: {warning}" for warning in self.warnings),
        ]


# --- JUnit XML ----------------------------------------------------------------------------------


def _suites(path: Path) -> list[ElementTree.Element]:
    root = ElementTree.parse(path).getroot()
    return [root] if root.tag == "testsuite" else list(root.iter("testsuite"))


def merge_junit(inputs: list[tuple[str, Path]], output: Path) -> int:
    """Write ``output`` from the (shard label, junit.xml) pairs; returns the number of test cases."""
    merged = ElementTree.Element("testsuites", name="pytest tests")
    totals = dict.fromkeys(JUNIT_TOTALS, 0)
    seconds = 0.0
    for label, path in inputs:
        for suite in _suites(path):
            suite.set("name", f"{suite.get('name', 'pytest')} ({label})")
            for key in JUNIT_TOTALS:
                totals[key] += int(suite.get(key) or 0)
            seconds += float(suite.get("time") or 0)
            merged.append(suite)
    for key, value in totals.items():
        merged.set(key, str(value))
    merged.set("time", f"{seconds:.3f}")
    output.parent.mkdir(parents=True, exist_ok=True)
    ElementTree.ElementTree(merged).write(output, encoding="utf-8", xml_declaration=True)
    return sum(1 for _ in merged.iter("testcase"))


# --- cucumber JSON ------------------------------------------------------------------------------


def merge_cucumber(inputs: list[Path], output: Path, warnings: list[str] | None = None) -> list[dict]:
    """Write ``output`` from the shards' cucumber JSON files: one feature per URI, its scenarios
    from every shard in the order of their lines. Returns the merged features."""
    features: dict[str, dict] = {}
    seen: set[tuple[str, str, int]] = set()
    for path in inputs:
        for feature in json.loads(path.read_text(encoding="utf-8")):
            uri = feature.get("uri") or feature.get("id")
            merged = features.setdefault(uri, {**feature, "elements": []})
            for element in feature.get("elements", []):
                key = (uri, element.get("id", ""), element.get("line", 0))
                if key in seen and warnings is not None:
                    warnings.append(f"el escenario {element.get('name')!r} de {uri} aparece en dos fragmentos")
                seen.add(key)
                merged["elements"].append(element)
    result = [features[uri] for uri in sorted(features)]
    for feature in result:
        feature["elements"].sort(key=lambda element: element.get("line", 0))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return result


# --- figures and traces -------------------------------------------------------------------------


def merge_figures(inputs: list[Path], output: Path) -> int:
    """Copy every shard's sidecars and images, and where each figure's marks were placed (their
    ``marcas/`` folder, which ``make aceptar`` reads), into ``output`` and rebuild its ``index.html``.

    Returns the number of figures (sidecars). Raises :class:`MergeError` when two shards hold
    a file of the same name with different contents.
    """
    output.mkdir(parents=True, exist_ok=True)
    for folder in inputs:
        for source in sorted(folder.rglob("*")):
            if not source.is_file() or source.name == "index.html":
                continue
            name = source.relative_to(folder)
            target = output / name
            if target.exists() and target.read_bytes() != source.read_bytes():
                raise MergeError(
                    f"{name} está en dos fragmentos con contenido distinto ({folder}): los fragmentos se traslaparon"
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    write_html_from_dir(output)
    return len(list(output.glob("*.json")))


def merge_folders(inputs: list[Path], output: Path, warnings: list[str]) -> None:
    """Copy every shard's folder tree into ``output`` (Playwright's traces, one folder per test)."""
    for folder in inputs:
        for source in sorted(folder.iterdir()):
            target = output / source.name
            if target.exists():
                warnings.append(f"{source.name} está en dos fragmentos; se queda el de {folder}")
            output.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
            else:
                shutil.copyfile(source, target)


# --- the shards make the whole suite -------------------------------------------------------------


@dataclass(frozen=True)
class ShardRecord:
    """What one shard's run recorded of its place in the split (``fragmento.json``)."""

    group: int
    splits: int
    suite: int  # tests pytest-split divided among the N shards
    selected: int  # tests this shard was given

    @classmethod
    def read(cls, shard: Path) -> ShardRecord:
        path = shard / SHARD_FILE
        if not path.is_file():
            raise MergeError(
                f"{shard} no dice qué parte de la suite corrió (falta {SHARD_FILE}): ¿se corrió con "
                "make pruebas SHARD=n/N? Sin eso no se puede saber si los fragmentos suman la suite entera"
            )
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["grupo"], data["fragmentos"], data["suite"], data["seleccionadas"])


def _junit_cases(path: Path) -> int:
    return sum(len(suite.findall("testcase")) for suite in _suites(path))


def check_complete(shards: list[Path]) -> int:
    """N, when the ``shards`` are the N shards of one split and their tests add up to the whole
    suite; otherwise :class:`MergeError`, naming what is missing."""
    records = {shard: ShardRecord.read(shard) for shard in shards}
    splits = {record.splits for record in records.values()}
    suites = {record.suite for record in records.values()}
    if len(splits) > 1 or len(suites) > 1:
        described = ", ".join(
            f"{shard.name}: {r.group}/{r.splits} de {r.suite} pruebas" for shard, r in records.items()
        )
        raise MergeError(f"los fragmentos no son de la misma división de la suite ({described})")
    (total,), (suite,) = splits, suites
    groups: dict[int, list[Path]] = {}
    for shard, record in records.items():
        groups.setdefault(record.group, []).append(shard)
    repeated = [
        f"el fragmento {group} de {total} está dos veces ({', '.join(map(str, found))})"
        for group, found in groups.items()
        if len(found) > 1
    ]
    if repeated:
        raise MergeError("; ".join(repeated))
    missing = [group for group in range(1, total + 1) if group not in groups]
    if missing:
        numbers = ", ".join(str(group) for group in missing)
        lack = f"falta el fragmento {numbers}" if len(missing) == 1 else f"faltan los fragmentos {numbers}"
        given = ", ".join(str(shard) for shard in shards)
        raise MergeError(f"{lack} de {total}: se dieron {len(shards)} de {total} fragmentos ({given})")
    added = sum(record.selected for record in records.values())
    if added != suite:
        raise MergeError(f"los fragmentos suman {added} de las {suite} pruebas de la suite")
    for shard, record in records.items():
        check_shard_wrote_its_junit(shard, record)
    check_every_shard_wrote_cucumber(records)
    return total


def check_shard_wrote_its_junit(shard: Path, record: ShardRecord) -> None:
    """A shard that died before pytest wrote its JUnit file (or while writing it) leaves
    ``fragmento.json`` behind, written at collection: without this check its tests would simply
    be missing from a merged report that says the whole suite ran."""
    name = f"el fragmento {record.group} de {record.splits}"
    path = shard / JUNIT
    if not path.is_file():
        raise MergeError(f"{name} no escribió {path}: la corrida no terminó")
    try:
        ran = _junit_cases(path)
    except ElementTree.ParseError:
        raise MergeError(f"{name} dejó {path} vacío o cortado (no es XML completo): la corrida no terminó") from None
    if ran == 0 and record.selected:
        raise MergeError(
            f"{name} escribió {path} sin ningún caso de sus {record.selected} pruebas: la corrida no terminó"
        )
    if ran < record.selected:
        raise MergeError(
            f"{name} ({shard}) recibió {record.selected} pruebas y su {JUNIT} sólo tiene {ran}: la corrida no terminó"
        )


def check_every_shard_wrote_cucumber(records: dict[Path, ShardRecord]) -> None:
    """When some shards wrote ``cucumber.json``, every shard must have: the run asked for it
    (``make pruebas`` always does), so one without it stopped before pytest's end."""
    missing = [(shard, record) for shard, record in records.items() if not (shard / CUCUMBER).is_file()]
    if not missing or len(missing) == len(records):
        return
    shard, record = missing[0]
    raise MergeError(
        f"el fragmento {record.group} de {record.splits} no escribió {shard / CUCUMBER} y los demás sí: "
        "la corrida no terminó"
    )


# --- all of them --------------------------------------------------------------------------------


def merge(shards: list[Path], output: Path) -> MergeSummary:
    """Merge every report the ``shards`` folders hold into ``output``."""
    if not shards:
        raise MergeError("no se dio ninguna carpeta de fragmento (p. ej. reports/shard-1)")
    missing = [str(shard) for shard in shards if not shard.is_dir()]
    if missing:
        raise MergeError(f"no existen las carpetas de fragmento: {', '.join(missing)}")
    splits = check_complete(shards)
    summary = MergeSummary(shards=len(shards), splits=splits)
    for stale in (output / FIGURES, output / PLAYWRIGHT):  # a previous run's, not the shards'
        if stale.is_dir() and all(stale.resolve() != (shard / stale.name).resolve() for shard in shards):
            shutil.rmtree(stale)
    summary.junit_cases = merge_junit([(shard.name, shard / JUNIT) for shard in shards], output / JUNIT)
    cucumbers = [shard / CUCUMBER for shard in shards if (shard / CUCUMBER).is_file()]
    if cucumbers:
        features = merge_cucumber(cucumbers, output / CUCUMBER, summary.warnings)
        summary.cucumber_features = len(features)
        summary.cucumber_scenarios = sum(len(feature["elements"]) for feature in features)
    figures = [shard / FIGURES for shard in shards if (shard / FIGURES).is_dir()]
    if figures:
        summary.figures = merge_figures(figures, output / FIGURES)
    runs = [
        json.loads((shard / RUN_FILE).read_text(encoding="utf-8")) for shard in shards if (shard / RUN_FILE).is_file()
    ]
    if runs:
        if len({run.get("commit") for run in runs}) > 1:
            summary.warnings.append("los fragmentos corrieron commits distintos")
        earliest = min(runs, key=lambda run: run.get("fecha") or "")
        (output / RUN_FILE).write_text(json.dumps(earliest, ensure_ascii=False, indent=2), encoding="utf-8")
    # Every shard's failures in one list, even an empty one: a previous run's must not linger.
    failures = [shard / FAILURES_FILE for shard in shards if (shard / FAILURES_FILE).is_file()]
    merged = [record for path in failures for record in json.loads(path.read_text(encoding="utf-8"))]
    output.mkdir(parents=True, exist_ok=True)
    (output / FAILURES_FILE).write_text(json.dumps(merged, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    traces = [shard / PLAYWRIGHT for shard in shards if (shard / PLAYWRIGHT).is_dir()]
    if traces:
        merge_folders(traces, output / PLAYWRIGHT, summary.warnings)
    return summary


# --- the record a shard's run leaves (a pytest plugin, loaded from conftest.py) -------------------


class _SplitWatch:
    """The tests pytest-split deselects: its ``pytest_deselected`` call is the last one of the
    collection (its ``pytest_collection_modifyitems`` runs last of all)."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.calls.append(len(items))


_WATCH = "aspel-fragmento"


def pytest_configure(config: pytest.Config) -> None:
    if getattr(config.option, "splits", None) and getattr(config.option, "group", None):
        config.pluginmanager.register(_SplitWatch(), _WATCH)


@pytest.hookimpl(hookwrapper=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]):
    """After every other plugin (pytest-split included) chose the items: write ``fragmento.json``
    into ``--reportes``. Every process that collects writes the same record (xdist's workers
    collect, its controller does not), atomically."""
    yield
    watch = config.pluginmanager.get_plugin(_WATCH)
    if watch is None or config.option.collectonly:
        return
    split_away = watch.calls[-1] if watch.calls else 0
    record = {
        "grupo": config.option.group,
        "fragmentos": config.option.splits,
        "suite": len(items) + split_away,
        "seleccionadas": len(items),
    }
    folder = figure_settings_of(config).reports_dir
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{SHARD_FILE}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, folder / SHARD_FILE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="tutorial unir-reportes",
        description="Une los reportes de los fragmentos de una corrida repartida (make pruebas SHARD=n/N): "
        "JUnit XML, cucumber JSON, las figuras (index.html reconstruido) y las trazas de Playwright.",
    )
    parser.add_argument(
        "fragmentos",
        nargs="*",
        type=Path,
        help="carpetas de reportes de cada fragmento (p. ej. reports/shard-1 reports/shard-2)",
    )
    parser.add_argument(
        "--salida",
        type=Path,
        default=Path("reports"),
        help="carpeta donde quedan los reportes unidos (por omisión: reports)",
    )
    args = parser.parse_args(argv)
    try:
        summary = merge([Path(shard) for shard in args.fragmentos], args.salida)
    except (MergeError, OSError, ValueError, ElementTree.ParseError) as error:
        print(f"No se pudieron unir los reportes: {error}", file=sys.stderr)
        return 1
    print("\n".join(summary.lines()))
    print(f"Reportes unidos en {args.salida}/: {JUNIT}, {CUCUMBER}, {FIGURES}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
