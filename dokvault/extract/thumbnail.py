"""First-page thumbnails: the rendered page for PDF, the picture (first frame of a TIFF) for
images, a text page for everything else."""

from __future__ import annotations

import io
import textwrap
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from dokvault.extract.formats import IMAGE_EXTENSIONS
from dokvault.extract.ocr import MAX_IMAGE_PIXELS
from dokvault.extract.pdf_render import render_first_page
from dokvault.extract.types import ExtractionError

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
    for paragraph in text[:10_000].splitlines()[:60]:  # a page shows far less than this
        for line in textwrap.wrap(paragraph, 40) or [""]:
            draw.text((14, y), line, fill="#333333", font=font)
            y += 13
            if y > HEIGHT - 20:
                return image
    return image


def _picture(path: Path) -> Image.Image:
    with Image.open(path) as image:  # a TIFF opens on its first frame
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise ExtractionError("error.image_too_large", f"{image.width}x{image.height}")
        image.draft("RGB", (WIDTH, WIDTH))  # JPEG decodes at 1/2..1/8 scale: far less work
        # Shrunk before it is turned and converted: those copy the picture at its full size.
        side = max(WIDTH, HEIGHT * 2)
        image.thumbnail((side, side))
        picture = ImageOps.exif_transpose(image).convert("RGB")
    # WIDTH wide for pages and photos; a long strip is held to two thumbnails' height.
    picture.thumbnail((WIDTH, HEIGHT * 2))
    return picture


def render(path: Path, ext: str, text: str) -> bytes:
    if ext == ".pdf":
        image = render_first_page(path, WIDTH, HEIGHT * 2)
    elif ext in IMAGE_EXTENSIONS:
        image = _picture(path)
    else:
        image = _text_page(text)
    image = image.convert("RGB").crop((0, 0, min(image.width, WIDTH), image.height))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)  # 7x faster than optimize, ~same size
    return out.getvalue()
