"""Pictures of people and offices: kept small (a JPEG of at most 256 px), in the database."""

from __future__ import annotations

import io
import logging

from PIL import Image, UnidentifiedImageError

from dokvault import db
from dokvault.models import Employee, Office, Picture
from dokvault.models.base import utcnow

log = logging.getLogger(__name__)
SIZE = 256
MAX_PIXELS = 40_000_000
OWNERS = {"employee": Employee, "office": Office}


def shrink(data: bytes) -> bytes | None:
    """A JPEG of at most SIZE px a side, or None for what is not a picture."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                return None
            image = image.convert("RGB")
            image.thumbnail((SIZE, SIZE))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def store(kind: str, owner_id: int, data: bytes) -> bool:
    small = shrink(data)
    if small is None:
        log.info("picture of %s %s is not an image: left out", kind, owner_id)
        return False
    with db.session() as s:
        row = s.get(Picture, (kind, owner_id)) or Picture(owner_kind=kind, owner_id=owner_id, data=b"")
        row.data, row.updated_at = small, utcnow()
        s.add(row)
        owner = s.get(OWNERS[kind], owner_id)
        if owner is not None:
            owner.has_picture = True
            s.add(owner)
        s.commit()
    return True


def load(kind: str, owner_id: int) -> bytes | None:
    if kind not in OWNERS:
        return None
    with db.session() as s:
        row = s.get(Picture, (kind, owner_id))
        return row.data if row else None
