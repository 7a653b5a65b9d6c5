"""The fuzz's inputs (tests/test_fuzz.py): the odd values sent in, the names the site's forms use,
the site under test as the strategies see it, and the hypothesis strategies that draw paths, requests,
form fields and JSON bodies from it."""

from __future__ import annotations

import functools
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st
from werkzeug.security import generate_password_hash

from mock_site.db import connect
from tests.flask_site import CHEAP_HASH as CHEAP_METHOD

ROOT = Path(__file__).resolve().parents[1] / "mock_site"
PASSWORD = "clave-de-pruebas-1"
CHEAP_HASH = generate_password_hash(PASSWORD, method=CHEAP_METHOD)  # log-ins cost nothing here
CONTROL_TOKEN = "token-de-fuzz-de-la-api"
OWNER_CLOCK = "2022-03-15T10:00:00-06:00"  # the owner's frozen clock (its session never ends)
LOGIN = "/mi-cuenta/iniciar-sesion"

# Sent in; must never come back as markup. Checked in lower case (tags are case-insensitive, and
# some fields are upper-cased before they are shown).
PROBES = (
    '<script>alert("sondeo")</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '" autofocus onfocus="alert(1)',
    "<sondeo-xss>",
    '<a href="javascript:alert(1)">x</a>',
)
DANGEROUS = (
    '<script>alert("sondeo")',
    "<img src=x onerror",
    "<svg onload",
    '" autofocus onfocus=',
    "<sondeo-xss>",
    'href="javascript:',
)
NASTY = (
    "",
    " ",
    "\x00",
    "\r\n",
    "\t",
    "\x1b[31m",
    "\u202e",
    "\ufeff",
    "\u2028",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "ñÑáé",
    "../../etc/passwd",
    "%00",
    "%",
    "%%41",
    "' OR '1'='1",
    '"; DROP TABLE cuenta; --',
    "null",
    "[]",
    "{}",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "Infinity",
    "true",
    "INLXXXXXXXXXX",
    "inl",
    "A" * 300,
    "ñ" * 2000,
    "A" * 5000,
    "<" * 3000,
)
# Bodies that JSON parsers choke on: deep nesting (Python's json recursed into a 500), NaN and
# Infinity, lone surrogates, numbers too long to convert, a BOM, UTF-16, trailing garbage...
JSON_EDGES = (
    b"[" * 1000,
    b'{"a":' * 1000,
    b"[" * 33 + b"]" * 33,
    b"[" * 32 + b"]" * 32,
    b'[{"a":[{"b":' * 200,
    b'"' + b"[" * 2000 + b'"',
    b"NaN",
    b'{"ahora": NaN}',
    b'{"serie": Infinity}',
    b"-Infinity",
    b'{"serie": "\\ud800"}',
    b'{"\\udfff": 1}',
    b'{"ahora": "\\u0000"}',
    b"1" * 5000,
    b'{"seed": ' + b"9" * 5000 + b"}",
    b"1e999",
    b"\xef\xbb\xbf{}",
    '{"serie": "INLXXXXXXXXXX"}'.encode("utf-16"),
    b'{"a": 1} basura',
    b'{"a":1,"a":2}',
    b"",
    b" ",
    b"null",
    b"[]",
    b'"texto"',
    b"{",
    b"}",
    b'{"ahora": null}',
    b'{"ahora": "2022-03-15T10:00:00"}',
)
# Host headers: another site's names must get 400 (never a link to them); the rest, no 500.
FORGED_HOSTS = (
    "evil.example",
    "evil.example:80",
    "localhost.evil.example",
    "evil.example, localhost",
    "127.0.0.1.evil.example",
    "127.0.0.1@evil.example",
    "localhost:99999",
    "localhost:0",
    "localhost:-1",
    "[::1]:5000",
    "ñandú.example",
    "a" * 300,
    "",
    " ",
    "LOCALHOST",
    "localhost:80:80",
    "%65vil.example",
    "evil.example/x",
)
LOCAL_HOSTS = ("localhost", "localhost:5000", "127.0.0.1", "127.0.0.1:8080")
INVALID_UTF8 = (b"\xff", b"\xfe\xff", b"\xc3", b"\xc3(", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80abc", b"\xe2\x82")


def _names_used_by_the_site() -> list[str]:
    """Field names from the templates (name="...") and the views (.get("...")): new forms count."""
    names: set[str] = set()
    for template in (ROOT / "templates").rglob("*.html"):
        names |= set(re.findall(r'name="([a-z_][a-z0-9_]*)"', template.read_text(encoding="utf-8")))
    for module in ROOT.rglob("*.py"):
        names |= set(re.findall(r'\.get\(\s*"([a-z_][a-z0-9_]*)"', module.read_text(encoding="utf-8")))
    return sorted(names - {"viewport", "robots"})


FIELD_NAMES = _names_used_by_the_site()
FORM_NAMES = sorted(
    {
        name
        for template in (ROOT / "templates").rglob("*.html")
        for name in re.findall(
            r'<(?:input|textarea|select)\b[^>]*\bname="([a-z_][a-z0-9_]*)"', template.read_text(encoding="utf-8")
        )
    }
    - {"csrf_token"}
)
ARGUMENT = re.compile(r"<(?:(?P<converter>[a-zA-Z_]\w*)(?:\((?P<args>.*?)\))?:)?(?P<name>[a-zA-Z_]\w*)>")


@dataclass
class Site:
    app: object
    owner: dict
    other: dict
    pool: dict[str, list[str]]
    errors: list[str] = field(default_factory=list)
    strategies: dict = field(default_factory=dict, repr=False)  # see per_site
    kept: sqlite3.Connection | None = field(default=None, repr=False)  # restore's, see there

    @property
    def own_form(self) -> dict[str, str]:
        """A form the owner could send: the base that the coherent examples change a little."""
        return {
            "usuario": self.owner["usuario"],
            "contrasena": PASSWORD,
            "confirmacion": PASSWORD,
            "serie": self.owner["series"][2],
            "razon_social": self.owner["razon_social"],
            "razon_social_reportes": "Otra Razón Social SA de CV",
            "siguiente": "/mi-cuenta/",
        }

    def db(self):
        return connect(self.app.config["DATABASE"])

    def session(self, usuario: str | None) -> tuple[str, str]:
        """(session cookie, its CSRF token): logged in as ``usuario``, or anonymous."""
        client = self.app.test_client()
        page = client.get(LOGIN).get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        if usuario:
            answer = client.post(LOGIN, data={"usuario": usuario, "contrasena": PASSWORD, "csrf_token": token})
            assert answer.status_code == 302, answer.get_data(as_text=True)
            page = client.get("/mi-cuenta/").get_data(as_text=True)
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return client.get_cookie("session").value, token

    def restore(self, sid: str | None) -> None:
        """Undo what an example may have done to the customers we log in as: a log-out or a
        password change ends the session, a recovery sets another password, wrong passwords
        lock the owner. (Reads first: writing only when needed keeps the examples fast; and on
        one connection, kept: a new one for each of a sweep's thousands of cases cost more than
        the reads.)"""
        if self.kept is None:
            self.kept = self.db()
        db = self.kept
        ids = (self.owner["id"], self.other["id"])
        slow = db.execute(
            "SELECT count(*) FROM cuenta WHERE id IN (?, ?) AND password_hash != ?", (*ids, CHEAP_HASH)
        ).fetchone()[0]
        if slow:
            db.execute("UPDATE cuenta SET password_hash = ? WHERE id IN (?, ?)", (CHEAP_HASH, *ids))
        # The owner's clock is frozen: a lock would never end. ("otro" may stay locked.)
        if db.execute("SELECT bloqueada_hasta FROM cuenta WHERE id = ?", (self.owner["id"],)).fetchone()[0]:
            db.execute(
                "UPDATE cuenta SET intentos_fallidos = 0, bloqueada_hasta = NULL WHERE id = ?", (self.owner["id"],)
            )
        if sid and not db.execute("SELECT 1 FROM sesion WHERE id = ?", (sid,)).fetchone():
            db.execute("INSERT INTO sesion (id, cuenta_id) VALUES (?, ?)", (sid, self.owner["id"]))
            db.execute(
                "INSERT INTO sesion_vigencia (sesion_id, iniciada, ultima) VALUES (?, ?, ?)",
                (sid, OWNER_CLOCK, OWNER_CLOCK),
            )


# --- strategies -----------------------------------------------------------------------------------


def per_site(build):
    """``build(site, *args)`` made once per site and arguments, then reused. Hypothesis validates
    each strategy object it meets the first time; built anew at every draw (an ``st.one_of`` per
    field, an ``st.recursive`` per JSON body) that validation was two thirds of the fuzz's time."""

    @functools.wraps(build)
    def cached(site: Site, *args):
        key = (build.__name__, *(getattr(arg, "rule", arg) for arg in args))  # a URL rule by its text
        if key not in site.strategies:
            site.strategies[key] = build(site, *args)
        return site.strategies[key]

    return cached


texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(NASTY),
    st.sampled_from(PROBES),
    st.builds(lambda a, probe, b: a + probe + b, st.text(max_size=4), st.sampled_from(PROBES), st.text(max_size=4)),
)


