"""The rules a new password of Mi cuenta Aspel follows (¿Olvidaste tu contraseña?)."""

from __future__ import annotations

MIN_LENGTH = 10
MAX_LENGTH = 128  # the log-in form refuses longer passwords


def password_errors(password: str, confirmation: str) -> dict[str, str]:
    """The form's errors by field (``contrasena``, ``confirmacion``), in Spanish; empty when the
    new password may be set. The confirmation is compared only with an acceptable password."""
    errors: dict[str, str] = {}
    if not password:
        errors["contrasena"] = "Escribe tu nueva contraseña."
    elif len(password) < MIN_LENGTH:
        errors["contrasena"] = f"La contraseña debe tener al menos {MIN_LENGTH} caracteres."
    elif len(password) > MAX_LENGTH:
        errors["contrasena"] = f"La contraseña debe tener como máximo {MAX_LENGTH} caracteres."
    if not confirmation:
        errors["confirmacion"] = "Escribe otra vez tu nueva contraseña."
    elif "contrasena" not in errors and confirmation != password:
        errors["confirmacion"] = "Las contraseñas no coinciden."
    return errors
