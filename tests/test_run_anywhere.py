"""The scenarios run against other sites and browsers: a mock started apart (with and without
mock control) and a Playwright browser server. Each test runs pytest in a subprocess, as a CI
job or a QA engineer would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.processes import browser_server, free_port, no_process_left_behind, run_to_end, started  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parent.parent
# The whole of features/ through a browser server takes minutes: `make pruebas-remotas` runs it (CI too).
FULL_REMOTE_RUN = "ASPEL_SUITE_REMOTA"
# Where that run leaves its reports (JUnit, figures, traces of failures); a temporary folder if unset.
FULL_REMOTE_REPORTS = "ASPEL_SUITE_REMOTA_REPORTES"
# Every scenario that downloads: Figura 7's, Aspel-AL's and term 5's.
DOWNLOADING = "descargo or lleva_al_instalador"
DOWNLOAD_SCENARIOS = 3

pytestmark = [pytest.mark.completo, pytest.mark.usefixtures("no_process_left_behind")]


@contextmanager
def mock_apart(tmp_path: Path, control_token: str | None) -> Iterator[tuple[str, list[str]]]:
    port = free_port()
    command = [sys.executable, "-m", "mock_site", "--port", str(port), "--database", str(tmp_path / "apart.sqlite")]
    if control_token:
        token_file = tmp_path / "token-de-control"
        token_file.write_text(control_token, encoding="utf-8")
        token_file.chmod(0o600)
        command += ["--control-token-file", str(token_file)]
    with started(command, port, cwd=ROOT) as server:
        banner = server.lines()[:3]  # printed (flushed) before the server listens
        yield f"http://127.0.0.1:{port}", banner


def run_scenarios(
    tmp_path: Path, *args: str, env: dict | None = None, workers: str | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith(("ASPEL_", "PYTEST_", "PLAYWRIGHT_SERVER"))}
    parallel = ["-n", workers or "0"]  # -n 0: xdist stays loaded (its xdist_group mark is known), no workers
    return run_to_end(
        [
            sys.executable,
            "-m",
            "pytest",
            "features",
            "-q",
            *parallel,
            "-rs",
            "--reportes",
            str(tmp_path / "reports"),
            "--output",
            str(tmp_path / "pw"),
            *args,
        ],
        cwd=ROOT,
        timeout=timeout,
        env={**clean_env, **(env or {})},
    )


def outcome(result: subprocess.CompletedProcess) -> dict[str, int]:
    summary = result.stdout.strip().splitlines()[-1]
    return {word: int(n) for n, word in re.findall(r"(\d+) (passed|failed|skipped|error)", summary)}


def test_scenarios_run_against_a_mock_started_apart(tmp_path):
    with mock_apart(tmp_path, control_token="token-ci-de-16-caracteres") as (url, _banner):
        result = run_scenarios(
            tmp_path,
            "--base-url",
            url,
            "-k",
            "inicio_sesión or cancelar_no_cambia or licencia",
            env={"ASPEL_CONTROL_TOKEN": "token-ci-de-16-caracteres"},
        )
    assert outcome(result) == {"passed": 3}, result.stdout[-3000:]


def demo_account(banner: list[str]) -> dict[str, str]:
    """The account `python -m mock_site` prints: the tutorial's customer, standing in for a staging
    site's test account (Aspel NOI 9.0 in monthly subscription, not yet upgraded)."""
    return {
        "ASPEL_USUARIO": banner[1].removeprefix("Usuario: "),
        "ASPEL_CONTRASENA": banner[2].removeprefix("Contraseña: "),
    }


# The scenario that changes the demo account for good, and why it waits for --destructivo.
DESTRUCTIVE = "nueva_serie_es_nueva"
DESTRUCTIVE_REASON = "«@destructivo: cambia la cuenta de prueba para siempre; se corre con --destructivo»"
# At least this many scenarios run against a site without mock control: every one that only reads
# (27: the @enlaces outline checks four links since the words the original links to "#" went plain).
RUN_WITHOUT_CONTROL = 27