@per_site
def raw_values(site: Site, name: str | None = None) -> st.SearchStrategy[bytes]:
    """Bytes for a field or path argument named ``name``: often a value the site knows (the
    customer's serial, a mailbox key, an installer...), else anything."""
    own = site.pool.get(name or "", [])
    known = [st.sampled_from(own).map(str.encode)] * 3 if own else []
    return st.one_of(
        *known,
        st.sampled_from(site.pool["*"]).map(str.encode),
        texts.map(lambda value: value.encode("utf-8")),
        st.sampled_from(INVALID_UTF8),
        st.binary(max_size=20),
    )


ODD_NAMES = ("", " ", "\\", "a\rb", "a\nb", '"', "a;b", "csrf_token\r", "ñ", "x" * 300)


@functools.cache
def field_names() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(FIELD_NAMES), st.sampled_from(ODD_NAMES), st.text(max_size=12))


@per_site
@st.composite
def form_fields(draw, site: Site) -> list[tuple[str, bytes]]:
    """Half the time the owner's own form with a few fields changed or left out (so that the
    view gets past its first checks: a right password, then an odd ?siguiente=...); else any."""
    if draw(st.booleans()):
        fields = {name: value.encode() for name, value in site.own_form.items()}
        for name in draw(st.lists(st.one_of(st.sampled_from(sorted(fields)), field_names()), max_size=3, unique=True)):
            fields[name] = draw(raw_values(site, name))
        for name in draw(st.lists(st.sampled_from(sorted(fields)), max_size=2, unique=True)):
            del fields[name]
        return list(fields.items())
    names = draw(st.lists(field_names(), max_size=8, unique=True))
    return [(name, draw(raw_values(site, name))) for name in names]


