"""Forget cached settings, engine and object store (after the environment changed)."""

from dokvault.db import get_engine
from dokvault.services import crypto, keystore, ratelimit, tokens
from dokvault.settings import get_settings
from dokvault.storage.objects import get_object_store


def reset_caches() -> None:
    if get_engine.cache_info().currsize:
        get_engine().dispose()  # close the old pool's connections
    get_settings.cache_clear()
    get_engine.cache_clear()
    get_object_store.cache_clear()
    keystore._redis.cache_clear()
    crypto._fernet.cache_clear()
    ratelimit._limiter.cache_clear()
    tokens.signing_key.cache_clear()
    tokens.session_of.cache_clear()
