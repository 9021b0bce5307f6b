#!/usr/bin/env python3
"""Check that a report.yaml carries the seed article's text exactly, in reading order.

Why this exists: the article is the user's text. Rebuilding its paragraphs from OCR column
lines by hand is easy to get subtly wrong (a dropped character, two lines swapped, an OCR slip
"corrected", a space lost). This script reads the YAML the way the layout will and compares it
with the article character for character, so any such loss is caught before it reaches a PDF.

What is compared:

* YAML side, in reading order: ``document.title``, ``document.subtitle``, ``document.byline``,
  then the ``body`` blocks — ``lead``, ``part`` (kicker, title), ``text`` (paragraphs
  separated by blank lines), ``credit``, ``image`` (caption). Other block kinds (figures, fact
  boxes, ...) carry no article text and are skipped. The ``**…**`` bold markup is removed.
* Article side: the non-empty lines of article.txt. The newspaper prints its headline block at
  the end (title, subtitle, one line holding the photo captions); it is moved so that title and
  subtitle come first and the captions come after everything else, as in the YAML.

* Errata: the article's evident OCR slips that report.yaml corrects (捞待区 → 接待区, a half-width
  colon in Chinese text) are listed with their reasons in docs/errata.yaml; each is applied to
  the article before comparing (``original`` must occur exactly once on its article ``line``), so
  the check holds the YAML to the article *as corrected*, and nothing else may differ.

Two passes, both must pass:

1. all whitespace removed on both sides (the comparison the layout depends on);
2. spaces inside a line kept (only line breaks and the ends of lines dropped), so a space the
   article prints, such as "总投资 1560 万元", must survive too.

Usage: check_report_text.py [REPORT_YAML] [ARTICLE_TXT] [--outline] [--errata FILE | --no-errata]
                            [--write-article FILE]  (the article with the errata applied, e.g. for pdfcheck --text)
Exit status: 0 when the texts match, 1 on a mismatch, 2 when a file cannot be read or the YAML
does not have the expected shape.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REPORT = REPO_ROOT / "report.yaml"
DEFAULT_ARTICLE = Path("/work/shared/seed/article.txt")
DEFAULT_ERRATA = REPO_ROOT / "docs" / "errata.yaml"
BOLD_MARK = "**"
CONTEXT = 18


class ShapeError(Exception):
    """The YAML does not have the shape this check understands."""


@dataclass(frozen=True)
class Segment:
    """A run of text and where it came from, so a mismatch can be located on both sides."""

    label: str
    text: str


@dataclass(frozen=True)
class Part:
    """One part of the body for the outline: its heading and paragraphs (markup kept)."""

    heading: str
    paragraphs: list[str]


def strip_markup(label: str, text: str) -> str:
    """Remove the ``**`` bold marks; an odd number of them means broken markup."""
    count = text.count(BOLD_MARK)
    if count % 2:
        raise ShapeError(f"{label}: unbalanced '{BOLD_MARK}' markup ({count} marks)")
    return text.replace(BOLD_MARK, "")


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a ``text`` block: separated by blank lines, lines inside joined as is."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append("".join(current))
            current = []
    if current:
        paragraphs.append("".join(current))
    return paragraphs


def _require_str(label: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ShapeError(f"{label}: expected a string, got {type(value).__name__}")
    return value


def report_segments(spec: Any) -> tuple[list[Segment], list[Part], list[str]]:
    """Flatten the YAML into text segments in reading order.

    Returns the segments (markup removed), the parts for the outline (markup kept) and the
    kinds of body blocks that were skipped because they carry no article text.
    """
    if not isinstance(spec, dict):
        raise ShapeError("top level: expected a mapping")
    document = spec.get("document")
    if not isinstance(document, dict):
        raise ShapeError("document: expected a mapping")
    segments: list[Segment] = []
    for key in ("title", "subtitle", "byline"):
        if key in document:
            segments.append(Segment(f"document.{key}", _require_str(f"document.{key}", document[key])))
    body = spec.get("body")
    if not isinstance(body, list):
        raise ShapeError("body: expected a list of blocks")

    parts: list[Part] = []
    skipped: list[str] = []
    for index, block in enumerate(body):
        where = f"body[{index}]"
        if not isinstance(block, dict) or len(block) != 1:
            raise ShapeError(f"{where}: expected a mapping with one key (the block kind)")
        ((kind, value),) = block.items()
        if kind == "lead":
            text = _require_str(f"{where}.lead", value)
            paragraphs = split_paragraphs(text)
            parts.append(Part("lead", paragraphs))
            for number, paragraph in enumerate(paragraphs, 1):
                label = f"{where}.lead ¶{number}"
                segments.append(Segment(label, strip_markup(label, paragraph)))
        elif kind == "part":
            if not isinstance(value, dict):
                raise ShapeError(f"{where}.part: expected a mapping")
            heading = []
            for key in ("kicker", "title"):
                if key in value:
                    text = _require_str(f"{where}.part.{key}", value[key])
                    segments.append(Segment(f"{where}.part.{key}", text))
                    heading.append(text)
            parts.append(Part(" / ".join(heading), []))
        elif kind == "text":
            text = _require_str(f"{where}.text", value)
            paragraphs = split_paragraphs(text)
            if parts and parts[-1].heading != "lead" and not parts[-1].paragraphs:
                parts[-1].paragraphs.extend(paragraphs)
            else:
                parts.append(Part("(text)", paragraphs))
            for number, paragraph in enumerate(paragraphs, 1):
                label = f"{where}.text ¶{number}"
                segments.append(Segment(label, strip_markup(label, paragraph)))
        elif kind == "credit":
            segments.append(Segment(f"{where}.credit", _require_str(f"{where}.credit", value)))
        elif kind == "image":
            if not isinstance(value, dict):
                raise ShapeError(f"{where}.image: expected a mapping")
            if "caption" in value:
                caption = _require_str(f"{where}.image.caption", value["caption"])
                segments.append(Segment(f"{where}.image.caption", caption))
        else:
            skipped.append(str(kind))
    return segments, parts, skipped


def apply_errata(text: str, errata: Any) -> tuple[str, int]:
    """The article with each erratum applied on its line; (text, how many were applied).

    An erratum whose ``original`` is not on its line exactly once is a ShapeError: the errata
    file and the article no longer agree, and a silent no-op would hide it.
    """
    if not isinstance(errata, dict) or not isinstance(errata.get("errata", []), list):
        raise ShapeError("errata: expected a mapping with an 'errata' list")
    lines = text.split("\n")
    for number, entry in enumerate(errata.get("errata", []), 1):
        if not isinstance(entry, dict):
            raise ShapeError(f"erratum {number}: expected a mapping")
        line, original, corrected = entry.get("line"), entry.get("original"), entry.get("corrected")
        if not isinstance(line, int) or not isinstance(original, str) or not isinstance(corrected, str):
            raise ShapeError(f"erratum {number}: expected line (an integer), original and corrected (strings)")
        if not 1 <= line <= len(lines):
            raise ShapeError(f"erratum {number}: the article has no line {line}")
        found = lines[line - 1].count(original)
        if found != 1:
            raise ShapeError(f"erratum {number}: {original!r} occurs {found} times on article line {line}, "
                             "expected once")
        lines[line - 1] = lines[line - 1].replace(original, corrected)
    return "\n".join(lines), len(errata.get("errata", []))


def article_segments(text: str) -> list[Segment]:
    """The article's lines in the YAML's reading order (headline block moved, see module doc)."""
    numbered = [(number, line) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    if len(numbered) < 4:
        raise ShapeError("article: fewer than four non-empty lines, no headline block to move")
    body, (title, subtitle, captions) = numbered[:-3], numbered[-3:]
    segments = [
        Segment(f"article line {title[0]} (title)", title[1].strip()),
        Segment(f"article line {subtitle[0]} (subtitle)", subtitle[1].strip()),
    ]
    segments += [Segment(f"article line {number}", line.strip()) for number, line in body]
    # The captions line holds several captions separated by spaces; the YAML has one image each.
    segments += [
        Segment(f"article line {captions[0]} (caption {k})", caption)
        for k, caption in enumerate(captions[1].split(), 1)
    ]
    return segments


def flatten(segments: list[Segment], keep_spaces: bool) -> tuple[str, list[str]]:
    """Join segments into one string, with the label of the segment each character came from."""
    chars: list[str] = []
    origins: list[str] = []
    for segment in segments:
        if keep_spaces:
            text = "".join(line.strip() for line in segment.text.split("\n"))
        else:
            text = "".join(segment.text.split())
        chars.extend(text)
        origins.extend([segment.label] * len(text))
    return "".join(chars), origins


def first_difference(expected: str, actual: str) -> int | None:
    """Index of the first differing character, or None when the strings are equal."""
    for index, (left, right) in enumerate(zip(expected, actual, strict=False)):
        if left != right:
            return index
    if len(expected) != len(actual):
        return min(len(expected), len(actual))
    return None


def describe(index: int, text: str, origins: list[str]) -> str:
    """Context around index, the character itself bracketed, and where it came from."""
    before = text[max(0, index - CONTEXT) : index]
    if index >= len(text):
        origin = f"{origins[-1]}, after its end" if origins else "empty"
        return f"…{before}[<end>]  ({origin})"
    after = text[index + 1 : index + 1 + CONTEXT]
    return f"…{before}[{text[index]}]{after}…  ({origins[index]}, U+{ord(text[index]):04X})"


def compare(name: str, article: list[Segment], report: list[Segment], keep_spaces: bool) -> bool:
    """Run one pass; print the result and the first difference with context."""
    expected, expected_from = flatten(article, keep_spaces)
    actual, actual_from = flatten(report, keep_spaces)
    index = first_difference(expected, actual)
    if index is None:
        spaces = expected.count(" ")
        extra = f", {spaces} inner spaces" if keep_spaces else ""
        print(f"ok   {name}: {len(expected)} characters identical{extra}")
        return True
    print(
        f"FAIL {name}: first difference at character {index} "
        f"(article {len(expected)} characters, report {len(actual)})"
    )
    print(f"  article: {describe(index, expected, expected_from)}")
    print(f"  report:  {describe(index, actual, actual_from)}")
    return False


def print_outline(parts: list[Part]) -> None:
    """Paragraph count and the first eight characters of each paragraph, per part."""
    for part in parts:
        print(f"{part.heading}: {len(part.paragraphs)} paragraph(s)")
        for number, paragraph in enumerate(part.paragraphs, 1):
            print(f"  {number}. {paragraph.replace(BOLD_MARK, '')[:8]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "report",
        nargs="?",
        type=Path,
        default=DEFAULT_REPORT,
        help=f"report YAML (default: {DEFAULT_REPORT})",
    )
    parser.add_argument(
        "article",
        nargs="?",
        type=Path,
        default=DEFAULT_ARTICLE,
        help=f"OCR article text (default: {DEFAULT_ARTICLE})",
    )
    parser.add_argument(
        "--outline",
        action="store_true",
        help="also list each part's paragraphs (count and first 8 characters)",
    )
    parser.add_argument(
        "--errata",
        type=Path,
        default=DEFAULT_ERRATA,
        help=f"slips of the article corrected in the report, applied before comparing (default: {DEFAULT_ERRATA})",
    )
    parser.add_argument("--no-errata", action="store_true", help="compare with the article exactly as printed")
    parser.add_argument("--write-article", type=Path, metavar="FILE",
                        help="also write the article with the errata applied to FILE")
    args = parser.parse_args(argv)
    try:
        spec = yaml.safe_load(args.report.read_text(encoding="utf-8"))
        article_text = args.article.read_text(encoding="utf-8")
        applied = 0
        if not args.no_errata:
            errata = yaml.safe_load(args.errata.read_text(encoding="utf-8"))
            article_text, applied = apply_errata(article_text, errata)
        if args.write_article:
            args.write_article.write_text(article_text, encoding="utf-8")
        report, parts, skipped = report_segments(spec)
        article = article_segments(article_text)
    except (OSError, yaml.YAMLError, ShapeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if applied:
        print(f"note: {applied} errata applied to the article ({args.errata.name})")
    if args.outline:
        print_outline(parts)
    if skipped:
        print(f"note: skipped block kinds without article text: {', '.join(sorted(set(skipped)))}")
    results = [
        compare("text, whitespace ignored", article, report, keep_spaces=False),
        compare("text, inner spaces kept", article, report, keep_spaces=True),
    ]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
