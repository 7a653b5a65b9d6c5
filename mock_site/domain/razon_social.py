"""Regla 6: the activation wizard accepts the razón social registered at aspel.com."""

from __future__ import annotations

import unicodedata


def normalized(name: str) -> str:
    """Case, accents and runs of spaces do not make a different razón social."""
    decomposed = unicodedata.normalize("NFKD", name)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(without_accents.casefold().split())


def same_razon_social(registered: str, typed: str) -> bool:
    return normalized(registered) == normalized(typed)
