"""The site's own error pages, in Spanish, with the site's layout: never Werkzeug's English page."""

from __future__ import annotations

from flask import Flask, Response, abort, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, TooManyRequests, default_exceptions

from .domain.text import CONTROL_CHARACTERS
from .hosts import UNKNOWN_HOST_MESSAGE, UnknownHost
from .limits import wait_in_words
from .text_fields import ControlCharacters

MALFORMED_ENVIRON = "aspel.malformed"  # the status wsgi_server.SiteTask / SiteErrorTask give a request

TOO_MANY = "Hiciste demasiadas solicitudes en poco tiempo. Espera {espera} y vuelve a intentarlo."
CSRF_MESSAGE = "La sesión del formulario expiró o no es válida. Vuelve a intentarlo."

ERROR_PAGES = {
    400: ("Solicitud no válida", "La solicitud no es válida."),
    403: ("Acceso denegado", "No tienes permiso para ver esta página."),
    404: ("Página no encontrada", "La página que buscas no existe."),
    405: ("Método no permitido", "Esta página no acepta esa acción."),
    413: ("Solicitud demasiado grande", "Los datos enviados son demasiado grandes."),
    414: ("Dirección demasiado larga", "La dirección de la página es demasiado larga."),
    417: (
        "Expectativa no admitida",
        "El sitio no responde «100 Continue»: envía la solicitud completa, sin el encabezado Expect.",
    ),
    429: ("Demasiadas solicitudes", TOO_MANY.format(espera="un momento")),
    431: ("Encabezados demasiado grandes", "Los encabezados de la solicitud son demasiado grandes."),
    501: ("No implementado", "El sitio no atiende solicitudes de ese tipo."),
    505: ("Versión de HTTP no admitida", "El sitio no atiende esa versión de HTTP."),
    500: ("Error del sitio", "Ocurrió un error inesperado. Intenta más tarde."),
}


def retry_after(error: BaseException | None) -> int | None:
    """The seconds a TooManyRequests asks to wait (limits.py always gives a number)."""
    wait = getattr(error, "retry_after", None)
    return wait if isinstance(wait, int) else None


def too_many_message(error: TooManyRequests) -> str:
    wait = retry_after(error)
    return TOO_MANY.format(espera=wait_in_words(wait) if wait is not None else "un momento")


def _error_page(code: int, title: str, message: str, error: BaseException | None = None) -> Response:
    response = make_response(render_template("error.html", title=title, message=message), code)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    if (wait := retry_after(error)) is not None:
        response.headers["Retry-After"] = str(wait)
    return response


def answer_malformed() -> None:
    """The first hook: a request the WSGI server could not parse reaches the app only to get the
    page of its status (see wsgi_server.SiteErrorTask)."""
    code = request.environ.get(MALFORMED_ENVIRON)
    if code is not None:
        abort(code if code in default_exceptions else 400)


def register_errors(app: Flask) -> None:
    """Every error answers the site's own page."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _error_page(400, "Solicitud no válida", CSRF_MESSAGE, error)

    @app.errorhandler(UnknownHost)
    def unknown_host(error: UnknownHost):
        return _error_page(400, "Sitio no reconocido", UNKNOWN_HOST_MESSAGE, error)

    @app.errorhandler(ControlCharacters)
    def control_characters(error: ControlCharacters):
        return _error_page(400, "Texto no válido", CONTROL_CHARACTERS, error)

    @app.errorhandler(TooManyRequests)
    def too_many(error: TooManyRequests):
        return _error_page(429, ERROR_PAGES[429][0], too_many_message(error), error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        """Also the statuses without a page of their own (410, 414, 416, 431...)."""
        code = error.code or 500  # every HTTPException the app raises has one
        title, message = ERROR_PAGES.get(code, (f"Error {code}", "No se pudo atender la solicitud."))
        return _error_page(code, title, message, error)

    @app.errorhandler(500)
    def server_error(error):
        return _error_page(500, *ERROR_PAGES[500], error)
