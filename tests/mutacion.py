"""The mutation score of ``make mutacion``, from ``mutmut results --all true``.

Usage: ``mutmut results --all true | python -m tests.mutacion SECONDS``. Prints one line,
``Puntaje de mutación: 1 500 / 1 624 = 92.4 % (512 s)``, the counts behind it, and every
survivor that ``tests/mutacion_sobrevivientes.md`` does not give a reason for. Exits 1 when the
score is under :data:`GOAL` or a survivor has no reason.

Counted honestly: the score is killed / all mutants. A mutant no selected test runs ("no
tests"), a survivor (even an equivalent one, listed with its reason) and a suspicious one count
against it; a timeout counts as killed (the tests did not pass with the mutant: it made them
hang), and is shown apart.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

GOAL = 90.0
SURVIVORS_FILE = Path(__file__).with_name("mutacion_sobrevivientes.md")
# A listed survivor: "- `name`: reason" (the reason must say something).
_LISTED = re.compile(r"^- `(?P<name>[^`]+__mutmut_\d+)`\s*:\s*(?P<reason>.*\S)?\s*$")
_RESULT = re.compile(r"^\s*(?P<name>\S+__mutmut_\d+): (?P<status>.+?)\s*$")
KILLED = ("killed", "timeout", "caught by type check")


def parse_results(text: str) -> dict[str, str]:
    """``mutmut results --all true`` → {mutant name: status}."""
    return {m["name"]: m["status"] for m in map(_RESULT.match, text.splitlines()) if m}


def listed_survivors(text: str) -> dict[str, str]:
    """The survivors ``mutacion_sobrevivientes.md`` names, with their reasons ('' when none)."""
    return {m["name"]: m["reason"] or "" for m in map(_LISTED.match, text.splitlines()) if m}


def thousands(number: int) -> str:
    """1624 → ``1 624`` (a space between thousands, as the Spanish text of the suite writes them)."""
    return f"{number:,}".replace(",", " ")


def score_line(statuses: dict[str, str], seconds: int) -> tuple[str, float]:
    counts = Counter(statuses.values())
    killed = sum(counts[status] for status in KILLED)
    total = len(statuses)
    score = 100 * killed / total if total else 0.0
    line = f"Puntaje de mutación: {thousands(killed)} / {thousands(total)} = {score:.1f} % ({seconds} s)"
    return line, score


def main(argv: list[str]) -> int:
    seconds = int(argv[0]) if argv else 0
    statuses = parse_results(sys.stdin.read())
    if not statuses:
        print("Sin resultados de mutmut: ¿corrió `mutmut run`?")
        return 1
    counts = Counter(statuses.values())
    print("  " + ", ".join(f"{status}: {thousands(count)}" for status, count in sorted(counts.items())))
    reasons = listed_survivors(SURVIVORS_FILE.read_text(encoding="utf-8"))
    unexplained = sorted(
        name for name, status in statuses.items() if status not in (*KILLED, "not checked") and not reasons.get(name)
    )
    for name in unexplained:
        print(f"  sin prueba ni razón en {SURVIVORS_FILE.name}: {name} ({statuses[name]})")
    line, score = score_line(statuses, seconds)
    print(line)
    if score < GOAL:
        print(f"El puntaje está por debajo de la meta de {GOAL:g} %.")
        return 1
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
