"""Sharding: the committed durations split the suite into disjoint shards, and the shards' reports
merge into one (tutorial/ci/merge_reports.py) — small synthetic inputs, no browser."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests.processes import collected_node_ids, outside_make
from tutorial.ci import merge_reports
from tutorial.figuras.comparison import Comparison
from tutorial.figuras.report import FigureReport, read_placement

ROOT = Path(__file__).resolve().parent.parent
DURATIONS = ROOT / ".ci" / "test_durations.json"
SPLITS = 4


# --- JUnit --------------------------------------------------------------------------------------


def _junit(path: Path, cases: list[tuple[str, str | None]], seconds: float) -> Path:
    """A pytest-like junit.xml: ``cases`` are (name, None | "failure" | "skipped" | "error")."""
    body = "".join(
        f'<testcase classname="tests.test_x" name="{name}" time="0.5">'
        + (f'<{outcome} message="m"/>' if outcome else "")
        + "</testcase>"
        for name, outcome in cases
    )
    counts = {kind: sum(outcome == kind for _, outcome in cases) for kind in ("failure", "error", "skipped")}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests">'
        f'<testsuite name="pytest" errors="{counts["error"]}" failures="{counts["failure"]}" '
        f'skipped="{counts["skipped"]}" tests="{len(cases)}" time="{seconds}">{body}</testsuite></testsuites>',
        encoding="utf-8",
    )
    return path


def test_junit_keeps_every_suite_and_sums_the_totals(tmp_path: Path):
    one = _junit(tmp_path / "shard-1" / "junit.xml", [("test_a", None), ("test_b", "failure")], 10.0)
    two = _junit(
        tmp_path / "shard-2" / "junit.xml", [("test_c", "skipped"), ("test_d", None), ("test_e", "error")], 2.5
    )
    cases = merge_reports.merge_junit([("shard-1", one), ("shard-2", two)], tmp_path / "out" / "junit.xml")
    root = ElementTree.parse(tmp_path / "out" / "junit.xml").getroot()
    assert cases == 5
    assert root.tag == "testsuites"
    assert [suite.get("name") for suite in root.iter("testsuite")] == ["pytest (shard-1)", "pytest (shard-2)"]
    assert {key: root.get(key) for key in ("tests", "failures", "errors", "skipped", "time")} == {
        "tests": "5",
        "failures": "1",
        "errors": "1",
        "skipped": "1",
        "time": "12.500",
    }
    assert [case.get("name") for case in root.iter("testcase")] == ["test_a", "test_b", "test_c", "test_d", "test_e"]


def test_junit_also_takes_a_bare_testsuite_root(tmp_path: Path):
    path = tmp_path / "junit.xml"
    path.write_text(
        '<testsuite name="pytest" tests="1" time="1"><testcase name="test_a"/></testsuite>', encoding="utf-8"
    )
    assert merge_reports.merge_junit([("shard-1", path)], tmp_path / "out.xml") == 1
    assert ElementTree.parse(tmp_path / "out.xml").getroot().get("tests") == "1"


# --- cucumber -----------------------------------------------------------------------------------


def _feature(uri: str, lines: list[int]) -> dict:
    return {
        "keyword": "Característica",
        "uri": uri,
        "name": uri,
        "id": uri,
        "line": 2,
        "description": "",
        "language": "es",
        "tags": [],
        "elements": [
            {
                "keyword": "Escenario",
                "id": f"{uri}-{line}",
                "name": f"escenario {line}",
                "line": line,
                "description": "",
                "tags": [],
                "type": "scenario",
                "steps": [],
            }
            for line in lines
        ],
    }


def test_cucumber_joins_a_feature_split_across_shards_in_line_order(tmp_path: Path):
    one, two = tmp_path / "1.json", tmp_path / "2.json"
    one.write_text(
        json.dumps([_feature("features/b.feature", [30, 10]), _feature("features/a.feature", [5])]), encoding="utf-8"
    )
    two.write_text(json.dumps([_feature("features/b.feature", [20])]), encoding="utf-8")
    warnings: list[str] = []
    merged = merge_reports.merge_cucumber([one, two], tmp_path / "out.json", warnings)
    written = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert written == merged
    assert [feature["uri"] for feature in written] == ["features/a.feature", "features/b.feature"]
    assert [element["line"] for element in written[1]["elements"]] == [10, 20, 30]
    assert written[1]["name"] == "features/b.feature" and written[1]["language"] == "es"
    assert warnings == []


def test_cucumber_warns_when_a_scenario_ran_in_two_shards(tmp_path: Path):
    one, two = tmp_path / "1.json", tmp_path / "2.json"
    one.write_text(json.dumps([_feature("features/a.feature", [5])]), encoding="utf-8")
    two.write_text(json.dumps([_feature("features/a.feature", [5])]), encoding="utf-8")
    warnings: list[str] = []
    merge_reports.merge_cucumber([one, two], tmp_path / "out.json", warnings)
    assert len(warnings) == 1 and "dos fragmentos" in warnings[0]


# --- figures ------------------------------------------------------------------------------------


def _png(colour: tuple[int, int, int]) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _shard_figures(folder: Path, name: str, changed: bool) -> None:
    report = FigureReport(folder)
    actual, expected = _png((255, 0, 0)), _png((0, 0, 255) if changed else (255, 0, 0))
    comparison = Comparison(
        name=name,
        status="changed" if changed else "same",
        diff_ratio=1.0 if changed else 0.0,
        expected_size=(4, 3),
        actual_size=(4, 3),
        changed_pixels=12 if changed else 0,
    )
    report.keep_placement(name, {"encuadre": [0, 0, 4, 3]} if changed else None)
    report.record(comparison, actual, expected, _png((255, 255, 0)) if changed else None)
    report.write_html()


def test_figures_land_in_one_folder_with_one_report(tmp_path: Path):
    _shard_figures(tmp_path / "shard-1" / "figures", "figura-01", changed=False)
    _shard_figures(tmp_path / "shard-2" / "figures", "figura-02", changed=True)
    out = tmp_path / "out" / "figures"
    count = merge_reports.merge_figures([tmp_path / "shard-1" / "figures", tmp_path / "shard-2" / "figures"], out)
    assert count == 2
    assert {path.name for path in out.glob("*.json")} == {"figura-01.json", "figura-02.json"}
    assert (out / "figura-02.actual.png").exists() and (out / "figura-02.diff.png").exists()
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "figura-01" in page and "figura-02" in page
    assert "data:image/png;base64," in page, "the changed figure's images are in the merged report"
    # make aceptar reads where each figure's marks were placed from the merged report too
    assert read_placement(out, "figura-02") == (True, {"encuadre": [0, 0, 4, 3]})
    assert read_placement(out, "figura-01") == (True, None)


def test_figures_of_the_same_name_that_differ_are_an_error(tmp_path: Path):
    _shard_figures(tmp_path / "shard-1" / "figures", "figura-01", changed=False)
    _shard_figures(tmp_path / "shard-2" / "figures", "figura-01", changed=True)
    with pytest.raises(merge_reports.MergeError, match="dos fragmentos"):
        merge_reports.merge_figures(
            [tmp_path / "shard-1" / "figures", tmp_path / "shard-2" / "figures"], tmp_path / "out"
        )


# --- the command --------------------------------------------------------------------------------


def _record(shard: Path, group: int, splits: int, suite: int, selected: int) -> None:
    """The ``fragmento.json`` a shard's run leaves (tutorial.ci.merge_reports as a plugin)."""
    shard.mkdir(parents=True, exist_ok=True)
    (shard / merge_reports.SHARD_FILE).write_text(
        json.dumps({"grupo": group, "fragmentos": splits, "suite": suite, "seleccionadas": selected})
    )


