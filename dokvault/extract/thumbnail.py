"""First-page thumbnails: the rendered page for PDF, a text page for everything else."""

from __future__ import annotations

import io
import textwrap
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from dokvault.extract import pdf

WIDTH = 240
HEIGHT = 320
FONT_PATHS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",)


@lru_cache
def _font(size: int):
    for candidate in FONT_PATHS:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)


def _text_page(text: str) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    font = _font(10)
    y = 14
    for paragraph in text.splitlines()[:60]:
        for line in textwrap.wrap(paragraph, 40) or [""]:
            draw.text((14, y), line, fill="#333333", font=font)
            y += 13
            if y > HEIGHT - 20:
                return image
    return image


def render(path: Path, ext: str, text: str) -> bytes:
    image = pdf.render_first_page(path, WIDTH) if ext == ".pdf" else _text_page(text)
    image = image.convert("RGB").crop((0, 0, min(image.width, WIDTH), image.height))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)  # 7x faster than optimize, ~same size
    return out.getvalue()
