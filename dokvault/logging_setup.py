import logging

from dokvault.settings import get_settings

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging() -> None:
    level = get_settings().log_level.upper()
    root = logging.getLogger()
    if not any(getattr(h, "_dokvault", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        handler._dokvault = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    logging.getLogger("dokvault").setLevel(level)
    logging.getLogger("workers").setLevel(level)