def _shards(tmp_path: Path, splits: int, given: list[int], per_shard: int = 1) -> list[str]:
    """Shard folders ``given`` of ``splits``, each with its record and a junit.xml of its tests."""
    folders = []
    for group in given:
        shard = tmp_path / "reports" / f"shard-{group}"
        _junit(shard / "junit.xml", [(f"test_{group}_{n}", None) for n in range(per_shard)], 1.0)
        _record(shard, group, splits, splits * per_shard, per_shard)
        folders.append(str(shard))
    return folders


def test_command_merges_shard_folders_into_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    _junit(tmp_path / "reports" / "shard-1" / "junit.xml", [("test_a", None)], 1.0)
    _junit(tmp_path / "reports" / "shard-2" / "junit.xml", [("test_b", None)], 1.0)
    for group in (1, 2):
        _record(tmp_path / "reports" / f"shard-{group}", group, 2, 2, 1)
    (tmp_path / "reports" / "shard-1" / "cucumber.json").write_text(json.dumps([_feature("f.feature", [3])]))
    (tmp_path / "reports" / "shard-2" / "cucumber.json").write_text(json.dumps([_feature("f.feature", [9])]))
    _shard_figures(tmp_path / "reports" / "shard-2" / "figures", "figura-05", changed=False)
    (tmp_path / "reports" / "shard-1" / "playwright" / "test-a").mkdir(parents=True)
    (tmp_path / "reports" / "shard-1" / "playwright" / "test-a" / "trace.zip").write_bytes(b"zip")
    for shard, moment, commit in ((1, "2026-11-28T10:05:00+00:00", "abc"), (2, "2026-11-28T10:00:00+00:00", "def")):
        (tmp_path / "reports" / f"shard-{shard}" / "corrida.json").write_text(
            json.dumps({"fecha": moment, "commit": commit, "cambios_sin_commit": False})
        )
    stale = tmp_path / "reports" / "figures"  # a previous unsharded run's report
    stale.mkdir()
    (stale / "figura-09.json").write_text("{}")

    shards = [str(tmp_path / "reports" / f"shard-{n}") for n in (1, 2)]
    assert merge_reports.main(["--salida", str(tmp_path / "reports"), *shards]) == 0
    out = capsys.readouterr().out
    assert (
        "Reportes unidos de 2 de 2 fragmentos:" in out
        and "JUnit: 2 casos" in out
        and "1 características, 2 escenarios" in out
    )
    assert ElementTree.parse(tmp_path / "reports" / "junit.xml").getroot().get("tests") == "2"
    assert [path.name for path in (tmp_path / "reports" / "figures").glob("*.json")] == ["figura-05.json"]
    assert (tmp_path / "reports" / "figures" / "index.html").exists()
    assert (tmp_path / "reports" / "playwright" / "test-a" / "trace.zip").read_bytes() == b"zip"
    assert json.loads((tmp_path / "reports" / "corrida.json").read_text())["fecha"] == "2026-11-28T10:00:00+00:00"
    assert "commits distintos" in out


