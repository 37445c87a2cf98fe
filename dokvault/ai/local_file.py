"""The local model as a file: a versioned file signed with HMAC-SHA256 under a key derived
from SECRET_KEY, holding JSON metadata and an .npz of plain arrays - never a pickle. A file
with a bad signature or another format version is refused; nothing is parsed before the
signature holds."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import struct
from pathlib import Path

import numpy as np
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dokvault.ai.field_model import FieldModel
from dokvault.ai.local import FORMAT_VERSION, N_FEATURES, ModelBundle, ModelRefused
from dokvault.settings import get_settings

MAGIC = b"DOKVAULT-LOCAL-MODEL\n"


def model_key() -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"dokvault",
                info=b"local-classifier-model").derive(get_settings().signing_key())


_ARRAYS = ("columns", "idf", "type_coef", "type_intercept", "tag_coef", "tag_intercept")


def dumps(bundle: ModelBundle, key: bytes | None = None) -> bytes:
    """MAGIC, format version, HMAC-SHA256, then JSON metadata and an .npz of the arrays."""
    arrays = {name: getattr(bundle, name) for name in _ARRAYS if getattr(bundle, name) is not None}
    if bundle.fields is not None:
        arrays.update(bundle.fields.arrays())
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    meta = json.dumps(bundle.metadata(), ensure_ascii=False).encode()
    body = struct.pack(">I", len(meta)) + meta + buffer.getvalue()
    head = MAGIC + struct.pack(">H", bundle.format_version)
    mac = hmac.new(key or model_key(), head + body, hashlib.sha256).digest()
    return head + mac + body


def loads(data: bytes, key: bytes | None = None) -> ModelBundle:
    """The bundle in `data`, or ModelRefused. Nothing is parsed before the signature holds."""
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 2 + 32 + 4:
        raise ModelRefused("not a DokVault model file")
    (version,) = struct.unpack(">H", data[len(MAGIC):len(MAGIC) + 2])
    if version != FORMAT_VERSION:
        raise ModelRefused(f"format version {version}, this DokVault reads {FORMAT_VERSION}")
    head_end = len(MAGIC) + 2
    mac, body = data[head_end:head_end + 32], data[head_end + 32:]
    expected = hmac.new(key or model_key(), data[:head_end] + body, hashlib.sha256).digest()
    if not hmac.compare_digest(mac, expected):
        raise ModelRefused("bad signature (changed, or signed with another SECRET_KEY)")
    try:
        (meta_len,) = struct.unpack(">I", body[:4])
        meta = json.loads(body[4:4 + meta_len])
        with np.load(io.BytesIO(body[4 + meta_len:]), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        bundle = ModelBundle(
            fingerprint=meta["fingerprint"], n_samples=int(meta["n_samples"]), columns=arrays["columns"],
            idf=arrays["idf"], type_classes=list(meta["type_classes"]), type_coef=arrays.get("type_coef"),
            type_intercept=arrays.get("type_intercept"), temperature=float(meta["temperature"]),
            rule_weight=float(meta["rule_weight"]),
            tag_names=list(meta["tag_names"]), tag_coef=arrays.get("tag_coef"),
            tag_intercept=arrays.get("tag_intercept"), created=meta.get("created", ""),
            train_seconds=float(meta.get("train_seconds", 0)), format_version=int(meta["format_version"]),
        )
        if meta["field_keys"]:
            bundle.fields = FieldModel.from_arrays(list(meta["field_keys"]), int(meta["field_documents"]),
                                                   arrays)
    except (KeyError, ValueError, TypeError, struct.error, OSError) as exc:
        raise ModelRefused(f"signed but unreadable: {exc}") from exc
    _check_shapes(bundle)
    return bundle


def _check_shapes(b: ModelBundle) -> None:
    width = len(b.columns)
    in_range = b.columns.size == 0 or (b.columns.min() >= 0 and b.columns.max() < N_FEATURES)
    ok = b.idf.shape == (width,) and in_range
    if b.type_classes:
        ok = ok and b.type_coef is not None and b.type_coef.shape == (len(b.type_classes), width) \
            and b.type_intercept is not None and b.type_intercept.shape == (len(b.type_classes),)
    if b.tag_names:
        ok = ok and b.tag_coef is not None and b.tag_coef.shape == (len(b.tag_names), width) \
            and b.tag_intercept is not None and b.tag_intercept.shape == (len(b.tag_names),)
    if not ok:
        raise ModelRefused("signed but inconsistent arrays")


def save(bundle: ModelBundle, path: Path, key: bytes | None = None) -> None:
    """Write atomically: a reader sees the old file or the new one, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(dumps(bundle, key))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def load(path: Path, key: bytes | None = None) -> ModelBundle:
    return loads(Path(path).read_bytes(), key)
