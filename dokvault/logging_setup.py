import logging
import sys

from dokvault.settings import get_settings

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the moment of the record, not the one at set-up
    (test runners and daemons swap it; a stale stream fails with "closed file")."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:  # StreamHandler.__init__ assigns it
        pass


def configure_logging() -> None:
    level = get_settings().log_level.upper()
    root = logging.getLogger()
    if not any(isinstance(h, StderrHandler) for h in root.handlers):
        handler = StderrHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    logging.getLogger("dokvault").setLevel(level)
    logging.getLogger("workers").setLevel(level)