def encode_pairs(pairs: list[tuple[str | bytes, bytes]]) -> str:
    return "&".join(
        quote_from_bytes(k if isinstance(k, bytes) else k.encode("utf-8"), safe="") + "=" + quote_from_bytes(v, safe="")
        for k, v in pairs
    )


@per_site
def int_values(site: Site, name: str) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.sampled_from(site.pool.get(name) or ["1"]).map(str.encode),
        st.integers(-3, 10**20).map(lambda n: str(n).encode()),
        raw_values(site, name),
    )


@per_site
@st.composite
def paths(draw, site: Site, rule) -> str:
    def argument(match: re.Match) -> str:
        converter, name = match["converter"] or "default", match["name"]
        if converter == "int":
            value = draw(int_values(site, name))
        else:
            value = draw(raw_values(site, name))
        return quote_from_bytes(value, safe="/" if converter == "path" else "")

    return ARGUMENT.sub(argument, rule.rule)


@dataclass
class Request:
    method: str
    url: str
    csrf: str  # "válido", "inventado", "ninguno"
    body: str  # how the body is sent
    kwargs: dict

    def __repr__(self) -> str:  # what hypothesis prints for a failing example
        data = self.kwargs.get("data", self.kwargs.get("json"))
        where = self.kwargs.get("environ_overrides") or self.url
        return f"{self.method} {where!r} csrf={self.csrf} body={self.body} data={data!r:.800} headers={self.kwargs.get('headers')}"


