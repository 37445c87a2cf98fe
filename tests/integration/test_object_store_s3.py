"""S3ObjectStore (the minio SDK) against real S3 servers: moto for the operations and
presigned URLs, s3rver for link expiry (moto does not check it)."""

from __future__ import annotations

import re
import time
from urllib.parse import unquote

import httpx
import pytest

from dokvault.settings import get_settings
from dokvault.storage.objects import CHUNK, S3ObjectStore, get_object_store

pytestmark = pytest.mark.integration

NORWEGIAN_NAME = "Kjøpekontrakt Strandkaien 12 – æøå ÆØÅ.pdf"


@pytest.fixture
def store(configure_dokvault, s3, bucket) -> S3ObjectStore:
    """The store the app builds from MINIO_* settings; it creates the bucket itself."""
    configure_dokvault(**s3.dokvault_settings(bucket))
    store = get_object_store()
    assert isinstance(store, S3ObjectStore)
    return store


def filename_in(content_disposition: str) -> str:
    """The UTF-8 file name (RFC 6266 filename*) of a Content-Disposition header."""
    match = re.search(r"filename\*=UTF-8''([^;]+)", content_disposition)
    assert match, content_disposition
    return unquote(match.group(1))


def test_put_file_then_read_it_back_in_chunks(store, tmp_path):
    data = bytes(range(256)) * (CHUNK // 256) + b"tail"  # more than one chunk
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    key = "7/1b4e28ba-2fa1-11d2-883f-0016d3cca427/0f8fad5b-d9cb-469f-a165-70867728950e.pdf"

    store.put_file(key, path, "application/pdf")

    assert store.exists(key)
    chunks = list(store.iter_chunks(key))
    assert len(chunks) >= 2 and max(map(len, chunks)) <= CHUNK  # streamed, never whole
    assert b"".join(chunks) == data
    with store.open(key) as fh:
        assert fh.read() == data


def test_put_bytes_exists_and_delete(store):
    key = "7/doc/thumb.png"
    assert not store.exists(key)
    store.put_bytes(key, b"\x89PNG thumbnail", "image/png")
    assert store.exists(key)
    stat = store.client.stat_object(store.bucket, key)
    assert (stat.size, stat.content_type) == (len(b"\x89PNG thumbnail"), "image/png")

    store.delete(key)
    assert not store.exists(key)


@pytest.mark.parametrize("key", ["", "/abs", "a/../b", "a//b"])
def test_unsafe_keys_are_refused(store, key):
    with pytest.raises(ValueError):
        store.put_bytes(key, b"x", "text/plain")


def test_presigned_get_returns_bytes_under_the_norwegian_name(store):
    key = "7/doc/a1b2.pdf"
    store.put_bytes(key, b"%PDF-1.7 kontrakt", "application/pdf")

    url = store.download_url(key, NORWEGIAN_NAME, "application/pdf")
    response = httpx.get(url)

    assert response.status_code == 200
    assert response.content == b"%PDF-1.7 kontrakt"
    assert response.headers["content-type"] == "application/pdf"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert filename_in(disposition) == NORWEGIAN_NAME
    assert key not in NORWEGIAN_NAME and NORWEGIAN_NAME not in url  # the name is no key


def test_presigned_put_uploads_straight_to_the_bucket(store):
    key = "7/doc/direct-upload.pdf"
    url = store.upload_url(key)

    response = httpx.put(url, content=b"%PDF-1.7 fra nettleseren")

    assert response.status_code == 200
    with store.open(key) as fh:
        assert fh.read() == b"%PDF-1.7 fra nettleseren"


def test_presigned_urls_use_the_public_endpoint(configure_dokvault, s3, bucket):
    settings = {**s3.dokvault_settings(bucket), "minio_public_endpoint": "https://filer.example.no"}
    configure_dokvault(**settings)
    store = S3ObjectStore(get_settings())  # no bucket call: signing needs no network

    url = store.download_url("7/doc/a.pdf", "a.pdf", "application/pdf")

    assert url.startswith(f"https://filer.example.no/{bucket}/7/doc/a.pdf?")


def test_health_check_needs_the_bucket(store, configure_dokvault, s3):
    store.check()

    configure_dokvault(**s3.dokvault_settings("dokvault-missing-bucket"))
    with pytest.raises(RuntimeError, match="does not exist"):
        S3ObjectStore(get_settings()).check()


def sign_at_start_of_a_second() -> None:
    """X-Amz-Date has whole seconds: a 1 s link signed at .9 would live 0.1 s."""
    while time.time() % 1 > 0.2:
        time.sleep(0.02)


def test_download_link_stops_working_after_its_lifetime(configure_dokvault, s3rver, bucket):
    configure_dokvault(**s3rver.dokvault_settings(bucket), download_link_seconds=1)
    store = get_object_store()
    key = "7/doc/kort-levetid.pdf"
    store.put_bytes(key, b"%PDF-1.7 kort", "application/pdf")

    sign_at_start_of_a_second()
    url = store.download_url(key, NORWEGIAN_NAME, "application/pdf")
    fresh = httpx.get(url)
    time.sleep(2.1)
    expired = httpx.get(url)

    assert fresh.status_code == 200
    assert fresh.content == b"%PDF-1.7 kort"
    assert filename_in(fresh.headers["content-disposition"]) == NORWEGIAN_NAME
    assert expired.status_code == 403
    assert b"expired" in expired.content


def test_unknown_access_key_is_refused(configure_dokvault, s3rver, bucket):
    """s3rver, like MinIO, checks the access key: a wrong one must not read objects."""
    configure_dokvault(**s3rver.dokvault_settings(bucket))
    get_object_store().put_bytes("7/doc/hemmelig.pdf", b"%PDF-1.7", "application/pdf")
    configure_dokvault(minio_access_key="WRONGKEY")
    store = S3ObjectStore(get_settings())

    response = httpx.get(store.download_url("7/doc/hemmelig.pdf", "h.pdf", "application/pdf"))

    assert response.status_code == 403


def test_listing_pages_past_a_thousand_keys(store):
    """The sanity check lists the whole bucket: ListObjectsV2 answers 1000 keys a page."""
    keys = {f"9/{n:05d}/original.txt" for n in range(1205)}
    for key in keys:
        store.put_bytes(key, b"x", "text/plain")
    listed = [obj.key for obj in store.iter_objects()]
    assert len(listed) == len(set(listed)) == 1205  # every page once, none twice
    assert set(listed) == keys
