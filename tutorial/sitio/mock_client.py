"""A client of the mock control API (see mock_site/control.py), over plain HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from playwright._impl._api_structures import SetCookieParam  # what BrowserContext.add_cookies takes


@dataclass
class MockControl:
    base_url: str
    token: str | None

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        return json.loads(self._answer(method, path, body)[1] or b"null")

    def _answer(self, method: str, path: str, body: Any = None) -> tuple[Message, bytes]:
        """The headers and body of the answer; an AssertionError naming the call unless 2xx."""
        request = urllib.request.Request(
            self.base_url.rstrip("/") + "/_control" + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"X-Control-Token": self.token or "", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.headers, response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")[:500]
            raise AssertionError(f"La API de control respondió {error.code} a {method} {path}: {detail}") from error

    def unavailable_reason(self) -> str | None:
        """None when the control API answers our token, else why not (for skip messages)."""
        if not self.token:
            return "el sitio no tiene API de control: define ASPEL_CONTROL_TOKEN"
        try:
            self._call("GET", "/correos?para=" + quote("sondeo@example.invalid"))
        except AssertionError as error:
            return f"{self.base_url} no ofrece la API de control ({error})"
        except urllib.error.URLError as error:
            return f"{self.base_url} no responde: {error.reason}"
        return None

    def create_account(self, **spec: Any) -> dict:
        return self._call("POST", "/cuentas", spec)

    def session_cookie(self, usuario: str) -> SetCookieParam:
        """The cookie *Iniciar sesión* would give ``usuario``'s browser, ready for
        ``BrowserContext.add_cookies``."""
        headers, _body = self._answer("POST", f"/cuentas/{quote(usuario)}/sesion")
        cookie = SimpleCookie(headers["Set-Cookie"])
        (name,) = cookie
        return {"name": name, "value": cookie[name].value, "url": self.base_url}

    def accept_upgrade(self, usuario: str, numero: str) -> dict:
        """``usuario``'s serial ``numero`` upgraded as the dialog's *Aceptar* does (notice mailed);
        the new serial's ``numero``, ``version`` and ``periodicidad``."""
        return self._call("POST", f"/cuentas/{quote(usuario)}/series/{quote(numero)}/actualizacion")

    def tutorial_world(self) -> dict:
        """The tutorial's moment, customer and serials, as the mock defines them."""
        return self._call("GET", "/mundo")

    def claim_tutorial_world(self, usuario: str, password: str) -> dict:
        """A new account that is the tutorial's customer (the previous holder is deleted)."""
        return self._call("POST", "/mundo", {"usuario": usuario, "password": password})

    def move_account_clock(self, usuario: str, moment: str | None) -> None:
        self._call("PUT", f"/cuentas/{quote(usuario)}/reloj", {"ahora": moment})

    def outbox(self, to: str) -> list[dict]:
        return self._call("GET", "/correos?para=" + quote(to))
