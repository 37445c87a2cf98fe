"""Tesseract as a subprocess: which languages and outputs it has, and one reading of one
page — words with their confidences (TSV) and the same words as an invisible, text-only
PDF page — within a deadline (the process is killed past it). extract/ocr.py decides what
is read and how often (orientation retries, budgets)."""

from __future__ import annotations

import functools
import io
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from dokvault.extract.layout import MAX_LAYOUT_CHARS, MAX_SEGMENTS
from dokvault.extract.types import ExtractionError

log = logging.getLogger(__name__)

LANGUAGES = ("nor", "eng")
PSM_AUTO = "3"
PSM_AUTO_OSD = "1"


@dataclass(frozen=True)
class Engine:
    binary: str
    languages: str
    has_osd: bool
    env: dict
    text_layer: bool  # Tesseract can write text-only PDF pages (it has its pdf.ttf)


# A word where it stands on the page: left, top, right, bottom in pixels from the top left
# (top and bottom those of its line, so the words of a line share one height), and its text.
Box = tuple[int, int, int, int, str]


@dataclass
class Reading:
    text: str
    confidence: float
    words: int
    layer: bytes | None = None  # the page's text as an invisible, text-only PDF page
    # The first words with their boxes (as many as a layout holds) and the page's size in pixels.
    boxes: list[Box] = field(default_factory=list)
    size: tuple[int, int] = (0, 0)


def unavailable_reason() -> str | None:
    """Why scans cannot be read here (for the start-up log), or None when Tesseract works."""
    try:
        engine()
    except ExtractionError as exc:
        return exc.detail or exc.code
    return None


class TimedOut(Exception):
    pass


@functools.lru_cache(maxsize=1)
def engine() -> Engine:
    binary = shutil.which("tesseract")
    if binary is None:
        raise ExtractionError("error.ocr_not_installed", "tesseract is not installed")
    try:
        listing = subprocess.run([binary, "--list-langs"], capture_output=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ExtractionError("error.ocr_unavailable", f"tesseract --list-langs: {exc}") from exc
    # "List of available languages in ... (3):" then one name a line (stderr before 4.1).
    output = (listing.stdout or listing.stderr).decode("utf-8", "replace")
    installed = {line.strip() for line in output.splitlines()[1:] if line.strip()}
    languages = [lang for lang in LANGUAGES if lang in installed]
    if not languages:
        raise ExtractionError("error.ocr_unavailable", f"no language data for {'+'.join(LANGUAGES)}")
    if len(languages) < len(LANGUAGES):
        log.warning("tesseract lacks language data: %s", sorted(set(LANGUAGES) - set(languages)))
    env = dict(os.environ)
    # Tesseract's OpenMP threads spin against each other and against the worker's other
    # pages: one thread per process is several times faster here (see bench/ocr.py).
    env.setdefault("OMP_THREAD_LIMIT", "1")
    # The text-only PDF needs Tesseract's glyphless font, which a trimmed tessdata may lack.
    tessdata = re.search(r'"(.+?)"', output.splitlines()[0] if output else "")
    text_layer = bool(tessdata) and (Path(tessdata.group(1)) / "pdf.ttf").is_file()
    if not text_layer:
        log.warning("tesseract has no pdf.ttf: scans get no searchable PDF")
    return Engine(binary, "+".join(languages), "osd" in installed, env, text_layer)


def parse_tsv(tsv: str) -> Reading:
    """Words back into lines and paragraphs, with their mean confidence; the first words'
    boxes too (MAX_SEGMENTS words, MAX_LAYOUT_CHARS characters), for the page's layout."""
    lines: list[str] = []
    current: list[str] = []
    line_key = par_key = None
    confidences: list[float] = []
    boxes: list[Box] = []
    size, line_box, chars = (0, 0), (0, 0), 0
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t", 11)
        if len(cells) < 12:
            continue
        if cells[0] in ("1", "4") and cells[6:10] != ["", "", "", ""]:
            left, top, width, height = (int(c) for c in cells[6:10])
            if cells[0] == "1":
                size = (width, height)
            else:
                line_box = (top, top + height)
            continue
        if cells[0] != "5" or not cells[11].strip():
            continue
        key = (cells[2], cells[3], cells[4])
        if key != line_key:
            if current:
                lines.append(" ".join(current))
            if par_key is not None and key[:2] != par_key:
                lines.append("")
            current, line_key, par_key = [], key, key[:2]
        word = cells[11].strip()
        current.append(word)
        confidence = float(cells[10])
        if confidence >= 0:
            confidences.append(confidence)
        if len(boxes) < MAX_SEGMENTS and chars <= MAX_LAYOUT_CHARS:
            left, width = int(cells[6]), int(cells[8])
            boxes.append((left, line_box[0], left + width, line_box[1], word))
            chars += len(word) + 1
    if current:
        lines.append(" ".join(current))
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return Reading("\n".join(lines).strip(), mean, len(confidences), boxes=boxes, size=size)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)  # ~30 ms for an A4 page at 300 dpi
    return out.getvalue()


def run(source: Path | Image.Image, psm: str, deadline: float) -> Reading:
    found = engine()
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimedOut
    args = [found.binary, "stdin", "", "-l", found.languages, "--psm", psm]
    data = None
    if isinstance(source, Path):
        args[1] = str(source)
    else:
        data = _png(source)
        dpi = source.info.get("dpi")
        if dpi and dpi[0] and 70 <= round(float(dpi[0])) <= 2400:
            args += ["--dpi", str(round(float(dpi[0])))]
    # Outputs asked for by parameter, not by config files, which a trimmed tessdata may lack.
    args += ["-c", "tessedit_create_tsv=1"]
    if found.text_layer:
        args += ["-c", "tessedit_create_pdf=1", "-c", "textonly_pdf=1"]
    with tempfile.TemporaryDirectory(prefix="dokvault-ocr-") as folder:
        base = Path(folder) / "page"
        args[2] = str(base)
        try:
            done = subprocess.run(args, input=data, capture_output=True, timeout=remaining, env=found.env)
        except subprocess.TimeoutExpired as exc:  # run() has killed and reaped the process
            raise TimedOut from exc
        except OSError as exc:
            raise ExtractionError("error.ocr_unavailable", str(exc)) from exc
        message = done.stderr.decode("utf-8", "replace").strip()[-300:]
        if done.returncode != 0:
            if "traineddata" in message or "loading language" in message.lower():
                raise ExtractionError("error.ocr_unavailable", message)
            raise ExtractionError("error.corrupt_image", message)
        tsv = base.with_suffix(".tsv")
        output = tsv.read_text("utf-8", "replace") if tsv.exists() else ""
        if not output.startswith("level\t"):  # wrote something else: we would read nothing
            raise ExtractionError("error.ocr_unavailable", f"tesseract wrote no TSV: {message}")
        layer = base.with_suffix(".pdf")
        reading = parse_tsv(output)
        reading.layer = layer.read_bytes() if found.text_layer and layer.exists() else None
        return reading
