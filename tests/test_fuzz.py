"""Property-based tests (hypothesis) over every route of ``app.url_map``: nothing answers 500,
and HTML or script sent in never comes back unescaped in an HTML page.

The routes are read from the URL map when the module runs, so a route added later is fuzzed
without touching this file. Each request is drawn from:

- the route and any of its methods (and methods it does not take: 405 is an answer too);
- its path arguments: the customer's own values (serial, mailbox key, message, recovery token,
  installer...), someone else's, or anything: unicode, control characters, invalid UTF-8
  (percent-encoded bytes), over-long text, HTML and script;
- a query string and a body (urlencoded with raw bytes, multipart, JSON, or garbage) whose field
  names are those the site's templates and views use, plus random ones;
- with a valid, a wrong or no CSRF token; anonymous or logged in (one log-in per test).

The customer's own name and razón social are HTML and script too: every page that shows them
(account, desktop, the mails in the webmail) proves that stored input is shown escaped.
"""

from __future__ import annotations

import functools
import os
import re
import traceback
from datetime import date
from typing import NamedTuple, TypeVar
from urllib.parse import parse_qsl, quote_from_bytes, urlsplit

import pytest
from flask import got_request_exception
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import EnvironBuilder, run_wsgi_app
from werkzeug.wsgi import get_current_url

from mock_site import create_app, store
from mock_site.db import connect
from mock_site.domain.serials import random_serial
from mock_site.limits import DEFAULT_LIMITS
from tests.flask_site import CHEAP_HASH as CHEAP_METHOD
from tests.flask_site import mailbox_key
from tests.strategies import (
    ARGUMENT,
    CHEAP_HASH,
    CONTROL_TOKEN,
    DANGEROUS,
    FIELD_NAMES,
    FORGED_HOSTS,
    FORM_NAMES,
    INVALID_UTF8,
    LOCAL_HOSTS,
    LOGIN,
    NASTY,
    PASSWORD,
    PROBES,
    Request,
    Site,
    control_bodies,
    encode_pairs,
    field_names,
    form_fields,
    hosts,
    json_edges,
    paths,
    raw_values,
    requests,
    texts,
)

# make pruebas runs the fuzz at a tenth of its budget (FUZZ_SCALE=0.1), make pruebas-completas at all of it.
pytestmark = pytest.mark.fuzz


# --- the site under test ----------------------------------------------------------------------


def _make_site(tmp_path_factory, name: str) -> Site:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE": str(tmp_path_factory.mktemp(name) / "aspel.sqlite"),
            "SERIAL_KEY": "fuzz",
            "CONTROL_TOKEN": CONTROL_TOKEN,
            "PASSWORD_HASH": CHEAP_METHOD,  # the accounts the control API or a recovery makes, too
            # Hundreds of requests a minute from one client: with the limits on, most would be 429s
            # and the routes behind them unexplored. The limits are proven in tests/test_rate_limits.py.
            "RATE_LIMITS": dict.fromkeys(DEFAULT_LIMITS),
        }
    )
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a real exception is a 500 we see, not a raise
    owner, other, licence = _accounts(app.config["DATABASE"])
    site = Site(app, owner, other, {})

    @got_request_exception.connect_via(app)
    def _record(_sender, exception, **extra):
        site.errors.append("".join(traceback.format_exception(exception)))

    site.pool = _known_values(site, licence)
    return site