def test_command_says_what_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert merge_reports.main(["--salida", str(tmp_path), str(tmp_path / "shard-7")]) == 1
    assert "no existen las carpetas de fragmento" in capsys.readouterr().err


# --- the shards make the whole suite, or the merge refuses -------------------------------------


def test_a_missing_shard_is_refused_by_name_and_nothing_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    shards = _shards(tmp_path, 4, [1, 2, 4])
    assert merge_reports.main(["--salida", str(tmp_path / "reports"), *shards]) == 1
    error = capsys.readouterr().err
    assert "falta el fragmento 3 de 4: se dieron 3 de 4 fragmentos" in error
    assert not (tmp_path / "reports" / "junit.xml").exists()


def test_two_missing_shards_are_both_named(tmp_path: Path):
    with pytest.raises(merge_reports.MergeError, match="faltan los fragmentos 1, 3 de 3"):
        merge_reports.merge([Path(s) for s in _shards(tmp_path, 3, [2])], tmp_path / "out")


def test_shards_whose_tests_do_not_add_up_are_refused(tmp_path: Path):
    shards = _shards(tmp_path, 2, [1, 2], per_shard=3)
    _record(Path(shards[1]), 2, 2, 6, 2)  # shard 2 was given 2 of the 3 it should have had
    with pytest.raises(merge_reports.MergeError, match="los fragmentos suman 5 de las 6 pruebas de la suite"):
        merge_reports.merge([Path(s) for s in shards], tmp_path / "out")


def test_a_shard_whose_run_stopped_half_way_is_refused(tmp_path: Path):
    shards = _shards(tmp_path, 2, [1, 2], per_shard=3)
    _junit(Path(shards[0]) / "junit.xml", [("test_a", None)], 1.0)
    with pytest.raises(
        merge_reports.MergeError, match=r"el fragmento 1 de 2 \(.*\) recibió 3 pruebas y su junit.xml sólo tiene 1"
    ):
        merge_reports.merge([Path(s) for s in shards], tmp_path / "out")


