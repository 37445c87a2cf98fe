"""The files in a folder and its subfolders, page by page, within bounds."""

from __future__ import annotations

from collections.abc import Iterator

from dokvault.drives.types import CloudDrive, Entry

MAX_FILES = 2000  # files one folder import or sync takes at most
MAX_DEPTH = 8     # subfolder levels below the folder


def walk_files(drive: CloudDrive, folder_id: str, *, max_files: int = MAX_FILES,
               max_depth: int = MAX_DEPTH) -> Iterator[Entry]:
    """Every file below `folder_id` (breadth first), at most `max_files`, `max_depth` deep."""
    queue: list[tuple[str, int]] = [(folder_id, 0)]
    seen = {folder_id}
    count = 0
    while queue:
        folder, depth = queue.pop(0)
        token = None
        while True:
            page = drive.list(folder, token)
            for entry in page.entries:
                if entry.is_folder:
                    if depth < max_depth and entry.id not in seen:
                        seen.add(entry.id)
                        queue.append((entry.id, depth + 1))
                    continue
                yield entry
                count += 1
                if count >= max_files:
                    return
            if not (token := page.next_token):
                break
