"""The site's templates and URL builders are compiled once per process (mock_site/__init__.py,
CompiledTemplates and SharedBuilderRule): an app made after another renders its pages and builds
its links with the code the first compiled, the same pages and links; a template whose source
changed is compiled again."""

from __future__ import annotations

from flask import url_for
from jinja2 import DictLoader, Environment

from mock_site import CompiledTemplates, create_app

PAGES = ("/", "/precios/noi", "/mi-cuenta/iniciar-sesion", "/mi-cuenta/recuperar-contrasena/")


def _app(tmp_path, name: str):
    return create_app({"TESTING": True, "DATABASE": str(tmp_path / f"{name}.sqlite"), "SECRET_KEY": "fija"})


def _compiles(app) -> list[str]:
    """The templates the app's environment compiles from now on (by name)."""
    compiled: list[str] = []
    compile_source = app.jinja_env.compile

    def compile_and_note(source, name=None, filename=None, *args, **kwargs):
        compiled.append(name)
        return compile_source(source, name, filename, *args, **kwargs)

    app.jinja_env.compile = compile_and_note
    return compiled


def test_an_app_renders_with_the_code_another_compiled(tmp_path):
    first, second = _app(tmp_path, "primera"), _app(tmp_path, "segunda")
    pages = [first.test_client().get(page) for page in PAGES]
    compiled = _compiles(second)
    again = [second.test_client().get(page) for page in PAGES]
    assert compiled == []
    for page, one, other in zip(PAGES, pages, again, strict=True):
        assert one.status_code == other.status_code == 200, page
        if "csrf_token" not in one.get_data(as_text=True):  # a form's token is each session's own
            assert one.get_data() == other.get_data(), page


def test_a_template_whose_source_changed_is_compiled_again():
    cache = CompiledTemplates()
    before = Environment(loader=DictLoader({"saludo.html": "Hola"}), bytecode_cache=cache)
    assert before.get_template("saludo.html").render() == "Hola"
    after = Environment(loader=DictLoader({"saludo.html": "Adiós"}), bytecode_cache=cache)
    assert after.get_template("saludo.html").render() == "Adiós"
    unchanged = Environment(loader=DictLoader({"saludo.html": "Adiós"}), bytecode_cache=cache)
    compiled = []
    unchanged.compile = lambda *args, **kwargs: compiled.append(args)  # type: ignore[method-assign]
    assert unchanged.get_template("saludo.html").render() == "Adiós"
    assert compiled == []


LINKS = {  # an endpoint and its values: static parts, converters, a query string from an unknown value
    "recovery.reset": {"token": "a/b c"},
    "mail.message": {"key": "buzon", "message_id": 7},
    "services.upgrade_dialog": {"numero": "NOI-90", "paso": 2},
    "home.index": {},
}


def _links(app) -> list[str]:
    with app.test_request_context():
        return [url_for(endpoint, **values) for endpoint, values in LINKS.items()]


def test_an_app_builds_its_links_with_the_builders_another_compiled(tmp_path):
    first, second = _app(tmp_path, "primera"), _app(tmp_path, "segunda")
    builders = {rule.endpoint: rule._build_unknown.__func__ for rule in first.url_map.iter_rules()}
    assert all(rule._build_unknown.__func__ is builders[rule.endpoint] for rule in second.url_map.iter_rules())
    assert (
        _links(second)
        == _links(first)
        == [
            "/mi-cuenta/recuperar-contrasena/a/b%20c",
            "/correo/buzon/7",
            "/mi-cuenta/mis-servicios/suscripciones/NOI-90/actualizar?paso=2",
            "/",
        ]
    )