def test_without_mock_control_the_read_only_scenarios_run_with_the_env_account(tmp_path):
    """`make sitio`'s demo account as a staging site's test account, no control token: every
    scenario that only reads runs; the others are skipped, and the last lines say how many and why.
    A destructive scenario among them is skipped unless asked, and runs when asked."""
    with mock_apart(tmp_path, control_token=None) as (url, banner):
        result = run_scenarios(
            tmp_path, "--base-url", url, f"--junitxml={tmp_path / 'junit.xml'}", env=demo_account(banner), timeout=1200
        )
        asked = run_scenarios(tmp_path, "--base-url", url, "-k", DESTRUCTIVE, "--destructivo", env=demo_account(banner))
    counts = outcome(result)
    assert counts.get("failed", 0) == 0 and counts.get("error", 0) == 0, result.stdout[-6000:]
    assert counts["passed"] >= RUN_WITHOUT_CONTROL, result.stdout[-6000:]
    summary = next(line for line in result.stdout.splitlines() if line.startswith("Resumen: "))
    assert summary.startswith(
        f"Resumen: corrieron {counts['passed']} ({counts['passed']} pasaron, 0 fallaron); "
        f"se omitieron {counts['skipped']}: "
    ), summary
    for reason in (
        "«@mock: crea cuentas, mueve relojes o lee correos",
        "«@mock: la figura muestra el mundo del tutorial",
        DESTRUCTIVE_REASON,
    ):
        assert reason in summary, summary
    skipped = sum(int(n) for n in re.findall(r"(\d+) por «", summary))
    assert skipped == counts["skipped"], summary
    assert DESTRUCTIVE_REASON.strip("«»") in skip_reason(tmp_path / "junit.xml", DESTRUCTIVE)
    assert outcome(asked) == {"passed": 1}, asked.stdout[-3000:]


def skip_reason(junit: Path, name: str) -> str:
    """Why the one test whose name holds ``name`` was skipped, as its JUnit report says."""
    import xml.etree.ElementTree as ET

    (case,) = [case for case in ET.parse(junit).iter("testcase") if name in case.get("name", "")]
    return case.find("skipped").get("message", "")


def test_scenarios_and_their_downloads_drive_a_remote_playwright_browser_server(tmp_path):
    """One scenario that only looks, and every one that downloads (Figura 7's download and term 5's
    SHA-256, and Aspel-AL's) with a browser on another machine: download.path() does not exist
    there, save_as() does."""
    with browser_server() as endpoint:
        result = run_scenarios(tmp_path, "--servidor-navegador", endpoint, "-k", f"localizo_mi_cuenta or {DOWNLOADING}")
    assert outcome(result) == {"passed": 1 + DOWNLOAD_SCENARIOS}, result.stdout[-3000:]


@pytest.mark.skipif(
    not os.environ.get(FULL_REMOTE_RUN),
    reason=f"la suite completa por un servidor de navegador corre con make pruebas-remotas ({FULL_REMOTE_RUN}=1)",
)
def test_every_scenario_passes_through_a_remote_browser_server(tmp_path):
    """All of features/ against the embedded mock, with every browser launched by a run-server
    (the same Chromium as a local run, through executablePath, so figures compare the same way)."""
    workers = os.environ.get("WORKERS", "auto")
    reports = Path(os.environ.get(FULL_REMOTE_REPORTS) or tmp_path / "reports").resolve()
    with browser_server() as endpoint:
        result = run_scenarios(
            tmp_path,
            "--servidor-navegador",
            endpoint,
            "--reportes",
            str(reports),
            f"--junitxml={reports / 'junit.xml'}",
            "--output",
            str(reports / "playwright"),
            "--tracing",
            "retain-on-failure",
            workers=workers,
            timeout=1800,
        )
    counts = outcome(result)
    assert result.returncode == 0 and counts.get("passed", 0) > 0, result.stdout[-6000:]
    assert set(counts) <= {"passed", "skipped"}, result.stdout[-6000:]


@pytest.mark.parametrize("browser", ["firefox", "webkit"])
def test_a_missing_browser_build_is_named_plainly(tmp_path, browser):
    from tutorial.figuras.renderer import require_playwright_build

    try:
        require_playwright_build(browser)
    except RuntimeError as error:
        assert f"playwright install {browser}" in str(error)
    else:
        result = run_scenarios(tmp_path, "--browser", browser, "-k", "localizo_mi_cuenta")
        assert outcome(result) == {"passed": 1}, result.stdout[-3000:]


def test_serve_prints_a_demo_account_that_logs_in(tmp_path):
    import http.cookiejar
    import urllib.parse
    import urllib.request

    with mock_apart(tmp_path, control_token=None) as (url, banner):
        assert banner[0] == f"Sitio simulado de aspel.com en {url}/"
        user, password = banner[1].removeprefix("Usuario: "), banner[2].removeprefix("Contraseña: ")
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        form = browser.open(f"{url}/mi-cuenta/iniciar-sesion").read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        body = urllib.parse.urlencode({"usuario": user, "contrasena": password, "csrf_token": token})
        account = browser.open(f"{url}/mi-cuenta/iniciar-sesion", data=body.encode())
        page = account.read().decode()
        grid = browser.open(f"{url}/mi-cuenta/mis-servicios/suscripciones").read().decode()
    assert account.url == f"{url}/mi-cuenta/" and "Mis servicios" in page
    assert "01/02/2022" in grid and "01/04/2022" in grid and "Aspel NOI" in grid