def _accounts(database: str) -> tuple[dict, dict, dict]:
    """The fuzz's three customers: the owner (two NOI 9.0 serials and a 10.0, a name and razón
    social of probes), another customer, and a licence (pago único)."""
    db = connect(database)
    try:
        common = {"password": PASSWORD, "key": b"fuzz", "password_hash": CHEAP_METHOD}
        owner = store.create_account(
            db,
            usuario="dueña",
            seed=1,
            reloj="2022-03-15T10:00:00-06:00",
            razon_social=PROBES[1] + " SA de CV",
            series=[
                store.SerieSpec(proximo_pago=date(2022, 4, 1)),
                store.SerieSpec(proximo_pago=date(2022, 4, 1)),
                store.SerieSpec(version="10.0", proximo_pago=date(2022, 4, 1)),
            ],
            **common,
        )
        other = store.create_account(db, usuario="otro", seed=2, reloj="2022-03-15T10:00:00-06:00", **common)
        licence = store.create_account(
            db, usuario="licencia", seed=3, modalidad="licenciamiento", series=[store.SerieSpec()], **common
        )
        db.execute("UPDATE cuenta SET nombre = ? WHERE id = ?", ("Ana " + PROBES[0], owner["id"]))
        db.execute("UPDATE cuenta SET password_hash = ?", (CHEAP_HASH,))
    finally:
        db.close()
    return owner, other, licence


# What the log-in's «siguiente» is fed besides the site's own links: our path, then what an open
# redirect or a header injection would try.
NEXT_PAGES = [
    "/mi-cuenta/mis-servicios/suscripciones",
    "//evil.example/",
    "https://evil.example/",
    "/\r\nSet-Cookie: robado=1",
    "/\nx",
    "/\tx",
    "/\x00",
    "/\\evil.example",
    "/" + "a" * 3000,
]


