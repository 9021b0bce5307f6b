"""Is a PDF file structurally sound? qpdf's checker when installed, else pypdf's strict reader.

Every PDF a test builds goes through `assert_valid_pdf`: a build that "succeeds" but leaves a
truncated file, a broken cross-reference table or an undecodable content stream must fail the
test, not only a PDF viewer months later.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def pdf_problems(path: str | Path) -> list[str]:
    """What is wrong with the file as a PDF (empty when it is sound)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [f"cannot read {path}: {exc}"]
    problems = []
    if not data.startswith(b"%PDF-"):
        problems.append("no %PDF- header")
    if b"%%EOF" not in data[-1024:]:
        problems.append("no %%EOF at the end (truncated?)")
    if problems:
        return problems
    qpdf = shutil.which("qpdf")
    if qpdf is not None:
        r = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True, timeout=120)
        if r.returncode != 0:  # 2 errors, 3 warnings (qpdf repaired something): both mean damage
            return [f"qpdf --check exit {r.returncode}: {(r.stdout + r.stderr).strip()[-2000:]}"]
        return []
    return _pypdf_problems(path)


def _pypdf_problems(path: Path) -> list[str]:
    """pypdf's strict reader, made to read every object of the xref table and inflate every
    Flate stream itself (pypdf only logs a bad stream, and only reads objects it is asked for)."""
    import zlib

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import IndirectObject, NullObject, StreamObject

    try:
        reader = PdfReader(path, strict=True)
        if not reader.pages:
            return ["no pages"]
        for gen, numbers in reader.xref.items():
            for num in numbers:
                obj = reader.get_object(IndirectObject(num, gen, reader))
                if obj is None or isinstance(obj, NullObject):
                    return [f"object {num} {gen} is missing"]
                if isinstance(obj, StreamObject):
                    _decode(obj)
        for page in reader.pages:
            if page.get_contents() is None:
                return ["a page without content"]
            _ = page.mediabox
    except (PyPdfError, ValueError, KeyError, OSError, zlib.error) as exc:
        return [f"pypdf (strict): {type(exc).__name__}: {exc}"]
    return []


def _decode(stream) -> bytes:
    """A stream's data through its filters, raising on damage (pypdf's get_data only logs it)."""
    import zlib

    from pypdf.filters import ASCII85Decode

    filters = stream.get("/Filter")
    filters = [] if filters is None else [filters] if isinstance(filters, str) else list(filters)
    data = stream._data
    for name in filters:
        if name == "/FlateDecode":
            data = zlib.decompress(data)
        elif name == "/ASCII85Decode":
            data = ASCII85Decode.decode(data)
        else:
            return stream.get_data()
    return data


def assert_valid_pdf(path: str | Path) -> None:
    """Fail with the checker's words unless `path` is a sound PDF."""
    problems = pdf_problems(path)
    assert not problems, f"{path} is not a valid PDF: {'; '.join(problems)}"
