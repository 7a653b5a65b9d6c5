"""Electronic serial numbers in the format of Aspel serials.

A serial is the system's three letters (``INL`` for NOI, as in the tutorial's ``INLXXXXXXXXXX``)
followed by nine characters and one check character, all from an alphabet without the letters
that are easy to misread (no I, L, O, U; no 0 or 1 to confuse with them). Thirteen characters in
all, like the tutorial's examples.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
SYSTEM_PREFIX = {"NOI": "INL"}  # the systems the site issues serials for, and their letters
SYSTEM_NAMES = {"NOI": "Aspel NOI"}  # ... and how every page and mail names them
BODY_LENGTH = 9
SERIAL_RE = re.compile(rf"^[A-Z]{{3}}[{ALPHABET}]{{{BODY_LENGTH + 1}}}$")


def _check_char(body: str) -> str:
    """Luhn mod N over the alphabet: catches every single wrong character and most swaps."""
    base, total, factor = len(ALPHABET), 0, 2
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        total += addend // base + addend % base
        factor = 3 - factor
    return ALPHABET[-total % base]


def _from_digest(system: str, digest: bytes) -> str:
    prefix = SYSTEM_PREFIX[system]
    body = "".join(ALPHABET[byte % len(ALPHABET)] for byte in digest[:BODY_LENGTH])
    return prefix + body + _check_char(body)


def system_name(system: str) -> str:
    """``NOI`` → ``Aspel NOI``; a code without a name is shown as it is."""
    return SYSTEM_NAMES.get(system, system)


def is_valid_serial(serial: str) -> bool:
    """True when ``serial`` has the shape, a known system prefix and the right check character."""
    if not isinstance(serial, str) or not SERIAL_RE.match(serial):
        return False
    if serial[:3] not in SYSTEM_PREFIX.values():
        return False
    return _check_char(serial[3:-1]) == serial[-1]


def random_serial(system: str = "NOI") -> str:
    """A fresh serial from the operating system's random source."""
    return _from_digest(system, secrets.token_bytes(BODY_LENGTH))


def derived_serial(system: str, key: bytes, origin: str, attempt: int = 0) -> str:
    """The serial that replaces ``origin``: an HMAC of it under the site's key.

    Deterministic for one key (so figures show the same new serial run after run) and
    unpredictable without it; ``attempt`` gives the next candidate when one is already taken.
    """
    digest = hmac.new(key, f"{origin}:{attempt}".encode(), hashlib.sha256).digest()
    return _from_digest(system, digest)
