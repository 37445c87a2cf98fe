from pathlib import Path

from inscriptis import get_text
from inscriptis.model.config import ParserConfig

from dokvault.extract import Extracted
from dokvault.extract.text import MAX_BYTES, decode


def extract(path: Path) -> Extracted:
    with path.open("rb") as fh:
        markup = decode(fh.read(MAX_BYTES))
    # inscriptis renders the layout as text and never runs or keeps scripts.
    text = get_text(markup, ParserConfig(display_links=False, display_images=False))
    return Extracted(text="\n".join(line.rstrip() for line in text.splitlines()).strip())
