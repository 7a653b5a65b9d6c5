"""aspel.com.mx's home page, with *Mi cuenta Aspel* at the top."""

from flask import Blueprint, render_template

bp = Blueprint("home", __name__)

PRODUCTS = (
    ("NOI", "Aspel NOI", "Calcula y timbra tu nómina."),
    ("COI", "Aspel COI", "Contabilidad integral y electrónica."),
    ("SAE", "Aspel SAE", "Control de inventarios, ventas y compras."),
    ("FACTURE", "Aspel FACTURE", "Emite facturas electrónicas."),
    ("BANCO", "Aspel BANCO", "Controla tus cuentas bancarias."),
    ("CAJA", "Aspel CAJA", "Punto de venta para tu negocio."),
)


@bp.route("/")
def index():
    return render_template("home/index.html", products=PRODUCTS)
