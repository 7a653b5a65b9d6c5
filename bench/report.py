"""The numbers of a bench run as Markdown tables, and bench/results.md's hand-written part kept."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Everything below this line in bench/results.md is written by hand and kept by `make medir`.
FINDINGS_MARKER = "<!-- Findings: written by hand, kept when make medir rewrites the numbers above. -->"
FORMATS = {"×": "{:.2f}×", "%": "{:.0f} %", "cores": "{:.2f} cores", "ms": "{:,.0f} ms", "MiB": "{:,.0f} MiB"}


@dataclass(frozen=True)
class Stat:
    """The median of some runs, with their min and max."""

    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: Iterable[float | None]) -> Stat | None:
        present = [value for value in values if value is not None]
        return cls(statistics.median(present), min(present), max(present), len(present)) if present else None


@dataclass(frozen=True)
class Row:
    """One line of a table: what was measured, its statistic, its unit and the goal if any."""

    label: str
    stat: Stat | None
    unit: str = "s"
    goal: str = ""  # "≤ 1.3" or "≥ 1.7", judged on the median
    note: str = ""

    def verdict(self) -> str:
        if not self.goal or self.stat is None:
            return ""
        op, target = self.goal.split()
        met = self.stat.median <= float(target) if op == "≤" else self.stat.median >= float(target)
        return "met" if met else "NOT met"


def median(values: Iterable[float | None]) -> float | None:
    """The median of the values present, or None."""
    stat = Stat.of(values)
    return stat.median if stat else None


def number(value: float | None, unit: str) -> str:
    """``12.3456, "s"`` → ``12.35 s``; the precision follows the unit."""
    return "–" if value is None else FORMATS.get(unit, "{:.2f} " + unit).format(value)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table whose columns line up in a terminal too."""
    cells = [list(header), *(list(map(str, row)) for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |"

    return "\n".join([line(cells[0]), line(["-" * width for width in widths]), *map(line, cells[1:])])


def stats_table(rows: Sequence[Row]) -> str:
    """Measure, median, min, max, runs, goal and whether the median meets it, one line per row."""
    body = []
    for row in rows:
        figures = [number(getattr(row.stat, key) if row.stat else None, row.unit) for key in ("median", "low", "high")]
        label = row.label + (f" ({row.note})" if row.note else "")
        body.append((label, *figures, str(row.stat.runs if row.stat else 0), row.goal, row.verdict()))
    return markdown_table(("Measure", "Median", "Min", "Max", "Runs", "Goal", "Goal met?"), body)


def ratios(numerators: Sequence[float], denominators: Sequence[float]) -> list[float]:
    """Run-by-run ratios of paired (interleaved) runs."""
    return [n / d for n, d in zip(numerators, denominators, strict=False) if n and d]


def merge_findings(generated: str, previous: str | None) -> str:
    """The new numbers, followed by the hand-written findings of the previous results file."""
    findings = previous.split(FINDINGS_MARKER, 1)[1] if previous and FINDINGS_MARKER in previous else ""
    return generated.rstrip("\n") + "\n\n" + FINDINGS_MARKER + (findings or "\n")
