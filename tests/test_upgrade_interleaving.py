"""The once-only upgrade proven by a forced interleaving, not by a race.

Two requests accept the same serial at once. Whichever reads the serial first is held at the point
between its read and its write (``store.between_upgrade_read_and_write``) until the other has gone
as far as it can: either to the same point (it read the serial while the first had not written yet:
a read outside the write lock) or into the upgrade's wait for SQLite's write lock (the read is
inside the lock, so it will see the first one's write). Only then is the first one let go. Nothing
depends on timing: with a read outside the lock both requests read before either writes, every
time, and two serials come out; with the read inside it, one.

``tests/test_upgrade.py`` keeps the 20-thread test as a load check.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Iterator

import pytest

from mock_site import store
from tests.flask_site import csrf_token
from tests.test_upgrade import accept_path, mails, rows

# Only a failure waits this long: in a correct or a broken store the condition is met at once.
SAFETY_TIMEOUT = 30.0


def _inside_store_upgrade() -> bool:
    """Whether the caller runs within ``mock_site.store.upgrade`` (looked up by name, so an edited
    ``upgrade`` still counts)."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name == "upgrade" and frame.f_globals.get("__name__") == "mock_site.store":
            return True
        frame = frame.f_back
    return False


class Interleaving:
    """Where each of the two requests stopped: at the point between read and write, or waiting for
    the write lock inside the upgrade."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.between_read_and_write: list[str] = []
        self.waiting_for_the_lock: list[str] = []
        self.released_in_time: list[bool] = []

    def _stopped(self) -> int:
        return len(self.between_read_and_write) + len(self.waiting_for_the_lock)

    def hold(self, numero: str) -> None:
        """The seam: stay here until the other request is here too or waits for the lock."""
        with self.condition:
            self.between_read_and_write.append(threading.current_thread().name)
            self.condition.notify_all()
            self.released_in_time.append(self.condition.wait_for(lambda: self._stopped() >= 2, SAFETY_TIMEOUT))

    def waits_for_the_lock(self) -> None:
        with self.condition:
            self.waiting_for_the_lock.append(threading.current_thread().name)
            self.condition.notify_all()


def watched_connection_class(interleaving: Interleaving) -> type[sqlite3.Connection]:
    class WatchedConnection(sqlite3.Connection):
        """Inside the upgrade, ``BEGIN IMMEDIATE`` first asks for the write lock without waiting: if
        another connection holds it, that is recorded, and then it waits for it as usual."""

        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
            if sql.strip().upper() != "BEGIN IMMEDIATE" or not _inside_store_upgrade():
                return super().execute(sql, *args)
            waiting_ms = super().execute("PRAGMA busy_timeout").fetchone()[0]
            super().execute("PRAGMA busy_timeout = 0")
            try:
                return super().execute(sql, *args)
            except sqlite3.OperationalError as error:
                if "locked" not in str(error):
                    raise
                interleaving.waits_for_the_lock()
            finally:
                super().execute(f"PRAGMA busy_timeout = {int(waiting_ms)}")
            return super().execute(sql, *args)

    return WatchedConnection


@pytest.fixture
def interleaving(monkeypatch: pytest.MonkeyPatch) -> Iterator[Interleaving]:
    held = Interleaving()
    real_connect = sqlite3.connect
    factory = watched_connection_class(held)

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        return real_connect(*args, factory=factory, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    monkeypatch.setattr(store, "between_upgrade_read_and_write", held.hold)
    yield held


def test_two_accepts_held_between_read_and_write_give_one_serial_and_one_notice(
    app, client, make_account, login, interleaving: Interleaving
) -> None:
    account = make_account()
    login(account["usuario"])
    old = account["series"][0]
    token = csrf_token(client, accept_path(old))
    cookie = client.get_cookie("session").value
    statuses: dict[str, int] = {}

    def accept(name: str) -> None:
        own = app.test_client()
        own.set_cookie("session", cookie)
        statuses[name] = own.post(accept_path(old), data={"csrf_token": token}).status_code

    threads = [threading.Thread(target=accept, args=(name,), name=name) for name in ("primera", "segunda")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SAFETY_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "una solicitud quedó detenida"
    assert all(interleaving.released_in_time), "la solicitud detenida no vio a la otra llegar ni esperar el candado"
    # The interleaving happened: one request read and stopped while the other waited for the lock.
    assert len(interleaving.between_read_and_write) == 1, (
        "las dos solicitudes leyeron la serie antes de que una escribiera: la lectura está fuera del candado "
        f"({interleaving.between_read_and_write})"
    )
    assert len(interleaving.waiting_for_the_lock) == 1
    assert statuses == {"primera": 303, "segunda": 303}
    assert len([row for row in rows(app) if row["reemplaza"] == old]) == 1
    assert len(mails(app)) == 1
