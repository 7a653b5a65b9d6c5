"""The sample failure blocks in docs/guia/*.md match the features they
quote: each ``archivo: features/…:N`` is a scenario's line, each ``paso (línea N): …`` that
step's line (qa.md once showed 119 where the step had moved to 121)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDES = sorted((ROOT / "docs" / "guia").glob("*.md"))
BLOCK = re.compile(r"^  archivo: (?P<feature>features/\S+\.feature):(?P<line>\d+)\n(?P<rest>(?:  .*\n)+)", re.M)
STEP = re.compile(r"^  paso \(línea (?P<line>\d+)\): (?P<keyword>\w+) (?P<text>.+)$", re.M)


def test_every_sample_block_names_the_lines_of_the_feature_it_quotes():
    checked = 0
    for guide in GUIDES:
        for block in BLOCK.finditer(guide.read_text(encoding="utf-8")):
            lines = (ROOT / block["feature"]).read_text(encoding="utf-8").splitlines()
            scenario = lines[int(block["line"]) - 1].strip()
            assert re.match(r"(Escenario|Esquema del escenario):", scenario), (
                f"{guide.name}: {block['feature']}:{block['line']} no es un escenario: «{scenario}»"
            )
            step = STEP.search(block["rest"])
            if step:
                written = lines[int(step["line"]) - 1].strip()
                keyword = written.split()[0]
                assert keyword == step["keyword"], f"{guide.name}: la línea {step['line']} es «{written}»"
                # an outline's step has <placeholders> where the sample has the example's values
                pattern = re.escape(written).replace(r"<", "<").replace(r">", ">")
                pattern = re.sub(r"<[^>]+>", ".+", pattern)
                assert re.fullmatch(pattern, f"{step['keyword']} {step['text']}"), (
                    f"{guide.name}: la línea {step['line']} de {block['feature']} es «{written}», "
                    f"no «{step['keyword']} {step['text']}»"
                )
            checked += 1
    assert checked, "ningún bloque de ejemplo en docs/guia/*.md"