# A shard that died before pytest's end leaves fragmento.json (written at collection) and no
# JUnit file, an empty or cut one, or one with no cases: its tests must not silently go missing.
@pytest.mark.parametrize(
    ("damage", "said"),
    [
        ("sin junit", r"el fragmento 2 de 4 no escribió .*shard-2/junit\.xml: la corrida no terminó"),
        ("junit vacío", r"el fragmento 2 de 4 dejó .*shard-2/junit\.xml vacío o cortado .*: la corrida no terminó"),
        ("junit cortado", r"el fragmento 2 de 4 dejó .*shard-2/junit\.xml vacío o cortado .*: la corrida no terminó"),
        ("junit sin casos", r"el fragmento 2 de 4 escribió .*shard-2/junit\.xml sin ningún caso de sus 1 pruebas"),
    ],
    ids=["sin junit", "junit vacío", "junit cortado", "junit sin casos"],
)
def test_a_shard_whose_run_did_not_end_is_refused_by_name_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str, said: str
):
    shards = _shards(tmp_path, 4, [1, 2, 3, 4])
    junit = Path(shards[1]) / "junit.xml"
    if damage == "sin junit":
        junit.unlink()
    elif damage == "junit vacío":
        junit.write_text("")
    elif damage == "junit cortado":
        junit.write_text(junit.read_text()[:80])
    else:
        _junit(junit, [], 0.0)
    assert merge_reports.main(["--salida", str(tmp_path / "out"), *shards]) == 1
    error = capsys.readouterr().err
    assert re.search(said, error), error
    assert not (tmp_path / "out").exists()


def test_a_shard_without_cucumber_json_is_refused_when_the_others_wrote_theirs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    shards = _shards(tmp_path, 3, [1, 2, 3])
    for shard in (shards[0], shards[2]):
        (Path(shard) / "cucumber.json").write_text(json.dumps([_feature("f.feature", [3])]))
    assert merge_reports.main(["--salida", str(tmp_path / "out"), *shards]) == 1
    error = capsys.readouterr().err
    assert re.search(r"el fragmento 2 de 3 no escribió .*shard-2/cucumber\.json y los demás sí", error), error
    assert not (tmp_path / "out").exists()
    (Path(shards[1]) / "cucumber.json").write_text(json.dumps([_feature("f.feature", [9])]))
    assert merge_reports.main(["--salida", str(tmp_path / "out"), *shards]) == 0


def test_shards_of_different_splits_or_a_shard_without_its_record_are_refused(tmp_path: Path):
    shards = _shards(tmp_path, 2, [1, 2])
    _record(Path(shards[1]), 2, 3, 3, 1)
    with pytest.raises(merge_reports.MergeError, match="no son de la misma división"):
        merge_reports.merge([Path(s) for s in shards], tmp_path / "out")
    (Path(shards[1]) / merge_reports.SHARD_FILE).unlink()
    with pytest.raises(merge_reports.MergeError, match="falta fragmento.json"):
        merge_reports.merge([Path(s) for s in shards], tmp_path / "out")


@pytest.mark.completo
def test_each_shards_run_records_its_share_and_the_shards_merge_whole(tmp_path: Path):
    """Two real shards of tests/test_domain.py (the second on two xdist workers, whose
    controller does not collect): each leaves fragmento.json; together they are the suite."""
    reports = tmp_path / "reports"
    for group, workers in ((1, ["-p", "no:xdist"]), (2, ["-n", "2"])):
        shard = reports / f"shard-{group}"
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "tests/test_domain.py", "-q", "-p", "no:cacheprovider", *workers,
             "--splits", "2", "--group", str(group), "--durations-path", str(DURATIONS),
             "--splitting-algorithm", "least_duration", "--reportes", str(shard), f"--junitxml={shard / 'junit.xml'}"],
            cwd=ROOT, capture_output=True, text=True, timeout=300, env=outside_make(),
        )  # fmt: skip
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    records = [json.loads((reports / f"shard-{g}" / merge_reports.SHARD_FILE).read_text()) for g in (1, 2)]
    everything = len(collected_node_ids("tests/test_domain.py"))
    assert [r["grupo"] for r in records] == [1, 2] and {r["suite"] for r in records} == {everything}
    assert sum(r["seleccionadas"] for r in records) == everything and all(r["seleccionadas"] for r in records)
    summary = merge_reports.merge([reports / "shard-1", reports / "shard-2"], reports)
    assert summary.lines()[0] == "Reportes unidos de 2 de 2 fragmentos:" and summary.junit_cases == everything


