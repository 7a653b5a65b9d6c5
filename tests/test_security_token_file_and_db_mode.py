"""The control token can stay off the command line (``--control-token-file``),
and the database (recovery links, mailbox keys, password hashes) is readable by its owner only."""

from __future__ import annotations

import os
import stat

import pytest

from mock_site import __main__ as serve
from mock_site import create_app
from mock_site.control_token import TOO_SHORT
from mock_site.db import get_db
from tests.test_mock_control import NoServer

TOKEN = "un-token-de-archivo-largo"


def test_the_token_is_read_from_a_file_without_its_line_break(tmp_path):
    path = tmp_path / "token"
    path.write_text(TOKEN + "\n")
    path.chmod(0o600)
    args = serve.parse_args(["--control-token-file", str(path)])
    assert args.control_token == TOKEN


@pytest.mark.parametrize("content", ["corto\n", "x" * 15, "dieciseis con espacio\n"])
def test_a_file_with_a_bad_token_stops_the_server_in_spanish(tmp_path, capsys, content):
    path = tmp_path / "token"
    path.write_text(content)
    with pytest.raises(SystemExit):
        serve.parse_args(["--control-token-file", str(path)])
    assert TOO_SHORT in capsys.readouterr().err


def test_a_missing_token_file_stops_the_server_in_spanish(tmp_path, capsys):
    with pytest.raises(SystemExit):
        serve.parse_args(["--control-token-file", str(tmp_path / "no-existe")])
    assert "no se pudo leer el archivo del token de control" in capsys.readouterr().err


def test_a_token_on_the_command_line_is_refused_naming_the_file_option(tmp_path, monkeypatch, capsys):
    """Another local user reads a command line with ps: the token comes from a file only."""
    monkeypatch.setattr(serve, "make_server", NoServer)
    with pytest.raises(SystemExit):
        serve.main(["--database", str(tmp_path / "a.sqlite"), "--control-token", TOKEN])
    assert serve.TOKEN_ON_COMMAND_LINE in capsys.readouterr().err
    assert not (tmp_path / "a.sqlite").exists()  # refused before anything is written
    path = tmp_path / "token"
    path.write_text(TOKEN)
    serve.main(["--database", str(tmp_path / "b.sqlite"), "--control-token-file", str(path)])
    assert serve.CONTROL_ON in capsys.readouterr().out.splitlines()


def test_the_database_and_its_wal_files_are_the_owners_only(tmp_path):
    old_umask = os.umask(0o022)
    try:
        path = tmp_path / "privada.sqlite"
        app = create_app({"TESTING": True, "DATABASE": str(path)})
        app.test_client().get("/precios/noi")
        with app.app_context():  # a write, so that -wal and -shm exist
            get_db().execute("UPDATE reloj SET ahora = NULL")
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.glob("privada.sqlite*")}
    finally:
        os.umask(old_umask)
    assert modes and all(mode == 0o600 for mode in modes.values()), modes
