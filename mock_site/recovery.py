"""¿Olvidaste tu contraseña?: the recovery request."""
from __future__ import annotations

from flask import Blueprint, render_template, request

bp = Blueprint("recovery", __name__, url_prefix="/mi-cuenta/recuperar-contrasena")

NEUTRAL = (
    "Si los datos corresponden a una cuenta, enviamos a su correo electrónico registrado "
    "las instrucciones para recuperar tu contraseña."
)


@bp.route("/", methods=("GET", "POST"))
def request_reset():
    sent = False
    error = None
    if request.method == "POST":
        who = request.form.get("usuario", "").strip()
        if not who:
            error = "Escribe tu usuario o tu correo electrónico."
        else:
            sent = True
    return render_template("auth/recovery_request.html", sent=sent, error=error, message=NEUTRAL)
