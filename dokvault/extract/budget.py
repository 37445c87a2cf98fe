"""What reading one document may cost: how many pages OCR may read and how long the
reading may take (OCR_MAX_PAGES, OCR_TIME_LIMIT_SECONDS).

A page past the budget is not read. The document still ends ready, with the text it
has, and a notice that says how far the reading got and why.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from dokvault.settings import get_settings


@dataclass
class Budget:
    ocr_pages: int  # pages OCR may still read
    seconds: float  # the whole time allowed, for the notice
    deadline: float = field(default=0.0)  # time.monotonic() after which no page is started
    ocr_seconds: float = 0.0  # time Tesseract took so far (the analytics' OCR stage)

    def __post_init__(self) -> None:
        if not self.deadline:
            self.deadline = time.monotonic() + self.seconds

    @classmethod
    def from_settings(cls) -> Budget:
        settings = get_settings()
        return cls(ocr_pages=settings.ocr_max_pages, seconds=settings.ocr_time_limit_seconds)

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def expired(self) -> bool:
        return self.left() <= 0