# --- the committed durations split the suite into disjoint shards -------------------------------


@pytest.mark.completo
def test_the_committed_durations_split_the_suite_into_four_disjoint_shards(tmp_path: Path):
    """``make pruebas SHARD=n/4``: every collected test in exactly one of the four shards.

    One collection computes the four shards with pytest-split's own algorithm on the collected
    items (tests/shard_partition.py); a second, through pytest-split's command line with the
    Makefile's options, checks that it selects the same tests for one shard.
    """
    assert DURATIONS.is_file(), "record it: make duraciones"
    durations = json.loads(DURATIONS.read_text(encoding="utf-8"))
    out = tmp_path / "partition.json"
    everything = collected_node_ids(
        "-p", "tests.shard_partition", env={"SHARD_PARTITION_OUT": str(out), "SHARD_PARTITION_SPLITS": str(SPLITS)}
    )
    partition = json.loads(out.read_text(encoding="utf-8"))
    shards, estimated = partition["shards"], partition["estimated"]
    assert partition["collected"] == everything
    assert len(everything) == len(set(everything)) > 100
    recorded = set(durations) & set(everything)
    assert len(recorded) >= 0.8 * len(everything), "the durations file is stale: make duraciones"
    assert len(shards) == SPLITS and all(shards), "every shard gets some tests"
    assert sum(len(shard) for shard in shards) == len(everything), "no test in two shards"
    assert set().union(*shards) == set(everything), "no test left out"
    assert max(estimated) <= 1.5 * (sum(estimated) / SPLITS), f"shards unbalanced: {estimated}"
    group = 3
    selected = collected_node_ids(
        "--splits",
        str(SPLITS),
        "--group",
        str(group),
        "--durations-path",
        str(DURATIONS),
        "--splitting-algorithm",
        "least_duration",
    )
    assert selected == shards[group - 1], "pytest-split's command line picks the same shard"


# --- the Makefile -------------------------------------------------------------------------------


def _make_dry_run(*args: str) -> str:
    """What ``make -n`` would run (nothing is run; ``.venv`` is taken as set up), as a make of its own;
    a recipe's continued lines joined into one."""
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", "-o", ".venv/.installed", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=outside_make(),
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.replace("\\\n", "")


@pytest.mark.completo
def test_make_test_with_a_shard_runs_its_share_into_its_own_reports():
    command = next(line for line in _make_dry_run("test", "SHARD=2/4").splitlines() if "/pytest " in line)
    assert (
        "--splits 4 --group 2 --durations-path .ci/test_durations.json --splitting-algorithm least_duration" in command
    )
    assert (
        "--junitxml=reports/shard-2/junit.xml" in command and "--cucumberjson=reports/shard-2/cucumber.json" in command
    )
    assert "--reportes reports/shard-2 " in command


@pytest.mark.completo
def test_make_test_without_a_shard_is_unchanged():
    command = next(line for line in _make_dry_run("test").splitlines() if "/pytest " in line)
    assert "--splits" not in command and "--durations-path" not in command
    assert "--reportes reports " in command and "--junitxml=reports/junit.xml" in command


@pytest.mark.completo
def test_make_merges_every_shard_folder():
    lines = _make_dry_run("unir-reportes", "SHARD_REPORTS=reports/shard-1 reports/shard-2").splitlines()
    assert lines[-2].endswith("/tutorial unir-reportes --salida reports reports/shard-1 reports/shard-2")
    assert lines[-1].endswith("/tutorial constancia --reportes reports"), "then the QA view of the merged run"
    assert "/tutorial unir-reportes --salida reports" in _make_dry_run("merge-reports")
