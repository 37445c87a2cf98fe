"""Small display helpers shared by pages (plain Python, no Reflex)."""

from dataclasses import asdict

from dokvault.services.documents import DocumentRow


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


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
