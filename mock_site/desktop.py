"""The customer's Windows desktop, mocked in the browser (our own drawing, no Microsoft assets).

- ``/escritorio/``: the desktop, its taskbar and the *Inicio* menu, with its search box and
  *Todos los programas > Aspel > Aspel-AL*.
- ``/escritorio/aspel-al/``: *Aspel-AL*, the *servicio de actualización en línea*: *Mis
  sistemas*, and *Otros sistemas* with the new version for a serial that was upgraded.
- ``/escritorio/noi/``: Aspel NOI's window (9.0: its validation; 10.0: once activated, the
  razón social printed on reports and receipts), its *Asistente de activación* (Regla 6) and its
  settings, where that razón social is changed.

A real PC knows the serial installed on it: here the URL carries it (``?serie=INL...``), and
Aspel-AL asks for it when it is missing. A malformed serial gets 400 and an unknown one 404, with
a Spanish message in a Windows-like message box (see installed.py).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from . import desktop_store, limits
from .db import get_db, now, today
from .domain.activation import ActivationRefused, check_activation, clean_razon_social, offered_versions, validate
from .domain.payroll import pay_period
from .domain.validation import format_date
from .downloads import installer_for
from .installed import Installed, find_installed, known_installed, typed_serial
from .refusal import Refusal

bp = Blueprint("desktop", __name__, url_prefix="/escritorio")

ACTIVATION_VERSION = "10.0"  # the wizard mocked here is NOI 10.0's
WIZARD_TITLE = "Asistente de activación"
MAX_FIELD = 200
NO_SERIAL = "Indica el número de serie del sistema instalado."


# --- the installed serial ---------------------------------------------------------------------


@bp.errorhandler(Refusal)
def _desktop_error(error: Refusal):
    context = _desktop_context(None, None)
    return render_template("desktop/message.html", error=error, **context), error.status


def _optional_installed() -> Installed | None:
    """The serial of ``?serie=``, None without one; Refusal (400 / 404) for a malformed or unknown one."""
    numero = typed_serial(request.args.get("serie"))
    return find_installed(numero, NO_SERIAL) if numero else None


def _desktop_context(installed: Installed | None, window: str | None) -> dict:
    """What every desktop screen shows: the taskbar clock (the account's), the start menu."""
    moment = now(installed.account if installed else None)
    numero = installed.serie.numero if installed else None
    return {
        "installed": installed,
        "serie": numero,
        "hora": moment.strftime("%H:%M"),
        "fecha": moment.strftime("%d/%m/%Y"),
        "folders": _start_menu(installed),
        "window": window,
    }


def _start_menu(installed: Installed | None) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Todos los programas: folders of (program, link or None for one the mock does not open)."""
    numero = installed.serie.numero if installed else None
    aspel: list[tuple[str, str | None]] = [("Aspel-AL", url_for("desktop.aspel_al", serie=numero))]
    if installed:
        aspel.append((installed.nombre, url_for("desktop.noi", serie=numero)))
    return [
        ("Accesorios", [("Bloc de notas", None), ("Calculadora", None), ("Explorador de archivos", None)]),
        ("Aspel", aspel),
        ("Herramientas del sistema", [("Liberador de espacio en disco", None), ("Programador de tareas", None)]),
        ("Mantenimiento", [("Ayuda y soporte técnico", None), ("Copia de seguridad", None)]),
    ]


# --- the desktop ------------------------------------------------------------------------------


@bp.route("/")
def index():
    installed = _optional_installed()
    return render_template("desktop/index.html", **_desktop_context(installed, None))


# --- Aspel-AL ---------------------------------------------------------------------------------


@bp.route("/aspel-al/", methods=["GET", "POST"])
def aspel_al():
    if request.method == "POST":
        return _register_serial()
    installed = _optional_installed()
    if installed is None:
        return render_template(
            "desktop/aspel_al_serial.html", typed="", error=None, **_desktop_context(None, "Aspel-AL")
        )
    result = validate(installed.serie, today(installed.account))
    return render_template(
        "desktop/aspel_al.html",
        section="mis-sistemas",
        validation=result,
        vigente_hasta=format_date(result.valid_until),
        **_desktop_context(installed, "Aspel-AL"),
    )


def _register_serial():
    """Aspel-AL's first screen: the serial of the system installed on this PC."""
    numero = typed_serial(request.form.get("serie"))
    try:
        find_installed(numero, "Escribe el número de serie de tu sistema Aspel.")
    except Refusal as refusal:
        context = _desktop_context(None, "Aspel-AL")
        return render_template("desktop/aspel_al_serial.html", typed=numero, error=refusal.message, **context), 400
    return redirect(url_for("desktop.aspel_al", serie=numero), code=303)


@bp.route("/aspel-al/otros-sistemas")
def other_systems():
    installed = _optional_installed()
    if installed is None:
        return redirect(url_for("desktop.aspel_al"))
    offers = [
        installer
        for version in offered_versions(installed.serie)
        if (installer := installer_for(installed.serie.sistema, version)) is not None
    ]
    return render_template(
        "desktop/aspel_al.html", section="otros-sistemas", offers=offers, **_desktop_context(installed, "Aspel-AL")
    )


# --- Aspel NOI: its window, the Asistente de activación, its settings -------------------------


@bp.route("/noi/")
def noi():
    installed = find_installed(typed_serial(request.args.get("serie")), NO_SERIAL)
    serie = installed.serie
    activation = None
    if serie.version == ACTIVATION_VERSION:  # 10.0 opens once activated; 9.0 has no wizard here
        activation = desktop_store.activation(get_db(), serie.numero)
        if activation is None:
            return redirect(url_for("desktop.activation", serie=serie.numero))
    return render_template(
        "desktop/noi.html",
        activation=activation,
        validation=validate(serie, today(installed.account)),
        periodo=_period(installed),
        **_desktop_context(installed, installed.nombre),
    )


def _period(installed: Installed) -> str:
    """The payroll period the receipt preview shows: the current half-month of the PC's clock."""
    first, last = pay_period(today(installed.account))
    return f"del {format_date(first)} al {format_date(last)}"


@bp.route("/noi/activacion", methods=["GET", "POST"])
def activation():
    """NOI 10.0's *Asistente de activación*: the serial and the razón social registered at aspel.com."""
    if request.method == "GET":
        typed = {"serie": typed_serial(request.args.get("serie")), "razon_social": ""}
        context = _desktop_context(known_installed(typed["serie"]), WIZARD_TITLE)
        return render_template("desktop/activation.html", typed=typed, errors={}, **context)
    limits.limit("activacion", sesion=limits.session_key(), cliente=limits.client_key())
    typed = {
        "serie": typed_serial(request.form.get("serie")),
        "razon_social": (request.form.get("razon_social") or "")[:MAX_FIELD],
    }
    try:
        installed = _activate(typed["serie"], typed["razon_social"])
    except ActivationRefused as refusal:
        context = _desktop_context(known_installed(typed["serie"]), WIZARD_TITLE)
        errors = {refusal.field: str(refusal)}
        return render_template("desktop/activation.html", typed=typed, errors=errors, **context), 400
    flash(f"{installed.nombre} se activó. Bienvenido a tu sistema.", "ok")
    return redirect(url_for("desktop.noi", serie=installed.serie.numero), code=303)


def _activate(numero: str, razon_social: str) -> Installed:
    try:
        installed = find_installed(numero, "Escribe el número de serie electrónico de tu sistema.")
    except Refusal as refusal:
        raise ActivationRefused(refusal.message, "serie") from None
    moment = now(installed.account)
    check_activation(
        installed.serie, ACTIVATION_VERSION, installed.account["razon_social"], razon_social, moment.date()
    )
    desktop_store.activate(get_db(), numero, installed.account["razon_social"], moment)
    return installed


@bp.route("/noi/configuracion", methods=["GET", "POST"])
def settings():
    """Datos de la empresa: the razón social printed on reports and receipts, after activation."""
    source = request.form if request.method == "POST" else request.args
    installed = find_installed(typed_serial(source.get("serie")), NO_SERIAL)
    activation = desktop_store.activation(get_db(), installed.serie.numero)
    if activation is None:
        flash("Activa tu sistema antes de cambiar su configuración.", "error")
        return redirect(url_for("desktop.activation", serie=installed.serie.numero), code=303)
    typed, error = activation["razon_social_reportes"], None
    if request.method == "POST":
        typed = (request.form.get("razon_social_reportes") or "")[:MAX_FIELD]
        try:
            name = clean_razon_social(typed)
        except ValueError as refusal:
            error = str(refusal)
        else:
            desktop_store.set_report_name(get_db(), installed.serie.numero, name)
            flash("Se guardó la razón social de tus reportes y recibos.", "ok")
            return redirect(url_for("desktop.noi", serie=installed.serie.numero), code=303)
    context = _desktop_context(installed, installed.nombre)
    return (
        render_template("desktop/settings.html", activation=activation, typed=typed, error=error, **context),
        400 if error else 200,
    )