@st.composite
def requests(draw, site: Site, routes, token: str) -> Request:
    rule = draw(st.sampled_from(routes))
    own_methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
    method = draw(
        st.one_of(
            st.sampled_from(own_methods),
            st.sampled_from(own_methods),
            st.sampled_from(own_methods),
            st.sampled_from(["HEAD", "OPTIONS", "GET", "POST", "PUT", "DELETE", "PATCH"]),
        )
    )
    url = draw(paths(site, rule))
    pairs = draw(st.lists(st.tuples(field_names(), raw_values(site)), max_size=4))
    if pairs or draw(st.booleans()):
        url += "?" + encode_pairs(pairs)
    csrf = draw(st.sampled_from(["válido", "válido", "inventado", "ninguno"]))
    sent_token = {"válido": token, "inventado": "ImZhbHNvIg.ZZZZZZ.AAAAAAAAAAAA", "ninguno": None}[csrf]
    headers: dict[str, str] = {}
    kwargs: dict = {"headers": headers}
    body = "ninguno"
    if method in ("POST", "PUT", "PATCH", "DELETE"):
        body = draw(st.sampled_from(["urlencoded", "urlencoded", "multipart", "json", "crudo"]))
        if body in ("urlencoded", "multipart"):
            fields = draw(form_fields(site))
            if sent_token:
                fields.append(("csrf_token", sent_token.encode()))
            if body == "urlencoded":
                kwargs["data"] = encode_pairs(fields).encode()
                kwargs["content_type"] = "application/x-www-form-urlencoded"
            else:
                kwargs["data"] = {name: value.decode("utf-8", "replace") for name, value in fields}
                kwargs["content_type"] = "multipart/form-data"
        elif body == "json":
            kwargs["json"] = draw(json_values(site))
        else:
            kwargs["data"] = draw(
                st.one_of(st.binary(max_size=200), st.sampled_from([b"A" * 70_000, b"{" * 2000]), json_edges())
            )
            kwargs["content_type"] = draw(
                st.sampled_from(
                    [
                        "application/json",
                        "text/plain",
                        "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x",
                        "application/xml",
                        "application/json; charset=latin-1",
                    ]
                )
            )
        if sent_token and body in ("json", "crudo"):
            headers["X-CSRFToken"] = sent_token
    if draw(st.integers(0, 7)) == 0:
        headers["Host"] = draw(hosts())
    return Request(method, url, csrf, body, kwargs)


@functools.cache
def json_edges() -> st.SearchStrategy[bytes]:
    """A body a JSON parser finds hard: one of JSON_EDGES, or nesting of any depth."""
    return st.one_of(
        st.sampled_from(JSON_EDGES),
        st.builds(
            lambda depth, opening, tail: opening * depth + tail,
            st.integers(1, 3000),
            st.sampled_from([b"[", b'{"a":', b'{"serie":[']),
            st.sampled_from([b"", b"1", b"]}"]),
        ),
    )


@functools.cache
def hosts() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(FORGED_HOSTS),
        st.sampled_from(FORGED_HOSTS),
        st.sampled_from(LOCAL_HOSTS),
        st.text(st.characters(min_codepoint=33, max_codepoint=0x2FF), max_size=20),
    )


@per_site
def json_values(site: Site) -> st.SearchStrategy:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        texts,
        st.sampled_from(site.pool["numero"] + site.pool["usuario"]),
        st.sampled_from(["2022-03-15", "2022-03-15T10:00:00", "9999-12-31T23:59:59", "0001-01-01", "2022-02-30"]),
    )
    values = st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(field_names(), inner, max_size=4),
        max_leaves=12,
    )
    return st.dictionaries(field_names(), values, max_size=8) | values


CONTROL_KEYS = ("usuario", "password", "seed", "modalidad", "periodicidad", "series", "razon_social", "reloj", "ahora")


@st.composite
def control_bodies(draw, site: Site):
    """Half the time a valid account spec (or clock) with a few keys changed; else any JSON."""
    if draw(st.booleans()):
        body = {
            "usuario": f"cliente-{draw(st.integers(0, 10**6))}",
            "password": "clave-de-pruebas",
            "seed": draw(st.integers(0, 1000)),
            "modalidad": "suscripcion",
            "periodicidad": "mensual",
            "series": [
                {"version": "9.0", "usuarios": 1, "fecha_activacion": "2022-02-01", "proximo_pago": "2022-04-01"}
            ],
            "reloj": "2022-03-15T10:00:00-06:00",
            "ahora": "2022-03-15T10:00:00",
        }
        for key in draw(st.lists(st.sampled_from(CONTROL_KEYS), min_size=1, max_size=3, unique=True)):
            body[key] = draw(json_values(site))
        if draw(st.booleans()):
            body["series"] = [
                draw(
                    st.dictionaries(
                        st.sampled_from(["version", "usuarios", "fecha_activacion", "proximo_pago", "numero"]),
                        json_values(site),
                        max_size=5,
                    )
                )
            ]
        return body
    return draw(json_values(site))
