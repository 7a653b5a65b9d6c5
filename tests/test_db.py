"""The one way the schema is made (mock_site/db.py init_db): schema.sql, whole, on a new database."""

from __future__ import annotations

import re
import sqlite3
from importlib import resources

from mock_site import create_app

SCHEMA = resources.files("mock_site").joinpath("schema.sql").read_text(encoding="utf-8")


def _tables(path) -> set[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return {row[0] for row in rows}


def test_a_new_database_gets_every_table_of_schema_sql(tmp_path):
    path = tmp_path / "nueva.sqlite"
    create_app({"TESTING": True, "DATABASE": str(path)})
    assert _tables(path) == set(re.findall(r"^CREATE TABLE (\w+)", SCHEMA, re.M))


def test_a_second_app_on_the_same_database_keeps_its_data(tmp_path):
    path = tmp_path / "compartida.sqlite"
    create_app({"TESTING": True, "DATABASE": str(path)})
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE reloj SET ahora = '2022-03-15T10:00:00-06:00'")
    create_app({"TESTING": True, "DATABASE": str(path)})
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*), max(ahora) FROM reloj").fetchone() == (
            1,
            "2022-03-15T10:00:00-06:00",
        )


def test_the_schema_names_no_code_that_creates_its_tables_elsewhere():
    """Stale notes of the old per-blueprint upgrades ("Kept in step with ...") are gone."""
    assert "IF NOT EXISTS" not in SCHEMA and "Kept in step" not in SCHEMA
