"""The shared rate limit: two app instances (two machines) counting one supporter in one real Redis.

`.ci/run` starts `redis-server` on loopback and passes its URL in SOLIDARITY_TEST_REDIS_URL. Outside CI,
without it, the test is skipped with the reason; in CI (CI=true) a missing Redis fails the run.
"""

from __future__ import annotations

import os
import secrets

import pytest

pytest.importorskip("flask_limiter", reason="the hosting extra is not installed: pip install -e '.[hosting]'")

from generator.web import create_app  # noqa: E402
from generator.web.hosting import HostingConfig  # noqa: E402

REDIS_URL = os.environ.get("SOLIDARITY_TEST_REDIS_URL")


@pytest.fixture
def redis_url() -> str:
    if not REDIS_URL:
        reason = ("SOLIDARITY_TEST_REDIS_URL is not set: start redis-server on loopback and set it, "
                  "like redis://127.0.0.1:6390/0 (.ci/run does)")
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    import redis

    redis.Redis.from_url(REDIS_URL, socket_timeout=5).ping()  # a Redis that does not answer is a failure
    return REDIS_URL


def test_two_instances_share_one_limit_through_redis(redis_url):
    salt = secrets.token_hex(8)  # a fresh name for this run's supporter, so earlier runs' counts do not matter
    config = HostingConfig(ratelimit="3 per minute", ratelimit_storage=redis_url, ratelimit_salt=salt)
    first, second = (create_app(hosting=config).test_client() for _ in range(2))
    form = {"message": "Free the medics", "format": "x"}
    statuses = [client.post("/api/preview", data=form).status_code for client in (first, second, first)]
    assert statuses == [200, 200, 200]
    refused = second.post("/api/preview", data=form)
    assert refused.status_code == 429, "the second machine did not see the first one's count"
    assert refused.get_json()["error"].startswith("You have made many images")
    assert first.post("/api/preview", data=form).status_code == 429
    # Another supporter is counted apart, on either machine.
    other = second.post("/api/preview", data=form, environ_base={"REMOTE_ADDR": "192.0.2.44"})
    assert other.status_code == 200


def test_redis_holds_no_supporters_address(redis_url):
    import redis

    salt = secrets.token_hex(8)
    config = HostingConfig(ratelimit="5 per minute", ratelimit_storage=redis_url, ratelimit_salt=salt)
    client = create_app(hosting=config).test_client()
    address = "198.51.100.23"
    assert client.post("/api/preview", data={"message": "Free them", "format": "x"},
                       environ_base={"REMOTE_ADDR": address}).status_code == 200
    keys = [key.decode() for key in redis.Redis.from_url(redis_url).keys("*")]
    assert keys and all(address not in key for key in keys)
