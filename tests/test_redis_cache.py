"""The Redis cache backend of production (lyonassos/redis_cache.py), against the Redis of this
machine (database 15, keys of a prefix of this run's own, so that runs side by side never meet);
skipped where no Redis answers."""

import socket
import threading
import uuid

import pytest

from lyonassos.redis_cache import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_cache():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"tests-{uuid.uuid4().hex}", "TIMEOUT": 60})
    yield cache
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(match=f"{cache.key_prefix}:*"):
        client.delete(key)


def test_it_caches_as_django_redis_cache_does(redis_cache):
    redis_cache.set("listings-version", 1)
    assert redis_cache.incr("listings-version") == 2
    assert redis_cache.get("listings-version") == 2
    assert redis_cache.add("listings-version", 5) is False
    redis_cache.set_many({"a": [1, 2], "b": {"c": 3}}, timeout=60)
    assert redis_cache.get_many(["a", "b", "missing"]) == {"a": [1, 2], "b": {"c": 3}}
    assert redis_cache.delete("a") is True
    assert redis_cache.get("a", "gone") == "gone"


def test_one_client_per_connection_pool(redis_cache):
    backend = redis_cache._cache
    assert backend.get_client(write=True) is backend.get_client(write=True)
    assert backend.get_client("any key") is backend.get_client("other key")


def test_threads_share_the_client(redis_cache):
    errors = []

    def work(n):
        try:
            for i in range(50):
                redis_cache.set(f"k{n}:{i}", i)
                assert redis_cache.get(f"k{n}:{i}") == i
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(redis_cache._cache._clients) == 1
