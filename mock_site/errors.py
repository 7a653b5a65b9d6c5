"""The site's own error pages, in Spanish, with the site's layout: never Werkzeug's English page."""

from __future__ import annotations

from flask import Flask, Response, make_response, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from .hosts import UNKNOWN_HOST_MESSAGE, UnknownHost

CSRF_MESSAGE = "La sesión del formulario expiró o no es válida. Vuelve a intentarlo."

ERROR_PAGES = {
    400: ("Solicitud no válida", "La solicitud no es válida."),
    403: ("Acceso denegado", "No tienes permiso para ver esta página."),
    404: ("Página no encontrada", "La página que buscas no existe."),
    405: ("Método no permitido", "Esta página no acepta esa acción."),
    413: ("Solicitud demasiado grande", "Los datos enviados son demasiado grandes."),
    500: ("Error del sitio", "Ocurrió un error inesperado. Intenta más tarde."),
}


def _error_page(code: int, title: str, message: str, error: BaseException | None = None) -> Response:
    response = make_response(render_template("error.html", title=title, message=message), code)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def register_errors(app: Flask) -> None:
    """Every error answers the site's own page."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _error_page(400, "Solicitud no válida", CSRF_MESSAGE, error)

    @app.errorhandler(UnknownHost)
    def unknown_host(error: UnknownHost):
        return _error_page(400, "Sitio no reconocido", UNKNOWN_HOST_MESSAGE, error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        """Also the statuses without a page of their own (410, 414, 416, 431...)."""
        title, message = ERROR_PAGES.get(error.code, (f"Error {error.code}", "No se pudo atender la solicitud."))
        return _error_page(error.code, title, message, error)

    @app.errorhandler(500)
    def server_error(error):
        return _error_page(500, *ERROR_PAGES[500], error)
