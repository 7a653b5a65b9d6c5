"""Mis servicios > Suscripciones, and the dialog *Actualiza la versión de tu sistema*."""

from __future__ import annotations

from sqlite3 import Row

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, url_for

from . import mail, store
from .auth import login_required
from .db import get_db, today
from .domain.serials import system_name
from .domain.upgrades import Serie, UpgradeRefused, check_upgradable, offers_free_upgrade, status
from .domain.validation import format_date, last_day_of_use, replaced_until

bp = Blueprint("services", __name__, url_prefix="/mi-cuenta")


def grid_rows(cuenta_id: int) -> list[dict]:
    day = today(g.user)
    return [
        {
            "serie": serie,
            "sistema": system_name(serie.sistema),
            "fecha_activacion": format_date(serie.fecha_activacion),
            "proximo_pago": format_date(serie.proximo_pago),
            "estado": status(serie, day),
            "actualizable": offers_free_upgrade(serie, day),
            "licencia": serie.modalidad == "licenciamiento" and not serie.reemplazada_por,
        }
        for serie in store.series_of(get_db(), cuenta_id)
    ]


def _own_serie_or_404(numero: str):
    serie = store.serie_of(get_db(), g.user["id"], numero)
    if serie is None:
        abort(404)
    return serie


@bp.route("/")
@login_required
def account_home():
    return render_template("services/account.html")


@bp.route("/mis-servicios/suscripciones")
@login_required
def subscriptions():
    return render_template("services/subscriptions.html", rows=grid_rows(g.user["id"]), dialog=None)


@bp.route("/mis-servicios/suscripciones/<numero>/actualizar")
@login_required
def upgrade_dialog(numero: str):
    serie = _own_serie_or_404(numero)
    try:
        check_upgradable(serie, today(g.user))
    except UpgradeRefused as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("services.subscriptions"))
    return render_template("services/subscriptions.html", rows=grid_rows(g.user["id"]), dialog=serie)


def upgrade_and_notify(account: Row, numero: str) -> Serie:
    """Accepting the terms: the new serial (``store.upgrade``: exactly once) and the notice mailed
    to the account. The dialog's *Aceptar* and the control API's upgrade (for a Given that only
    states it happened) both come here. Raises LookupError or UpgradeRefused, as store.upgrade."""
    new = store.upgrade(get_db(), account["id"], numero, today(account), current_app.config["SERIAL_KEY"].encode())
    old = store.serie_of(get_db(), account["id"], numero)
    assert old is not None  # store.upgrade found it
    _send_notice(account, old, new)
    return new


@bp.post("/mis-servicios/suscripciones/<numero>/actualizar")
@login_required
def accept_upgrade(numero: str):
    _own_serie_or_404(numero)
    try:
        new = upgrade_and_notify(g.user, numero)
    except UpgradeRefused as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("services.subscriptions"), code=303)
    except LookupError:
        abort(404)
    flash(
        f"Se generó el número de serie {new.numero} de Aspel NOI {new.version} "
        f"con renta {new.periodicidad}. "
        f"Te enviamos la notificación a {g.user['correo']}.",
        "ok",
    )
    return redirect(url_for("services.subscriptions"), code=303)


def _send_notice(account: Row, old: Serie, new: Serie) -> None:
    assert old.proximo_pago is not None  # a subscription: only they are upgraded
    context = {
        "nombre": account["nombre"],
        "sistema": system_name(new.sistema),
        "old": old,
        "new": new,
        "utilizable_hasta": format_date(last_day_of_use(old.proximo_pago)),
        "inactiva_desde": format_date(old.proximo_pago),
        "regla_3": replaced_until(old.proximo_pago),
        "descargas": url_for("downloads.index", _external=True),
    }
    mail.send(
        account["correo"],
        f"Actualización de número de serie de {context['sistema']} {old.version} a {new.version}",
        render_template("mail/upgrade_notice.txt", **context),
        render_template("mail/upgrade_notice.html", **context),
        cuenta_id=account["id"],
    )


@bp.route("/mis-servicios/suscripciones/<numero>/comprar-actualizacion")
@login_required
def paid_upgrade(numero: str):
    """A licence (pago único) is offered the version upgrade for sale, not the free dialog."""
    serie = _own_serie_or_404(numero)
    if serie.modalidad != "licenciamiento":
        return redirect(url_for("services.subscriptions"))
    return render_template("services/paid_upgrade.html", serie=serie)
