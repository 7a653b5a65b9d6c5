"""The numbers of a bench run as Markdown: the table printed at the end and bench/results.md."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Everything below this line in bench/results.md is written by hand and kept by `make bench`.
FINDINGS_MARKER = "<!-- Findings: written by hand, kept when make bench rewrites the numbers above. -->"


@dataclass(frozen=True)
class Stat:
    """The median of some runs, with their min and max."""

    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: Iterable[float]) -> Stat | None:
        values = [v for v in values if v is not None]
        if not values:
            return None
        return cls(statistics.median(values), min(values), max(values), len(values))


@dataclass(frozen=True)
class Row:
    """One line of the table: what was measured, its statistic, its unit and the goal if any."""

    label: str
    stat: Stat | None
    unit: str = "s"
    goal: str = ""
    note: str = ""

    def verdict(self) -> str:
        if not self.goal or self.stat is None:
            return ""
        op, target = self.goal.split()
        value = self.stat.median
        met = value <= float(target) if op == "≤" else value >= float(target)
        return "met" if met else "NOT met"


def number(value: float | None, unit: str) -> str:
    """``12.3456, "s"`` → ``12.35 s``; the precision follows the size and the unit."""
    if value is None:
        return "–"
    if unit == "×":
        return f"{value:.2f}×"
    if unit == "%":
        return f"{value:.0f} %"
    if unit == "cores":
        return f"{value:.2f} cores"
    if unit in ("ms", "MiB"):
        return f"{value:,.0f} {unit}"
    if unit == "":
        return f"{value:g}"
    return f"{value:.2f} {unit}"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table whose columns line up in a terminal too."""
    cells = [list(header)] + [list(map(str, row)) for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |"

    return "\n".join([line(cells[0]), "| " + " | ".join("-" * w for w in widths) + " |", *map(line, cells[1:])])


def stats_table(rows: Sequence[Row]) -> str:
    header = ("Measure", "Median", "Min", "Max", "Runs", "Goal", "Goal met?")
    body = []
    for row in rows:
        stat = row.stat
        body.append(
            (
                row.label + (f" ({row.note})" if row.note else ""),
                number(stat.median if stat else None, row.unit),
                number(stat.low if stat else None, row.unit),
                number(stat.high if stat else None, row.unit),
                str(stat.runs) if stat else "0",
                row.goal,
                row.verdict(),
            )
        )
    return markdown_table(header, body)


def ratios(numerators: Sequence[float], denominators: Sequence[float]) -> list[float]:
    """Run-by-run ratios of paired (interleaved) runs."""
    return [n / d for n, d in zip(numerators, denominators, strict=False) if n and d]


def merge_findings(generated: str, previous: str | None) -> str:
    """The new numbers, followed by the hand-written findings of the previous results file."""
    findings = ""
    if previous and FINDINGS_MARKER in previous:
        findings = previous.split(FINDINGS_MARKER, 1)[1]
    return generated.rstrip("\n") + "\n\n" + FINDINGS_MARKER + (findings if findings else "\n")
