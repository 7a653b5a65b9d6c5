"""The SQLite connection: one per thread, kept from request to request (:func:`get_db`), the
schema from schema.sql (:func:`init_db`), and the site's clock. The queries themselves are in
store.py."""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from datetime import UTC, date, datetime
from importlib import resources
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g

from . import store
from .domain.clock import running_moment

MEXICO_CITY = ZoneInfo("America/Mexico_City")


def connect(path: str) -> sqlite3.Connection:
    """A connection that never waits for the disk: ``synchronous = OFF``. The database is made anew
    at every start (``make sitio``, every test) and lives no longer than its process, so what an
    fsync buys (surviving a power cut) is worth nothing here; with WAL an application crash still
    leaves it consistent. The default (FULL) made every request that writes (and the last
    connection's close, which checkpoints) wait 2-13 ms for the disk: most of the fuzz's wall time."""
    connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA busy_timeout = 30000")
    connection.execute("PRAGMA synchronous = OFF")
    return connection


class _Kept(threading.local):
    """The connection this thread keeps, and whose it is: its app (weakly: a thread does not keep
    an app alive; an app freed and another made may share an id, never this reference) and its
    database file; and how many of the thread's app contexts use it now."""

    app: weakref.ref[Flask] | None = None
    path: str | None = None
    connection: sqlite3.Connection | None = None
    users = 0


_kept = _Kept()


def get_db() -> sqlite3.Connection:
    """The app's connection for this thread, made at its first request and used by the next ones.

    Opening one per request cost ~650 µs (the schema read anew, and with WAL the last connection's
    close checkpoints the log), more than most requests themselves; kept, a query costs ~5 µs.
    Each thread has its own (the servers' threads answer at the same time); a thread keeps one
    only, the last app's: another app's request closes it and opens its own (a database per app,
    as before, and never more files open than threads). A thread that ends takes its connection
    with it. Nothing here forks: a connection must not cross into a child process."""
    if "db" not in g:
        g.db = _connection_for(current_app._get_current_object())  # type: ignore[attr-defined]
    return g.db


def _connection_for(app: Flask) -> sqlite3.Connection:
    path = app.config["DATABASE"]
    connection = _kept.connection
    if connection is None or _kept.app is None or _kept.app() is not app or _kept.path != path:
        if _kept.users:  # another app's context, still open around this one, uses the kept one
            return connect(path)  # this context's own, closed at its end (close_db)
        if connection is not None:
            connection.close()
        connection = connect(path)
        _kept.connection, _kept.app, _kept.path = connection, weakref.ref(app), path
    _kept.users += 1
    return connection


def close_db(_error: BaseException | None = None) -> None:
    """At the end of an app context: the thread's kept connection stays open for its next request,
    with nothing of this one left in it (a transaction an error left open is rolled back, as
    closing the connection did); a context's own connection is closed."""
    db: sqlite3.Connection | None = g.pop("db", None)
    if db is None:
        return
    if db is not _kept.connection:
        db.close()
    else:
        _kept.users -= 1
        if not _kept.users and db.in_transaction:
            db.execute("ROLLBACK")


PRIVATE_FILE = 0o600


def create_private(path: str) -> None:
    """The database file made readable by its owner only (it holds recovery links, mailbox keys and
    password hashes); SQLite gives its -wal and -shm files the same mode. A file that exists is left
    as it is (another app on it: parallel workers)."""
    if path == ":memory:" or path.startswith("file:"):
        return
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE))
    except FileExistsError:
        pass


def init_db(path: str) -> None:
    """The one way the schema is made: schema.sql, whole, on a new database.

    A database that has the schema already (another app on the same file: parallel test
    workers, a server started apart) is left as it is. There is no upgrade of older databases:
    ``make sitio`` makes its database anew at every start and tests use new ones.
    """
    create_private(path)
    connection = connect(path)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        exists = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cuenta'").fetchone()
        if not exists:
            connection.executescript(resources.files("mock_site").joinpath("schema.sql").read_text())
    finally:
        connection.close()


def now(account: sqlite3.Row | None = None) -> datetime:
    """The site's "now" for an account.

    The account's own frozen clock wins (scenarios move it without disturbing others that share
    the server), then the site's clock (frozen, or running from a moment: make sitio), then the
    real time in Mexico City.
    """
    frozen = account["reloj"] if account is not None else None
    if frozen:
        return datetime.fromisoformat(frozen).astimezone(MEXICO_CITY)
    moment, since = store.site_clock(get_db())
    if moment and since:
        real_now = datetime.now(UTC)
        return running_moment(datetime.fromisoformat(moment), datetime.fromisoformat(since), real_now).astimezone(
            MEXICO_CITY
        )
    if moment:
        return datetime.fromisoformat(moment).astimezone(MEXICO_CITY)
    return datetime.now(MEXICO_CITY)


def today(account: sqlite3.Row | None = None) -> date:
    return now(account).date()


def set_clock(moment: datetime | None, running: bool = False) -> None:
    """Set the site's clock at ``moment``: frozen there (the figures, the scenarios), or
    ``running`` from there with real time (make sitio); None lets it follow the real time again."""
    since = datetime.now(UTC).isoformat() if moment and running else None
    store.set_site_clock(get_db(), moment.isoformat() if moment else None, since)


def init_app(app: Flask) -> None:
    init_db(app.config["DATABASE"])
    app.teardown_appcontext(close_db)
