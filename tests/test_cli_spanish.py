"""``tutorial --help`` and every subcommand's help and errors in Spanish, with
none of argparse's English words (it said «usage:», «options:», «show this help message and exit»)."""

from __future__ import annotations

import pytest

from tutorial import cli

ENGLISH = ("usage:", "options:", "show this help message", "positional arguments", "invalid choice", "argument ")


@pytest.mark.parametrize("argv", [["--help"], *([name, "--help"] for name in cli.SUBCOMMANDS), ["nada"]])
def test_every_help_and_error_speaks_spanish(argv: list[str], capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit):
        cli.main(argv)
    out = capsys.readouterr()
    text = out.out + out.err
    assert text.startswith("uso: tutorial"), text[:200]
    assert not [word for word in ENGLISH if word in text], text
