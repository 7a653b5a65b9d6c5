"""Every process a test starts ends with the test, children included (tests/processes.py)."""

from __future__ import annotations

import json
import sys
import textwrap
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.processes import (
    GRACE_SECONDS,
    SESSION_TAG,
    browser_server,
    free_port,
    is_running,
    no_process_left_behind,  # noqa: F401 (a fixture, used by pytestmark)
    started,
    tagged,
)
from tutorial.figuras import renderer as chromium

ROOT = Path(__file__).resolve().parent.parent
GRACE = GRACE_SECONDS

pytestmark = [pytest.mark.completo, pytest.mark.usefixtures("no_process_left_behind")]


def test_a_browser_server_ends_with_its_node_and_its_browsers():
    """`playwright` is a launcher script: Node runs the server, and the server launches Chromium
    in a session of its own. Ending the test ends all of them, not only the launcher."""
    executable = chromium.launch_executable()
    launch = {"args": chromium.launch_args(executable)}
    if executable:
        launch["executablePath"] = str(executable)

    def serve_and_end() -> tuple[list, float]:
        with sync_playwright() as playwright:
            with browser_server(grace=GRACE) as endpoint:
                browser = playwright.chromium.connect(
                    endpoint, headers={"x-playwright-launch-options": json.dumps(launch)}
                )
                browser.new_page().set_content("<p>hola</p>")
                running = tagged(SESSION_TAG)
                leaving = time.monotonic()
            return running, time.monotonic() - leaving

    running, took = chromium.in_a_thread_of_its_own(serve_and_end)
    commands = " ".join(process.command for process in running)
    assert "run-server" in commands and "cli.js" in commands, commands  # launcher and Node
    assert len(running) >= 3, commands  # and at least one browser process
    left = [process for process in running if is_running(process)]
    assert not left, "siguen en ejecución: " + ", ".join(process.describe() for process in left)
    assert took < GRACE, f"el servidor no terminó con su señal; tardó {took:.1f} s y hubo que usar SIGKILL"


def test_a_child_that_leaves_the_group_and_ignores_sigterm_is_killed_after_the_grace_period():
    port = free_port()
    stubborn = textwrap.dedent(f"""
        import os, signal, socket
        os.setsid()
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        listener = socket.create_server(("127.0.0.1", {port}))
        while True:
            listener.accept()[0].close()
    """)
    launcher = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {stubborn!r}])"
    with started([sys.executable, "-c", launcher], port, cwd=ROOT, grace=0.5):
        running = tagged(SESSION_TAG)
        assert len(running) == 2, [process.describe() for process in running]
    left = [process for process in running if is_running(process)]
    assert not left, "siguen en ejecución: " + ", ".join(process.describe() for process in left)
