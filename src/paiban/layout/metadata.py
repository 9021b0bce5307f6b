"""The PDF's document information: title, subject and the creation and modification dates.

ReportLab is run in invariant mode (no time-dependent IDs or comments), which also stamps every
PDF "created 2000-01-01"; the dates are set here instead, in this order: `document.date` when it
reads as a date (the issue's own date: the same PDF whenever it is rebuilt), else
SOURCE_DATE_EPOCH (reproducible builds: https://reproducible-builds.org/specs/source-date-epoch/),
else the time of the build.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass

from paiban.errors import Diagnostics
from paiban.spec.issue import issue_line, issue_title
from paiban.spec.loaded import LoadedSpec
from paiban.spec.model import Spec

_HAN_DIGITS = {ch: str(i) for i, ch in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0"}
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(?:(\d{1,2})\s*日?)?)?\s*$")


def _arabic(text: str) -> str:
    """二〇二六年三月十六日 → 2026年3月16日: Han digits, and 十 in months and days."""
    def tens(m: re.Match) -> str:
        before, after = m.group(1), m.group(2)
        return str((int(before) if before else 1) * 10 + (int(after) if after else 0))

    text = "".join(_HAN_DIGITS.get(ch, ch) for ch in text)
    return re.sub(r"(\d)?十(\d)?", tens, text)


def parse_date(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of 2026-03-06, 2026/3/6, 2026.3.6, 2026年3月6日, 二〇二六年三月六日 or
    2026年3月 (the 1st); None when the text is not such a date."""
    m = _DATE.match(_arabic(text))
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
    try:
        time.strptime(f"{year:04d}-{month:02d}-{day:02d}", "%Y-%m-%d")
    except ValueError:
        return None
    return year, month, day


@dataclass(frozen=True)
class Stamp:
    """What ReportLab's PDFDate reads of its TimeStamp: the date and time, and the UTC offset."""

    YMDhms: tuple[int, int, int, int, int, int]  # noqa: N815 - ReportLab's name
    dhh: int = 0
    dmm: int = 0


def pdf_stamp(loaded: LoadedSpec, diagnostics: Diagnostics, now: float | None = None) -> Stamp:
    """The creation and modification date of the PDF (see the module's docstring)."""
    date = loaded.spec.document.date
    if date:
        ymd = parse_date(date)
        if ymd is not None:
            return Stamp((*ymd, 0, 0, 0))
        diagnostics.warn(f"{date!r} does not read as a date (2026-03-06, 2026年3月6日): the PDF's creation date "
                         "is the build time", loaded.where(["document", "date"]), "document.date")
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return Stamp(tuple(time.gmtime(int(epoch)))[:6])  # type: ignore[arg-type]
    local = time.localtime(time.time() if now is None else now)
    offset = local.tm_gmtoff or 0
    sign = -1 if offset < 0 else 1
    return Stamp(tuple(local)[:6], sign * (abs(offset) // 3600), (abs(offset) % 3600) // 60)  # type: ignore[arg-type]


def pdf_title(spec: Spec) -> str:
    """A bulletin is titled by its name and issue (乡村振兴工作简报 第3期); anything else by its title."""
    if spec.page.masthead == "bulletin" and spec.document.name:
        return issue_title(spec)
    return spec.document.title


def pdf_subject(spec: Spec) -> str:
    """The subject as given; for a bulletin, its name and issue, then its articles' titles."""
    doc = spec.document
    if doc.subject:
        return doc.subject
    if spec.page.masthead == "bulletin" and doc.name:
        articles = [at.value.title for at in spec.blocks() if at.kind == "article"]
        head = " ".join(p for p in (doc.name, issue_line(spec)) if p)
        return head + ("：" + "；".join(articles) if articles else "")
    return doc.subtitle or ""
