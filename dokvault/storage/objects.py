"""Object storage: a local folder (embedded default) or S3/MinIO through the minio SDK."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import quote, urlsplit

import urllib3
from minio import Minio
from minio.error import S3Error

from dokvault.core.caches import per_settings
from dokvault.settings import Settings, get_settings

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    modified: datetime  # aware, UTC


class ObjectStore(Protocol):
    # The file is handed over: the local store moves it into place, S3 uploads it; the
    # caller removes what is left (missing_ok).
    def put_file(self, key: str, path: Path, content_type: str) -> None: ...
    def put_bytes(self, key: str, data: bytes, content_type: str) -> None: ...
    def open(self, key: str) -> BinaryIO: ...
    def iter_chunks(self, key: str) -> Iterator[bytes]: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def download_url(self, key: str, filename: str, content_type: str) -> str | None: ...
    def upload_url(self, key: str) -> str | None: ...
    def check(self) -> None: ...
    # Every key, streamed (one page at a time on S3), for the sanity check.
    def iter_objects(self) -> Iterator[StoredObject]: ...


def _safe_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"invalid object key: {key!r}")
    return key


def content_disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


class LocalObjectStore:
    """Objects as files under one folder; writes go to a temp file, then an atomic rename."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / _safe_key(key)

    def put_file(self, key: str, path: Path, content_type: str) -> None:
        """Move the finished file into place (the spool folder is in the same data folder:
        a rename, nothing is written again); `path` is gone afterwards."""
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(path, target)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            # The objects folder is on another file system: copy, then rename atomically.
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            os.close(fd)
            shutil.copyfile(path, tmp)
            os.replace(tmp, target)
            path.unlink()

    def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".tmp-{target.name}")
        tmp.write_bytes(data)
        os.replace(tmp, target)

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def iter_chunks(self, key: str) -> Iterator[bytes]:
        with self.open(key) as fh:
            while chunk := fh.read(CHUNK):
                yield chunk

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def download_url(self, key: str, filename: str, content_type: str) -> str | None:
        return None  # served by the app's streaming download route

    def upload_url(self, key: str) -> str | None:
        return None

    def iter_objects(self) -> Iterator[StoredObject]:
        for dirpath, _dirs, files in os.walk(self.root):
            for name in files:
                if name.startswith("."):  # temp files of a write in flight, the health probe
                    continue
                path = Path(dirpath) / name
                try:
                    stat = path.stat()
                except FileNotFoundError:  # deleted while listing
                    continue
                yield StoredObject(path.relative_to(self.root).as_posix(), stat.st_size,
                                   datetime.fromtimestamp(stat.st_mtime, UTC))

    def check(self) -> None:
        probe = self.root / ".health"
        probe.write_text("ok")
        probe.unlink()


class S3ObjectStore:
    """S3-compatible storage; presigned URLs are signed for MINIO_PUBLIC_ENDPOINT."""

    def __init__(self, settings: Settings):
        self.bucket = settings.minio_bucket
        secret = settings.minio_secret_key.get_secret_value()
        # Bounded waits: an unreachable store must not hang uploads or the health check.
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=5, read=120),
            maxsize=10,
            retries=urllib3.Retry(total=3, backoff_factor=0.2,
                                  status_forcelist=[500, 502, 503, 504]),
        )
        self.client = Minio(
            settings.minio_endpoint,
            access_key=settings.minio_access_key,
            secret_key=secret,
            secure=settings.minio_secure,
            region=settings.minio_region,
            http_client=http,
        )
        public = settings.minio_public_endpoint or settings.minio_endpoint
        parsed = urlsplit(public if "://" in public else f"//{public}")
        self.public_client = Minio(
            parsed.netloc,
            access_key=settings.minio_access_key,
            secret_key=secret,
            secure=parsed.scheme == "https" if parsed.scheme else settings.minio_secure,
            region=settings.minio_region,  # known region: presigning needs no network call
        )
        self.link_ttl = timedelta(seconds=settings.download_link_seconds)

    def ensure_bucket(self) -> None:
        if not self.client.bucket_exists(self.bucket):
            self.client.make_bucket(self.bucket)

    def put_file(self, key: str, path: Path, content_type: str) -> None:
        self.client.fput_object(self.bucket, _safe_key(key), str(path), content_type=content_type)

    def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        import io

        self.client.put_object(
            self.bucket, _safe_key(key), io.BytesIO(data), len(data), content_type=content_type
        )

    def open(self, key: str) -> BinaryIO:
        return self.client.get_object(self.bucket, _safe_key(key))  # type: ignore[return-value]

    def iter_chunks(self, key: str) -> Iterator[bytes]:
        response = self.client.get_object(self.bucket, _safe_key(key))
        try:
            yield from response.stream(CHUNK)
        finally:
            response.close()
            response.release_conn()

    def delete(self, key: str) -> None:
        self.client.remove_object(self.bucket, _safe_key(key))

    def exists(self, key: str) -> bool:
        try:
            self.client.stat_object(self.bucket, _safe_key(key))
            return True
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NotFound", "NoSuchObject"):
                return False
            raise

    def download_url(self, key: str, filename: str, content_type: str) -> str | None:
        return self.public_client.presigned_get_object(
            self.bucket,
            _safe_key(key),
            expires=self.link_ttl,
            response_headers={
                "response-content-disposition": content_disposition(filename),
                "response-content-type": content_type,
            },
        )

    def upload_url(self, key: str) -> str | None:
        return self.public_client.presigned_put_object(
            self.bucket, _safe_key(key), expires=self.link_ttl
        )

    def iter_objects(self) -> Iterator[StoredObject]:
        # The SDK pages through ListObjectsV2 (1000 keys a request) as it is iterated.
        for obj in self.client.list_objects(self.bucket, recursive=True):
            if obj.is_dir or obj.object_name is None:
                continue
            modified = obj.last_modified or datetime.now(UTC)
            yield StoredObject(obj.object_name, obj.size or 0, modified.astimezone(UTC))

    def check(self) -> None:
        if not self.client.bucket_exists(self.bucket):
            raise RuntimeError(f"bucket {self.bucket!r} does not exist")


@per_settings
def get_object_store() -> ObjectStore:
    settings = get_settings()
    if settings.minio_endpoint:
        store = S3ObjectStore(settings)
        try:
            store.ensure_bucket()
        except Exception as exc:  # the health check reports it; uploads fail with a message
            log.warning("object store not reachable at start-up: %s", type(exc).__name__)
        return store
    return LocalObjectStore(settings.object_dir)
