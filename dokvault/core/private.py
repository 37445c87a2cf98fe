"""The data folder is its owner's only: folders 0700, files 0600 - the SQLite database and
its -wal/-shm, objects, spool files, the generated secret key, the classifier model.

Every process that writes there (the `dokvault` command, the app, production workers) calls
`make_private()` first: the umask makes whatever it creates owner-only, and a data folder
left readable by an older version is tightened once.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from dokvault.settings import get_settings

log = logging.getLogger(__name__)
OWNER_ONLY_UMASK = 0o077


def make_private(data_dir: Path | None = None) -> None:
    os.umask(OWNER_ONLY_UMASK)
    root = data_dir or get_settings().data_dir
    if not root.exists():
        return  # created later under the umask
    if stat.S_IMODE(root.stat().st_mode) & 0o077:
        log.warning("data folder %s was open to other users: making it the owner's only", root)
        tighten(root)


def tighten(root: Path) -> int:
    """Take group and other permissions off `root` and everything under it (the owner's
    bits are kept; symlinks are not followed). Returns how many entries changed."""
    changed = 0
    for folder, _dirs, files in os.walk(root):  # each folder comes up once as `folder`
        for path in (folder, *(os.path.join(folder, name) for name in files)):
            try:
                info = os.lstat(path)
                mode = stat.S_IMODE(info.st_mode)
                if stat.S_ISLNK(info.st_mode) or not mode & 0o077:
                    continue
                os.chmod(path, mode & ~0o077)
                changed += 1
            except OSError as exc:  # someone else's file, or gone meanwhile
                log.warning("could not make %s private: %s", path, exc.strerror)
    return changed