def _known_values(site: Site, licence: dict) -> dict[str, list[str]]:
    """Values that reach deeper than random ones, read from the site itself: every link of every
    page without arguments (anonymous and logged in) and of the mails, matched against the URL
    map, gives values for that route's arguments (a recovery token, an installer, a mailbox...)."""
    app, owner, other = site.app, site.owner, site.other
    anonymous, logged_in = app.test_client(), app.test_client()
    page = anonymous.get("/mi-cuenta/recuperar-contrasena/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    if token:  # a recovery link in the owner's mail
        anonymous.post(
            "/mi-cuenta/recuperar-contrasena/", data={"usuario": owner["usuario"], "csrf_token": token.group(1)}
        )
    page = logged_in.get(LOGIN).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    logged_in.post(LOGIN, data={"usuario": owner["usuario"], "contrasena": PASSWORD, "csrf_token": token})
    links: list[str] = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and not rule.endpoint.startswith("control."):
            for client in (anonymous, logged_in):
                html = client.get(rule.rule).get_data(as_text=True)
                links += re.findall(r'(?:href|src|action)="([^"#]+)', html)
    db = site.db()
    try:
        texts = [row[0] for row in db.execute("SELECT texto FROM correo")]
    finally:
        db.close()
    links += [m for body in texts for m in re.findall(r"https?://[^/\s]+(/\S+)", body)]
    pool: dict[str, set[str]] = {}
    adapter = app.url_map.bind("localhost")
    for link in links:
        parts = urlsplit(link.replace("&amp;", "&"))
        try:
            _rule, arguments = adapter.match(parts.path, return_rule=True)
        except Exception:  # not one of ours, or a redirect
            continue
        for name, value in arguments.items():
            pool.setdefault(name, set()).add(str(value))
        for name, value in parse_qsl(parts.query):
            pool.setdefault(name, set()).add(value)
    serials = owner["series"] + other["series"] + licence["series"] + [random_serial()]
    extra = {
        "numero": serials,
        "serie": serials,
        "key": [mailbox_key(app, a["id"]) for a in (owner, other)],
        "message_id": ["0", "1", "2"],
        "usuario": [owner["usuario"], other["usuario"], licence["usuario"], "nadie"],
        "contrasena": [PASSWORD],
        "confirmacion": [PASSWORD],
        "razon_social": [owner["razon_social"], other["razon_social"]],
        "siguiente": NEXT_PAGES,
    }
    for name, values in extra.items():
        pool.setdefault(name, set()).update(values)
    segments = {part for link in links for part in urlsplit(link).path.split("/") if part}
    return {name: sorted(values) for name, values in pool.items()} | {"*": sorted(segments)}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    return _make_site(tmp_path_factory, "fuzz")


@pytest.fixture(scope="module")
def control_site(tmp_path_factory) -> Site:
    """Its own database: the control API may reset everything in it."""
    return _make_site(tmp_path_factory, "fuzz-control")


# --- the properties ---------------------------------------------------------------------------------


def check(site: Site, request: Request, response) -> None:
    """Never 500; security headers on the answer; no probe back as markup in an HTML page."""
    errors, site.errors[:] = list(site.errors), []
    assert response.status_code < 500, f"{response.status_code} a {request!r}\n" + "\n".join(errors)
    host = request.kwargs.get("headers", {}).get("Host")
    if host is not None and host in FORGED_HOSTS:
        assert response.status_code == 400, f"{response.status_code} con Host forjado: {request!r}"
    assert response.headers.get("X-Content-Type-Options") == "nosniff", request
    assert "Content-Security-Policy" in response.headers, request
    if response.mimetype == "text/html":
        page = response.get_data().decode("utf-8", "replace").lower()
        echoed = [probe for probe in DANGEROUS if probe.lower() in page]
        assert not echoed, f"sin escapar {echoed} en la respuesta a {request!r}"


class JarlessClient(FlaskClient):
    """Flask's test client without a cookie jar. Werkzeug's client works out the request's host
    for its jar from the whole current URL, percent-decoding the query string, twice per request
    (once even with ``use_cookies=False``); with the sweeps' query strings of up to a megabyte
    that was half the fuzz's CPU time. The app gets the same request (see send)."""

    def run_wsgi_app(self, environ, buffered: bool = False):
        return run_wsgi_app(self.application, environ, buffered=buffered)


def send(site: Site, request: Request, cookie: str | None):
    """The request, with the session cookie where the test client's jar would send a cookie of
    domain localhost: to the host localhost only (``_cookie_goes_to``)."""
    kwargs = request.kwargs
    if cookie and _cookie_goes_to(kwargs.get("headers", {}).get("Host")):
        kwargs = {**kwargs, "headers": {**kwargs.get("headers", {}), "Cookie": f"session={cookie}"}}
    client = JarlessClient(site.app, site.app.response_class, use_cookies=False)
    return client.open(request.url, method=request.method, **kwargs)


@functools.cache
def _cookie_goes_to(host: str | None) -> bool:
    """Whether the test client's jar sends a cookie set for localhost to a request with this Host
    header (None: the client's own, localhost): the host its jar would read (werkzeug's own
    get_current_url), compared as the jar compares it (exactly: set_cookie's origin_only)."""
    headers = {} if host is None else {"Host": host}
    environ = EnvironBuilder(path="/", headers=headers).get_environ()
    return (urlsplit(get_current_url(environ)).hostname or "localhost") == "localhost"


def routes_of(site: Site, control: bool = False) -> list:
    return [rule for rule in site.app.url_map.iter_rules() if rule.endpoint.startswith("control.") == control]


# make pruebas sets FUZZ_FIJO=1: the same examples every run (a regression check that fails the same
# way twice); make pruebas-completas and a plain pytest draw new ones each run (a hunt).
FUZZ = settings(
    deadline=None,
    print_blob=True,
    database=None,
    derandomize=os.environ.get("FUZZ_FIJO") == "1",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))  # FUZZ_SCALE=10 for a long hunt


def fuzz(examples: int) -> settings:
    return settings(FUZZ, max_examples=max(1, int(examples * SCALE)))


def sweep_share(targets: int, scale: float = SCALE) -> int:
    """Below the whole budget a sweep sends each of its values to one target in this many (a tenth
    of them at make pruebas' 0.1), never fewer than one target: every value still reaches some
    form or page, and every one of them gets its share of values (:func:`in_budget`)."""
    return max(1, min(targets, round(1 / scale))) if scale < 1 else 1


def in_budget(target: int, value: int, share: int) -> bool:
    """Whether the sweep sends value number ``value`` to target number ``target``: the values
    taken in turn, so target i gets values i, i + share, i + 2·share… (the same ones every run)."""
    return (target + value) % share == 0


Sent = TypeVar("Sent", bytes, str)


