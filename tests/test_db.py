"""The one way the schema is made (mock_site/db.py init_db): schema.sql, whole, on a new database;
and the connection each thread keeps (get_db): its own, its app's database, nothing left open."""

from __future__ import annotations

import re
import sqlite3
import threading
from importlib import resources

from mock_site import create_app
from mock_site.db import get_db

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


# --- the connection each thread keeps (get_db) --------------------------------------------------


def _app(tmp_path, name: str = "aspel"):
    return create_app({"TESTING": True, "DATABASE": str(tmp_path / f"{name}.sqlite")})


def _closed(connection: sqlite3.Connection) -> bool:
    try:
        connection.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False


def test_a_thread_keeps_its_connection_from_one_request_to_the_next(tmp_path):
    app = _app(tmp_path)
    with app.app_context():
        first = get_db()
    with app.app_context():
        assert get_db() is first
    assert not _closed(first)
    assert app.test_client().get("/precios/noi").status_code == 200


def test_each_thread_has_its_own_connection(tmp_path):
    """Two threads at once in the same app: each its own connection, both answered."""
    app = _app(tmp_path)
    both_inside = threading.Barrier(2, timeout=30)
    seen: dict[str, sqlite3.Connection] = {}

    def request(name: str) -> None:
        with app.app_context():
            seen[name] = get_db()
            both_inside.wait()
            seen[name].execute("UPDATE reloj SET ahora = NULL")

    threads = [threading.Thread(target=request, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert seen["a"] is not seen["b"]


def test_each_app_its_own_database_in_the_same_thread(tmp_path):
    one, other = _app(tmp_path, "una"), _app(tmp_path, "otra")
    with one.app_context():
        first = get_db()
        first.execute("UPDATE reloj SET ahora = '2022-03-15T10:00:00-06:00'")
    with other.app_context():
        assert get_db().execute("SELECT ahora FROM reloj").fetchone()[0] is None
    assert _closed(first)  # a thread keeps the last app's connection only
    with one.app_context():
        assert get_db().execute("SELECT ahora FROM reloj").fetchone()[0] == "2022-03-15T10:00:00-06:00"


def test_a_transaction_left_open_ends_with_its_request(tmp_path):
    """Rolled back, as closing the connection did: its write is gone and the lock is free."""
    app = _app(tmp_path)
    with app.app_context():
        get_db().execute("BEGIN IMMEDIATE")
        get_db().execute("UPDATE reloj SET ahora = '2022-03-15T10:00:00-06:00'")
    with sqlite3.connect(tmp_path / "aspel.sqlite", timeout=0) as connection:
        assert connection.execute("SELECT ahora FROM reloj").fetchone()[0] is None
        connection.execute("UPDATE reloj SET desde = NULL")


def test_another_apps_context_inside_one_leaves_the_outer_connection_open(tmp_path):
    one, other = _app(tmp_path, "una"), _app(tmp_path, "otra")
    with one.app_context():
        outer = get_db()
        with other.app_context():
            inner = get_db()
            assert inner is not outer
        assert _closed(inner)  # its own, for that context only
        assert outer.execute("SELECT count(*) FROM reloj").fetchone()[0] == 1
