"""The scenarios run against other sites and browsers: a mock started apart (with and without
mock control) and a Playwright browser server. Each test runs pytest in a subprocess, as a CI
job or a QA engineer would."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from steps.support.server import FIGURE_SERIAL_KEY

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"el proceso terminó antes de escuchar: {process.stdout.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)  # polling a port that is coming up, not a wait for a result
    raise AssertionError(f"nadie escucha en el puerto {port}")


@contextmanager
def started(command: list[str], port: int, env: dict | None = None) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, **(env or {})},
    )
    try:
        wait_for_port(port, process)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def mock_apart(tmp_path: Path, control_token: str | None) -> Iterator[tuple[str, list[str]]]:
    port = free_port()
    command = [sys.executable, "-m", "mock_site", "--port", str(port),
               "--database", str(tmp_path / "apart.sqlite"), "--serial-key", FIGURE_SERIAL_KEY]
    if control_token:
        command += ["--control-token", control_token]
    with started(command, port) as process:
        banner = [process.stdout.readline().strip() for _ in range(3)]
        yield f"http://127.0.0.1:{port}", banner


def run_scenarios(tmp_path: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith(("ASPEL_", "PYTEST_", "PLAYWRIGHT_SERVER"))}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "features", "-q", "-p", "no:xdist", "-rs",
         "--reports", str(tmp_path / "reports"), "--output", str(tmp_path / "pw"), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env={**clean_env, **(env or {})},
    )


def outcome(result: subprocess.CompletedProcess) -> dict[str, int]:
    summary = result.stdout.strip().splitlines()[-1]
    return {word: int(n) for n, word in re.findall(r"(\d+) (passed|failed|skipped|error)", summary)}


def test_scenarios_run_against_a_mock_started_apart(tmp_path):
    with mock_apart(tmp_path, control_token="token-ci") as (url, _banner):
        result = run_scenarios(
            tmp_path, "--base-url", url, "-k", "inicio_sesión or cancelar or licencia",
            env={"ASPEL_CONTROL_TOKEN": "token-ci"},
        )
    assert outcome(result) == {"passed": 3}, result.stdout[-3000:]


def test_without_mock_control_the_mock_scenarios_are_skipped_with_a_reason(tmp_path):
    with mock_apart(tmp_path, control_token=None) as (url, banner):
        user = banner[1].removeprefix("Usuario: ")
        password = banner[2].removeprefix("Contraseña: ")
        result = run_scenarios(
            tmp_path, "--base-url", url, "-k", "contraseña_equivocada or cancelar",
            env={"ASPEL_USUARIO": user, "ASPEL_CONTRASENA": password},
        )
    assert outcome(result) == {"passed": 1, "skipped": 1}, result.stdout[-3000:]
    assert "@mock: el sitio no tiene API de control" in result.stdout


def test_scenarios_drive_a_remote_playwright_browser_server(tmp_path):
    port = free_port()
    server = [str(BIN / "playwright"), "run-server", "--host", "127.0.0.1", "--port", str(port), "--unsafe"]
    with started(server, port):
        result = run_scenarios(
            tmp_path, "--browser-server", f"ws://127.0.0.1:{port}/", "-k", "localizo_mi_cuenta",
        )
    assert outcome(result) == {"passed": 1}, result.stdout[-3000:]


@pytest.mark.parametrize("browser", ["firefox", "webkit"])
def test_a_missing_browser_build_is_named_plainly(tmp_path, browser):
    from steps.support.browser import require_playwright_build

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
