"""Helpers for the unit tests on the embedded default."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from dokvault.models import Document
from dokvault.models.documents import DocumentStatus

FINAL = (DocumentStatus.READY, DocumentStatus.FAILED)


def wait_final(document_id: int, timeout: float = 20.0) -> Document:
    """Poll the database until the document is ready or failed."""
    from dokvault import db

    deadline = time.monotonic() + timeout
    while True:
        with db.session() as s:
            document = s.get(Document, document_id)
        assert document is not None, f"document {document_id} vanished"
        if document.status in FINAL:
            return document
        if time.monotonic() > deadline:
            raise AssertionError(
                f"document {document_id} still {document.status!r} after {timeout} s"
            )
        time.sleep(0.05)


def wait_until(condition, timeout: float = 15.0, what: str = "the condition"):
    """Poll `condition` until it returns something true (and return that), failing after
    `timeout` seconds: waiting on a condition, never for a fixed time."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met after {timeout} s")
        time.sleep(0.02)
    return result


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


BROWSER = ("pytest-browser", "nb-NO,nb;q=0.9")  # User-Agent and Accept-Language


def access_token(user_id: int, session_id: int, browser: tuple[str, str] = BROWSER) -> str:
    """An access token as the sign-in route would set it for this browser."""
    from dokvault.services.auth import tokens

    return tokens.issue_access(user_id, session_id, tokens.fingerprint(*browser))[0]


def page_state(state_cls, token: str | None, browser: tuple[str, str] = BROWSER):
    """A page state as Reflex builds it for an event, with the websocket handshake's
    headers (the access cookie among them); no browser, no running app."""
    from reflex.state import State

    root = State(_reflex_internal_init=True)
    state = root.get_substate(state_cls.get_full_name().split(".")[1:])
    handshake(state, token, browser)
    return state


def handshake(state, token: str | None, browser: tuple[str, str] = BROWSER,
              socket: str | None = None) -> None:
    """The headers of a websocket carrying `token` in its access cookie: a new connection
    (a new Socket.IO id) unless `socket` names the one the state has."""
    import uuid

    from reflex.istate.data import HeaderData, RouterData, SessionData

    root = state
    while root.parent_state is not None:
        root = root.parent_state
    cookie = "dokvault_lang=nb" + (f"; dokvault_access={token}" if token else "")
    root.router = RouterData(
        headers=HeaderData(cookie=cookie, user_agent=browser[0], accept_language=browser[1]),
        session=SessionData(client_ip="10.9.8.7", session_id=socket or uuid.uuid4().hex))


def handled(result):
    """What an event handler's call finally answers, run as Reflex runs it: a generator
    (a handler that first shows itself busy, state/busy.py) to its end, an async one in a
    fresh loop of its own thread (another test module may hold this thread's loop)."""
    import asyncio
    import concurrent.futures
    import inspect

    async def drain(agen):
        last = None
        async for item in agen:
            last = item if item is not None else last
        return last

    if inspect.isasyncgen(result) or inspect.iscoroutine(result):
        work = drain(result) if inspect.isasyncgen(result) else result
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, work).result()
    if inspect.isgenerator(result):
        last = None
        for item in result:
            last = item if item is not None else last
        return last
    return result


def upload_at_once(owner_id: int, paths: list[Path]) -> list[str]:
    """Each file through the intake by a thread of its own, all at once: "stored" or
    "refused" for each, in no particular order."""
    from dokvault.core.filenames import UploadRefused
    from dokvault.services import documents

    outcomes: list[str] = []

    def upload(path: Path) -> None:
        try:
            documents.ingest_path(owner_id, path)
            outcomes.append("stored")
        except UploadRefused:
            outcomes.append("refused")

    threads = [threading.Thread(target=upload, args=(p,)) for p in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def store_at_once(owner_id: int, files: dict[str, bytes], writer, on_stored=None) -> dict:
    """Each file ingested by a thread of its own through one RowWriter while its pen is held,
    so that all their rows wait for it; then the pen is let go: {name: Document or the
    exception it raised}."""
    from dokvault.services import documents

    outcomes: dict = {}

    def ingest(name: str, data: bytes) -> None:
        try:
            outcomes[name] = documents.ingest_stream(owner_id, name, [data], rows=writer,
                                                     on_stored=on_stored)
        except Exception as exc:
            outcomes[name] = exc

    threads = [threading.Thread(target=ingest, args=item) for item in files.items()]
    with writer._pen:
        for thread in threads:
            thread.start()
        wait_until(lambda: len(writer._queued) == len(files), what="every row queued")
    for thread in threads:
        thread.join()
    return outcomes
