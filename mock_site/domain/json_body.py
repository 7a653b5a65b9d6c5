"""Request bodies sent as JSON: parsed strictly, with a Spanish reason for every refusal.

Python's ``json`` recurses once per level of nesting, so ``[`` × 1000 escapes as a
``RecursionError`` (a 500) from Flask's ``get_json``. Here the depth is measured first, without
recursion, and anything that is not plain JSON (NaN, Infinity, text that is not UTF-8, lone
surrogates, numbers Python refuses to convert) is a :class:`JSONBodyError`.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 32  # the deepest body the site reads has 3 levels
NOT_JSON = "El cuerpo de la solicitud no es JSON válido."
NOT_UTF8 = "El cuerpo de la solicitud no es texto UTF-8."
TOO_DEEP = f"El JSON tiene más de {MAX_DEPTH} niveles de anidación."
NOT_UNICODE = "El JSON contiene texto que no es Unicode válido."
NOT_AN_OBJECT = "Se esperaba un objeto JSON."

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")


class JSONBodyError(ValueError):
    """Why a body is refused, in Spanish (the API answers it with a 400)."""


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text``, brackets inside strings aside.

    Counts without parsing, so it never recurses; on text that is not JSON it may count more
    than a parser would, never less.
    """
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRING.sub("", text)):
        depth = depth + 1 if bracket in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def _no_constants(name: str) -> Any:
    raise JSONBodyError(NOT_JSON)


def parse_json(data: bytes | str, max_depth: int = MAX_DEPTH) -> Any:
    """The JSON value in ``data``; :class:`JSONBodyError` for anything else."""
    if isinstance(data, bytes):
        try:
            text = data.decode(json.detect_encoding(data))
        except (UnicodeDecodeError, LookupError):
            raise JSONBodyError(NOT_UTF8) from None
    else:
        text = data
    if not text.strip():
        raise JSONBodyError(NOT_JSON)
    if nesting_depth(text) > max_depth:
        raise JSONBodyError(TOO_DEEP)
    try:
        value = json.loads(text, parse_constant=_no_constants)
    except RecursionError:  # not reached below max_depth; kept as the last line of defence
        raise JSONBodyError(TOO_DEEP) from None
    except ValueError:  # JSONDecodeError, and integers longer than Python converts
        raise JSONBodyError(NOT_JSON) from None
    try:
        json.dumps(value, ensure_ascii=False).encode()
    except UnicodeEncodeError:  # "\ud800": a lone surrogate cannot be stored or shown
        raise JSONBodyError(NOT_UNICODE) from None
    return value


def parse_json_object(data: bytes | str) -> dict[str, Any]:
    """Like :func:`parse_json`, for APIs whose body must be an object."""
    value = parse_json(data)
    if not isinstance(value, dict):
        raise JSONBodyError(NOT_AN_OBJECT)
    return value
