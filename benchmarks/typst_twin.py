#!/usr/bin/env python3
"""The default briefing as a Typst document, so benchmarks time Typst on the same article.

    python benchmarks/typst_twin.py PROJECT        # writes PROJECT/twin.typ

The twin has what paiban's page has: A4 with the same margins, three justified columns with a
rule-free gutter, the masthead (title, subtitle, byline), the lead across the columns, each part
as a heading, every paragraph with **bold** kept, the charts as the SVG files paiban drew
(figures/ID.svg, so a paiban build must have run first) floated in their column with their
captions, the facts boxes as boxed grids, image placeholders as grey 4:3 boxes, the credit, a
running header and a "第 N 页 共 M 页" footer, in the same bundled fonts. It is a benchmark
input, not a second renderer: Typst's own typesetting decides where things land.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml


def _escape(text: str) -> str:
    """Typst markup from paiban's inline markup: **bold** → *bold*, *dots* → plain, {fig:x} → 图."""
    text = re.sub(r"\{(fig|tab):[^}]+\}", "图", text)
    out = []
    for token in re.split(r"(\*\*[^*]+\*\*|\*[^*]+\*)", text):
        if token.startswith("**") and token.endswith("**"):
            out.append("*" + _plain(token[2:-2]) + "*")
        elif token.startswith("*") and token.endswith("*") and len(token) > 1:
            out.append(_plain(token[1:-1]))
        else:
            out.append(_plain(token))
    return "".join(out)


def _plain(text: str) -> str:
    return re.sub(r"([\\#*_`$<>@\[\]~/=+-])", r"\\\1", text)


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split("\n")).replace(" ", "") if re.search(r"[\u4e00-\u9fff]", p) else p
            for p in (q.strip() for q in re.split(r"\n\s*\n", text)) if p]


def twin(spec: dict, project: Path) -> str:
    doc = spec["document"]
    body_style = spec.get("styles", {}).get("body", {})
    size = body_style.get("size", "9.5pt")
    lines = [
        '#set page(paper: "a4", margin: (top: 20mm, bottom: 20mm, inside: 18mm, outside: 18mm), columns: 3,',
        f'  header: context {{ if here().page() > 1 [#text(size: 8pt)[{_plain(doc["title"])}]] }},',
        '  footer: context align(center, text(size: 8pt)[第 #counter(page).display() 页　共 '
        '#counter(page).final().first() 页]))',
        '#set columns(gutter: 6mm)',
        f'#set text(font: ("Noto Serif SC",), size: {size}, lang: "zh", region: "cn")',
        '#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 0.6em, spacing: 0.6em)',
        '#show heading: set text(font: "Noto Sans SC", size: 13pt, fill: rgb("#b3120f"))',
        '#place(top, scope: "parent", float: true)[',
        f'  #align(center)[#text(font: "Noto Sans SC", weight: "bold", size: 30pt, fill: rgb("#b3120f"))'
        f'[{_plain(doc["title"])}]]',
    ]
    if doc.get("subtitle"):
        lines.append(f'  #align(center)[#text(size: 14pt)[{_plain(doc["subtitle"])}]]')
    if doc.get("byline"):
        lines.append(f'  #align(center)[#text(font: "LXGW WenKai", size: 10pt)[{_plain(doc["byline"])}]]')
    lead_done = False
    for block in spec["body"]:
        kind, value = next(iter(block.items()))
        if kind == "lead" and not lead_done:
            lines.append(f'  #block(width: 100%, inset: 4pt)[#text(font: "LXGW WenKai", size: 11pt)'
                         f'[{_escape(" ".join(_paragraphs(value)))}]]')
            lines.append("]")
            lead_done = True
    if not lead_done:
        lines.append("]")
    for block in spec["body"]:
        kind, value = next(iter(block.items()))
        if kind == "lead":
            continue
        if kind == "part":
            title = value["title"] if isinstance(value, dict) else value
            kicker = value.get("kicker") if isinstance(value, dict) else None
            head = f"{kicker}　{title}" if kicker else title
            lines.append(f"\n= {_plain(head)}\n")
        elif kind in ("text", "quote", "subhead"):
            text = value if isinstance(value, str) else value.get("text", "")
            for para in _paragraphs(text):
                lines.append(_escape(para) + "\n")
        elif kind == "figure":
            svg = project / "figures" / f"{value['id']}.svg"
            caption = _plain(value.get("caption", ""))
            lines.append(f'#figure(placement: auto, image("{svg.relative_to(project)}", width: 100%), '
                         f'caption: [#text(font: "LXGW WenKai", size: 8.5pt)[{caption}]])\n')
        elif kind == "facts":
            cells = []
            for item in value["items"]:
                cells.append(f'[#text(font: "Noto Sans SC", size: 14pt, fill: rgb("#b3120f"))'
                             f'[{_plain(str(item["value"]))}]#text(size: 8pt)[{_plain(item.get("unit", ""))}]'
                             f' \\ #text(size: 8pt)[{_plain(item.get("label", ""))}]]')
            cols = value.get("columns", 2)
            lines.append(f'#block(stroke: 0.5pt + rgb("#b3120f"), inset: 6pt, width: 100%)'
                         f'[#text(font: "Noto Sans SC", weight: "bold")[{_plain(value.get("title", ""))}]'
                         f' #grid(columns: {cols}, gutter: 4pt, {", ".join(cells)})]\n')
        elif kind == "image":
            caption = _plain(value.get("caption", "")) if isinstance(value, dict) else ""
            lines.append(f'#figure(placement: auto, rect(width: 100%, height: 45mm, '
                         f'fill: luma(230)), caption: [{caption}])\n')
        elif kind == "credit":
            lines.append(f'#align(right)[#text(font: "LXGW WenKai")[{_plain(value if isinstance(value, str) else value["text"])}]]\n')
    return "\n".join(lines) + "\n"


def main() -> None:
    project = Path(sys.argv[1])
    spec = yaml.safe_load((project / "report.yaml").read_text("utf-8"))
    (project / "twin.typ").write_text(twin(spec, project), "utf-8")


if __name__ == "__main__":
    main()
