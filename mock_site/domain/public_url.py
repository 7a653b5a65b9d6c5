"""The site's public address: which ``Host`` headers it answers, and how absolute links start.

A link in a mail (password recovery, the upgrade notice) must lead to the real site whatever
``Host`` the request that caused it carried, so it is built from the pinned public URL
(``PUBLIC_URL``), or, without one, from the address the server itself listens on, never from
the request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

LOCAL_HOSTS = ("localhost", "127.0.0.1")  # trusted when no PUBLIC_URL is configured
DEFAULT_PORTS = {"http": 80, "https": 443}
UNSPECIFIED = ("0.0.0.0", "::", "")  # a server bound to every interface names no host


@dataclass(frozen=True)
class PublicURL:
    scheme: str
    host: str
    port: int | None

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = "" if self.port in (None, DEFAULT_PORTS[self.scheme]) else f":{self.port}"
        return f"{self.scheme}://{host}{port}"


def parse_public_url(value: str) -> PublicURL:
    """``https://www.aspel.com.mx`` (scheme, host and maybe port; no path, query or user).
    ValueError, in Spanish, for anything else: a misconfigured site must not start."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        raise ValueError(f"PUBLIC_URL no es una dirección válida: {value!r}") from None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"PUBLIC_URL debe empezar con http:// o https:// y nombrar un host: {value!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"PUBLIC_URL es sólo esquema, host y puerto, sin ruta: {value!r}")
    return PublicURL(parts.scheme, parts.hostname, port)


def split_hosts(value: str | Iterable[str] | None) -> list[str]:
    """A list of host names from a list or a comma-separated text (a command-line option)."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [item.strip().lower() for item in items if item and item.strip()]


def trusted_hosts(public_url: PublicURL | None, extra: Iterable[str] = ()) -> list[str]:
    """The host names the site answers: the public URL's (else this machine's loopback names),
    then the configured extras. Ports are not compared."""
    names = [public_url.host] if public_url else list(LOCAL_HOSTS)
    for name in extra:
        if name not in names:
            names.append(name)
    return names


def server_origin(scheme: str, server_name: str, server_port: str | int | None) -> str:
    """The origin of the address the server listens on (WSGI ``SERVER_NAME``/``SERVER_PORT``,
    set by the server, not by the request); a server bound to every interface is reached here
    as 127.0.0.1."""
    host = LOCAL_HOSTS[1] if server_name in UNSPECIFIED else server_name
    try:
        port = int(server_port) if server_port else None
    except ValueError:
        port = None
    return PublicURL(scheme if scheme in DEFAULT_PORTS else "http", host, port).origin


def absolute(origin: str, path: str) -> str:
    """``origin`` + an absolute path of the site."""
    return origin.rstrip("/") + "/" + path.lstrip("/")
