"""`paiban watch` as an editor uses it: a real watcher process on a temporary project, the spec
edited on disk, the PDF read back. Every wait has a timeout and the watcher is always stopped."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pymupdf
import pytest

from tests.support.project import FONTS, ROOT

SPEC = """\
document:
  title: 原标题
fonts:
  song: {{regular: fonts/NotoSerifSC-Regular.ttf, bold: fonts/NotoSerifSC-Bold.ttf}}
  hei: {{regular: fonts/NotoSansSC-Regular.ttf, bold: fonts/NotoSansSC-Bold.ttf}}
  kai: {{regular: fonts/LXGWWenKai-Regular.ttf}}
page:
  columns: {columns}
body:
  - text: |
      {paragraph}
"""
WAIT = 60.0  # seconds; a rebuild takes well under one, but CI machines stall


class Watch:
    """A `paiban watch` subprocess whose output lines are read on a thread into a queue."""

    def __init__(self, cwd: Path, *args: str):
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1", PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, "-m", "paiban", "watch", *args], cwd=cwd, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def expect(self, *needles: str, timeout: float = WAIT) -> str:
        """The next line holding every needle; fails with everything printed so far."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                pytest.fail(f"no line with {needles} within {timeout} s; output so far:\n" + "\n".join(self.seen))
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(line)
            if all(n in line for n in needles):
                return line

    def stop(self) -> int:
        """Ctrl-C, as an editor stops it (killed if it does not stop); the rest of its output is read."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self.reader.join(timeout=15)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return self.proc.returncode


def pdf_text(path: Path) -> str:
    with pymupdf.open(path) as doc:
        return "".join(page.get_text() for page in doc).replace("\n", "")


def pdf_fonts(path: Path) -> set[str]:
    with pymupdf.open(path) as doc:
        return {font[3] for page in range(doc.page_count) for font in doc.get_page_fonts(page)}


def test_watch_rebuilds_on_save_and_keeps_the_last_good_pdf(tmp_path: Path) -> None:
    shutil.copytree(FONTS, tmp_path / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    spec = tmp_path / "report.yaml"
    spec.write_text(SPEC.format(columns=2, paragraph="第一版的正文。"), encoding="utf-8")
    pdf = tmp_path / "build" / "report.pdf"
    watch = Watch(tmp_path, "report.yaml", "--set", "document.title=监视中的标题")
    try:
        watch.expect("watching report.yaml")
        watch.expect("report.pdf: 1 pages")
        assert "第一版的正文。" in pdf_text(pdf)

        # an edit of the paragraph: the PDF follows (the watcher catches a save made while it
        # was still starting up too, by comparing modification times)
        spec.write_text(SPEC.format(columns=2, paragraph="第二版改过的正文。"), encoding="utf-8")
        line = watch.expect("report.yaml → ", "report.pdf: 1 pages")
        assert line.startswith("[")  # a [HH:MM:SS] stamp
        text = pdf_text(pdf)
        assert "第二版改过的正文。" in text and "第一版" not in text
        assert "监视中的标题" in text  # --set applies to every rebuild
        good = pdf.read_bytes()

        # a broken spec: the error in the compiler form, and the good PDF stays
        spec.write_text(SPEC.format(columns="three", paragraph="第三版。"), encoding="utf-8")
        watch.expect("report.yaml:8:12: error: page.columns: expected an integer from 1 to 6, got 'three'")
        assert watch.expect(" | ") == " 8 |   columns: three"
        watch.expect("build failed (1 error); kept the last good PDF", str(pdf))
        assert pdf.read_bytes() == good
        assert not [p for p in pdf.parent.iterdir() if p.name.endswith(".tmp")]

        # fixed again: back to building
        spec.write_text(SPEC.format(columns=1, paragraph="第四版。"), encoding="utf-8")
        watch.expect("report.yaml → ", "report.pdf: 1 pages")
        assert "第四版。" in pdf_text(pdf)

        # a font file replaced in place: the rebuild sets the text in the new face
        assert not any("PaibanKai" in name for name in pdf_fonts(pdf))
        shutil.copyfile(FONTS / "LXGWWenKai-Regular.ttf", tmp_path / "fonts" / "NotoSerifSC-Regular.ttf")
        watch.expect("fonts/NotoSerifSC-Regular.ttf → ", "report.pdf: 1 pages")
        assert any("PaibanKai" in name for name in pdf_fonts(pdf))
        assert "第四版。" in pdf_text(pdf)
    finally:
        status = watch.stop()
    assert status == 0
    assert watch.seen[-1] == "stopped"


def test_watch_redraws_only_the_chart_whose_data_changed(tmp_path: Path) -> None:
    target = tmp_path / "p"
    init = subprocess.run([sys.executable, "-m", "paiban", "init", str(target), "-q"], capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT / "src")))
    assert init.returncode == 0, init.stderr
    watch = Watch(target)
    try:
        watch.expect("report.pdf: 1 pages", "charts redrawn 1/1 (readers)")
        csv = target / "data" / "readers.csv"
        csv.write_text(csv.read_text(encoding="utf-8").replace("610", "777"), encoding="utf-8")
        watch.expect("data/readers.csv → ", "charts redrawn 1/1 (readers)")
        assert "777" in pdf_text(target / "build" / "report.pdf")
        spec = target / "report.yaml"
        spec.write_text(spec.read_text(encoding="utf-8").replace("下一步怎么走", "明年的打算"), encoding="utf-8")
        watch.expect("report.yaml → ", "charts redrawn 0/1")
        assert "明年的打算" in pdf_text(target / "build" / "report.pdf")
    finally:
        status = watch.stop()
    assert status == 0


def _wait_for(check, what: str, log: Path, timeout: float = WAIT) -> None:
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            pytest.fail(f"{what} within {timeout} s; log:\n{log.read_text(encoding='utf-8', errors='replace')}")
        time.sleep(0.1)


def test_watch_logging_into_the_project_does_not_loop_and_follows_a_text_file(tmp_path: Path) -> None:
    """`paiban watch > watch.log` in the project: a broken spec fails once, not again and again
    on each line of its own log; an article in a .md file is watched like the spec."""
    shutil.copytree(FONTS, tmp_path / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    spec = tmp_path / "report.yaml"
    spec.write_text(SPEC.format(columns="three", paragraph="正文。"), encoding="utf-8")
    log = tmp_path / "watch.log"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1", PYTHONUNBUFFERED="1")
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "paiban", "watch", "report.yaml"], cwd=tmp_path, env=env,
                                stdout=out, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for(lambda: "build failed" in log.read_text(encoding="utf-8"), "no failed build", log)
        time.sleep(2)
        spec.write_text(SPEC.format(columns="four", paragraph="正文。"), encoding="utf-8")  # still broken
        _wait_for(lambda: log.read_text(encoding="utf-8").count("build failed") >= 2, "no second failure", log)
        time.sleep(5)  # three debounce periods: a loop on the log would have rebuilt by now
        assert log.read_text(encoding="utf-8").count("build failed") == 2
        (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4\n")  # a file that is no input: no rebuild either
        article = tmp_path / "a.md"
        article.write_text("文件里的第一版。\n", encoding="utf-8")
        spec.write_text(SPEC.format(columns=1, paragraph="正文。").replace(
            "  - text: |\n      正文。\n", "  - text: {file: a.md}\n"), encoding="utf-8")
        pdf = tmp_path / "build" / "report.pdf"
        _wait_for(lambda: pdf.exists() and "文件里的第一版。" in pdf_text(pdf), "no PDF of the article", log)
        article.write_text("文件里的第二版。\n", encoding="utf-8")
        _wait_for(lambda: "文件里的第二版。" in pdf_text(pdf), "the article's edit not built", log)
        assert log.read_text(encoding="utf-8").count("build failed") == 2
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
