"""The mock control token: what a server accepts as one (checked before the app is made)."""

from __future__ import annotations

MIN_LENGTH = 16
TOO_SHORT = (
    f"El token de control del simulador debe tener al menos {MIN_LENGTH} caracteres imprimibles, sin espacios "
    "(por ejemplo, el que da: python -c 'import secrets; print(secrets.token_urlsafe(24))')."
)


def control_token_problem(token: str | None) -> str | None:
    """Why ``token`` cannot guard mock control, in Spanish; None when it can (or when it is unset:
    then mock control is off)."""
    if token is None:
        return None
    if not isinstance(token, str) or len(token) < MIN_LENGTH or not token.isprintable() or not token.isascii():
        return TOO_SHORT
    if any(character.isspace() for character in token):
        return TOO_SHORT
    return None


def check_control_token(token: str | None) -> None:
    """ValueError (Spanish) for a token too short to guard mock control: the site must not start."""
    problem = control_token_problem(token)
    if problem:
        raise ValueError(problem)
