"""Small display helpers shared by pages (plain Python, no Reflex)."""

from dataclasses import asdict

from dokvault.core.sizes import human_size
from dokvault.services.documents import DocumentRow

__all__ = ["grouped", "human_size", "row_view"]


def grouped(n: int) -> str:
    """A count with its thousands apart, as Norwegian writes them: 98 000."""
    return f"{n:,}".replace(",", "\u00a0")


def row_view(row: DocumentRow) -> dict:
    """A document row as the pages show it."""
    view = asdict(row)
    view["size_label"] = human_size(row.size)
    view["status_key"] = f"status.{row.status}"
    view["pending"] = row.status in ("uploaded", "processing", "waiting")
    view["retryable"] = row.status in ("failed", "waiting")
    view["snippet"] = row.snippet or []
    return view
