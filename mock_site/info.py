"""The pages the tutorial's closing links lead to: NOI's prices, the tutorials, their feedback
form, and the placeholder for an external site (YouTube).

- ``/precios/noi``: the two modalities of Aspel NOI, suscripción (mensual, semestral, anual)
  and licenciamiento (pago único), as the tutorial's first paragraphs name them.
- ``/tutoriales/``: the index, which lists this tutorial; ``/tutoriales/<slug>/`` its page.
- ``/tutoriales/<slug>/comentarios``: *Dudas, comentarios y sugerencias sobre este documento*;
  what is sent is stored (table ``comentario``) and the reader is thanked with the text shown
  back, escaped.
- ``/externo/youtube``: the mock never leaves itself; this page says the link is external.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, redirect, render_template, request, session, url_for

from . import limits, store
from .db import get_db, now

bp = Blueprint("info", __name__)

MAX_FEEDBACK = 2000
EMPTY_FEEDBACK = "Escribe tu duda, comentario o sugerencia."
LONG_FEEDBACK = f"Tu comentario debe tener como máximo {MAX_FEEDBACK:,} caracteres."
THANKS = "Gracias por tus comentarios. Los leeremos para mejorar este documento."
LAST_SENT = "comentario_enviado"  # session key: the id of the reader's last feedback


@dataclass(frozen=True)
class Tutorial:
    slug: str
    titulo: str
    sistema: str
    resumen: str


TUTORIALS = (
    Tutorial(
        "solicita-tu-numero-de-serie-desde-aspel-com",
        "Solicita tu número de serie desde aspel.com",
        "Aspel NOI",
        "¿Deseas actualizar el número de serie de Aspel NOI 9.0 a la nueva versión Aspel NOI 10.0? "
        "Sigue los pasos para realizar el proceso de actualización del número de serie desde la "
        "página aspel.com.",
    ),
)


@dataclass(frozen=True)
class Price:
    periodicidad: str
    precio: str  # as the page shows it, with IVA
    nota: str


# Figures of the demonstration site, not Aspel's current prices.
SUBSCRIPTION = (
    Price("Mensual", "$ 349.00", "Validas tu sistema cada mes."),
    Price("Semestral", "$ 1,899.00", "Validas tu sistema cada seis meses."),
    Price("Anual", "$ 3,499.00", "Validas tu sistema cada año."),
)
LICENCE = Price("Pago único", "$ 9,990.00", "Licencia permanente de la versión que compras.")


def tutorial_for(slug: str) -> Tutorial:
    found = next((t for t in TUTORIALS if t.slug == slug), None)
    if found is None:
        abort(404)
    return found


@bp.route("/precios/noi")
def noi_prices():
    return render_template("info/prices.html", subscription=SUBSCRIPTION, licence=LICENCE)


@bp.route("/tutoriales/")
def tutorials():
    return render_template("info/tutorials.html", tutorials=TUTORIALS)


@bp.route("/tutoriales/<slug>/")
def tutorial(slug: str):
    return render_template("info/tutorial.html", tutorial=tutorial_for(slug))


@bp.route("/tutoriales/<slug>/comentarios", methods=["GET", "POST"])
def feedback(slug: str):
    found = tutorial_for(slug)
    text, error = "", None
    if request.method == "POST":
        limits.limit("comentario", sesion=limits.session_key(), cliente=limits.client_key())
        text = request.form.get("comentario", "").replace("\r\n", "\n")
        if not text.strip():
            error = EMPTY_FEEDBACK
        elif len(text) > MAX_FEEDBACK:
            error = LONG_FEEDBACK
        else:
            session[LAST_SENT] = store.add_feedback(get_db(), found.slug, text.strip(), now())
            return redirect(url_for("info.feedback_thanks", slug=found.slug), code=303)
    status = 400 if error else 200
    return render_template(
        "info/feedback.html", tutorial=found, text=text, error=error, max_length=MAX_FEEDBACK
    ), status


@bp.route("/tutoriales/<slug>/comentarios/gracias")
def feedback_thanks(slug: str):
    """After the redirect: thanks, and what this reader sent (their own, by the session)."""
    found = tutorial_for(slug)
    sent = session.get(LAST_SENT)
    text = None
    if isinstance(sent, int) and 0 < sent < 2**63:
        text = store.feedback_text(get_db(), sent, found.slug)
    if text is None:
        return redirect(url_for("info.feedback", slug=found.slug))
    return render_template("info/thanks.html", tutorial=found, text=text, message=THANKS)


@bp.route("/externo/youtube")
def youtube():
    return render_template(
        "info/external.html", site="YouTube", address="https://www.youtube.com/", what="el canal de Aspel en YouTube"
    )