def share_of(values: list[Sent], target: int, share: int) -> list[Sent]:
    """The values the sweep sends to target number ``target`` (:func:`in_budget`)."""
    return [value for index, value in enumerate(values) if in_budget(target, index, share)]


@pytest.mark.parametrize(("targets", "values"), [(1, 7), (3, 40), (10, 10), (22, 95), (57, 12)])
@pytest.mark.parametrize("scale", [0.1, 0.25, 1, 10])
def test_a_sweep_within_its_budget_sends_every_value_somewhere_and_something_everywhere(targets, values, scale):
    share = sweep_share(targets, scale)
    sent = {(t, v) for t in range(targets) for v in range(values) if in_budget(t, v, share)}
    assert {v for _, v in sent} == set(range(values))
    assert {t for t, _ in sent} == set(range(targets)) or values < share
    assert len(sent) <= -(-targets * values // share) + targets
    if scale >= 1:
        assert len(sent) == targets * values
    else:
        assert share == min(targets, round(1 / scale))


def assert_mail_links_pinned(site: Site) -> None:
    """Every link in every mail the fuzz made the site send (recoveries asked for with forged
    Host headers among them) starts at the site's own address, the test client's."""
    db = site.db()
    try:
        bodies = [row[0] + row[1] for row in db.execute("SELECT texto, html FROM correo")]
    finally:
        db.close()
    origins = {m for body in bodies for m in re.findall(r"(https?://[^/\s\"'<>]*)", body)}
    assert origins <= {"http://localhost"}, origins


def test_every_route_anonymous(site):
    cookie, token = site.session(None)

    @fuzz(1000)
    @given(request=requests(site, routes_of(site), token))
    def anonymous(request):
        check(site, request, send(site, request, cookie))

    anonymous()
    assert_mail_links_pinned(site)


def test_every_route_logged_in(site):
    cookie, token = site.session(site.owner["usuario"])
    sid = site.app.session_interface.get_signing_serializer(site.app).loads(cookie)["sid"]

    @fuzz(1000)
    @given(request=requests(site, routes_of(site), token))
    def logged_in(request):
        try:
            check(site, request, send(site, request, cookie))
        finally:
            site.restore(sid)

    logged_in()
    assert_mail_links_pinned(site)


def test_every_form_with_its_token(site):
    """Every route that takes a body, with a valid token, so that the view itself reads the
    fields (the CSRF check does not stop it first)."""
    cookie, token = site.session(site.owner["usuario"])
    sid = site.app.session_interface.get_signing_serializer(site.app).loads(cookie)["sid"]
    forms = [rule for rule in routes_of(site) if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}]
    assert forms

    @st.composite
    def form_requests(draw):
        rule = draw(st.sampled_from(forms))
        method = draw(st.sampled_from(sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"})))
        pairs = draw(form_fields(site)) + [("csrf_token", token.encode())]
        return Request(
            method,
            draw(paths(site, rule)),
            "válido",
            "urlencoded",
            {"data": encode_pairs(pairs).encode(), "content_type": "application/x-www-form-urlencoded", "headers": {}},
        )

    @fuzz(800)
    @given(request=form_requests())
    def with_token(request):
        try:
            check(site, request, send(site, request, cookie))
        finally:
            site.restore(sid)

    with_token()


# --- the systematic sweep: every field of every form, every odd value ---------------------------


SWEEP_VALUES = (
    [v.encode("utf-8") for v in PROBES + NASTY]
    + list(INVALID_UTF8)
    + [b"/\r\nSet-Cookie: robado=1", b"/\nx", b"/\tx", b"//evil.example/", b"https://evil.example/"]
)
# One field at a time gets the values most likely to matter there (the rest go in all at once).
SWEEP_CORE = [v.encode("utf-8") for v in PROBES] + [
    b"/\r\nSet-Cookie: robado=1",
    b"/\tx",
    b"//evil.example/",
    b"\x00",
    b"\r\n",
    "\u202e".encode(),
    b"A" * 5000,
    b"<" * 3000,
    b"\xff\xfe",
    b"\xed\xa0\x80",
    b"",
    b"' OR '1'='1",
]


class SweepBodies(NamedTuple):
    """One session's form bodies, encoded once: they are the same for every form."""

    one_field: list[bytes]  # each field in turn, on top of the owner's own valid form
    every_field: list[bytes]  # every field at once


def _sweep_bodies(site: Site, sessions: dict[str, tuple[str, str]]) -> dict[str, SweepBodies]:
    """The form sweep's bodies for each session. Logged in, each form field (the templates' names,
    and the others the views read) gets each core value in turn on top of the owner's own valid
    form; both sessions, every field at once gets each odd value. Each body ends with the session's
    token."""
    names = sorted(set(FORM_NAMES) | set(site.own_form))
    own = {n: v.encode() for n, v in site.own_form.items()}

    def encoded(fields: dict[str, bytes], token: str) -> bytes:
        return encode_pairs([*fields.items(), ("csrf_token", token.encode())]).encode()

    bodies: dict[str, SweepBodies] = {}
    for who, (_cookie, token) in sessions.items():
        one_field = [{**own, name: value} for name in names for value in SWEEP_CORE] if who == "con sesión" else []
        every_field = [dict.fromkeys(names, value) for value in SWEEP_VALUES]
        bodies[who] = SweepBodies([encoded(f, token) for f in one_field], [encoded(f, token) for f in every_field])
    return bodies


def test_every_field_of_every_form_with_every_odd_value(site):
    """Not random: each form field gets each odd value in turn, on top of the owner's own valid
    form, with a valid token, logged in and anonymous; then every field at once (_sweep_bodies).
    Hypothesis explores around this; the sweep makes sure no field was left out. Every failure
    is listed, not only the first. Within a budget below the whole (make pruebas) every form still
    gets every odd value in every field at once, and the bodies with one field changed go each to
    its share of the forms (:func:`sweep_share`), every one of them to one form at least."""
    sessions = {"con sesión": site.session(site.owner["usuario"]), "anónimo": site.session(None)}
    sid = site.app.session_interface.get_signing_serializer(site.app).loads(sessions["con sesión"][0])["sid"]
    forms = [rule for rule in routes_of(site) if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}]
    bodies = _sweep_bodies(site, sessions)
    share = sweep_share(len(forms))
    failures: list[str] = []
    sent = 0
    for number, rule in enumerate(forms):
        method = sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"})[0]
        url = ARGUMENT.sub(lambda m: quote_from_bytes(site.pool.get(m["name"], ["x"])[0].encode(), safe=""), rule.rule)
        for who, (cookie, _token) in sessions.items():
            for body in share_of(bodies[who].one_field, number, share) + bodies[who].every_field:
                request = Request(
                    method,
                    url,
                    "válido",
                    f"barrido {who}",
                    {"data": body, "content_type": "application/x-www-form-urlencoded", "headers": {}},
                )
                try:
                    check(site, request, send(site, request, cookie))
                except AssertionError as failure:
                    failures.append(str(failure).splitlines()[0][:600])
                finally:
                    site.restore(sid)
                sent += 1
    assert sent >= 500 // share
    assert not failures, f"{len(failures)} de {sent}:\n" + "\n".join(sorted(set(failures))[:40])


def test_every_page_with_every_odd_value_in_its_query(site):
    """Each GET page (with the owner's own path values), every name a view reads set at once to
    each odd value in the query string, logged in and anonymous (within a budget below the whole,
    each query on its share of the pages: :func:`sweep_share`)."""
    sessions = {"con sesión": site.session(site.owner["usuario"]), "anónimo": site.session(None)}
    pages = [rule for rule in routes_of(site) if "GET" in rule.methods]
    queries = {  # the same for every page: encoded once
        who: [encode_pairs([(name, value) for name in FIELD_NAMES]) for value in values]
        for who, values in (("con sesión", SWEEP_VALUES), ("anónimo", [p.encode() for p in PROBES]))
    }
    share = sweep_share(len(pages))
    failures: list[str] = []
    sent = 0
    for number, rule in enumerate(pages):
        url = ARGUMENT.sub(lambda m: quote_from_bytes(site.pool.get(m["name"], ["x"])[0].encode(), safe="/"), rule.rule)
        for who, (cookie, _token) in sessions.items():
            for query in share_of(queries[who], number, share):
                request = Request("GET", f"{url}?{query}", "ninguno", f"barrido {who}", {"headers": {}})
                try:
                    check(site, request, send(site, request, cookie))
                except AssertionError as failure:
                    failures.append(str(failure).splitlines()[0][:600])
                sent += 1
    assert not failures, f"{len(failures)} de {sent}:\n" + "\n".join(sorted(set(failures))[:40])


@fuzz(500)
@given(
    raw=st.one_of(
        st.lists(st.one_of(st.binary(max_size=12), texts.map(lambda t: t.encode("utf-8"))), min_size=1, max_size=5),
        st.lists(
            st.sampled_from([b"..", b".", b"", b"mi-cuenta", b"static", b"correo", b"%2F", b"\\", b"_control"]),
            max_size=6,
        ),
    ),
    query=st.binary(max_size=40),
    method=st.sampled_from(["GET", "HEAD", "POST", "OPTIONS", "TRACE"]),
)
def test_any_path_is_an_answer(site, raw, query, method):
    """Paths no route names (or names oddly), as a server hands them over (PATH_INFO, already
    percent-decoded, bytes as latin-1): 404, a redirect or 405, never 500."""
    path = b"/" + b"/".join(raw)
    request = Request(
        method,
        "/",
        "ninguno",
        "ninguno",
        {
            "headers": {},
            "environ_overrides": {
                "PATH_INFO": path.decode("latin-1"),
                "QUERY_STRING": quote_from_bytes(query, safe="=&"),
            },
        },
    )
    check(site, request, send(site, request, None))


def test_control_api_with_and_without_its_token(control_site):
    """The mock control API, every route: bad bodies are 400/404/409, never 500; without its
    token, 403 (or routing's own 404/405, which come before)."""
    site = control_site
    # Accounts it creates get a cheap hash (the site's PASSWORD_HASH): hundreds of scrypt hashes
    # would be the whole budget.
    routes = routes_of(site, control=True)
    assert routes

    @st.composite
    def control_requests(draw):
        rule = draw(st.sampled_from(routes))
        method = draw(st.one_of(st.sampled_from(sorted(rule.methods)), st.sampled_from(["GET", "POST", "PUT"])))
        url = draw(paths(site, rule))
        if draw(st.booleans()):
            url += "?" + encode_pairs(draw(st.lists(st.tuples(field_names(), raw_values(site, "usuario")), max_size=2)))
        token = draw(st.sampled_from([CONTROL_TOKEN, CONTROL_TOKEN, CONTROL_TOKEN, "", "otro"]))
        kwargs = {"headers": {"X-Control-Token": token}}
        if draw(st.integers(0, 4)):
            kwargs["json"] = draw(control_bodies(site))
        else:
            kwargs["data"] = draw(st.one_of(st.binary(max_size=100), json_edges()))
            kwargs["content_type"] = draw(st.sampled_from(["application/json", "application/json", "text/plain"]))
        if draw(st.integers(0, 9)) == 0:
            kwargs["headers"]["Host"] = draw(hosts())
        return Request(method, url, token or "ninguno", "json", kwargs)

    @fuzz(300)
    @given(request=control_requests())
    def control(request):
        response = send(site, request, None)
        check(site, request, response)
        host = request.kwargs["headers"].get("Host")
        if request.kwargs["headers"]["X-Control-Token"] != CONTROL_TOKEN:
            # A Host not this machine's is refused first (400); otherwise the token's 403.
            refused = (400,) if host is not None and host not in LOCAL_HOSTS else ()
            assert response.status_code in (403, 404, 405, *refused), (response.status_code, request)

    control()
