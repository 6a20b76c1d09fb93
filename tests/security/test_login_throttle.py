"""Issue 11: password guessing is throttled for real — per account and per client address, on the
login page, the admin's login and the token endpoint, in a cache every process shares."""

import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from adcreator.web import throttle
from tests.support.worker import REPO_ROOT, database_env

PER_ACCOUNT = 5
PER_ADDRESS = 20
WINDOW = 900


@pytest.fixture(autouse=True)
def limits(settings):
    settings.ADCREATOR_LOGIN_FAILURES_PER_ACCOUNT = PER_ACCOUNT
    settings.ADCREATOR_LOGIN_FAILURES_PER_ADDRESS = PER_ADDRESS
    settings.ADCREATOR_LOGIN_WINDOW_SECONDS = WINDOW
    settings.ADCREATOR_TRUSTED_PROXIES = 0
    return settings


@pytest.fixture
def alice(db):
    return get_user_model().objects.create_user("alice", password="right-pw")


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("root", password="right-pw", is_staff=True, is_superuser=True)


def page_login(client, username, password, **headers):
    return client.post("/accounts/login/", {"username": username, "password": password}, **headers)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_the_login_page_locks_an_account_after_its_failures_even_for_the_right_password(alice):
    client = Client()
    for i in range(PER_ACCOUNT):
        response = page_login(client, "alice", f"guess-{i}")
        assert response.status_code == 200 and "didn't match" in response.content.decode()
    locked = page_login(client, "alice", "right-pw")
    assert locked.status_code == 429 and not logged_in(client)
    assert 0 < int(locked["Retry-After"]) <= WINDOW
    assert "Too many failed login attempts. Try again in 15 minutes." in locked.content.decode()
    # Another account from elsewhere is not affected by alice's lock... but alice is, from anywhere.
    get_user_model().objects.create_user("bob", password="bob-pw")
    assert page_login(Client(REMOTE_ADDR="10.9.9.9"), "bob", "bob-pw").status_code == 302
    assert page_login(Client(REMOTE_ADDR="10.9.9.9"), "alice", "right-pw").status_code == 429


@pytest.mark.django_db
def test_the_admin_login_is_throttled_the_same_way(staff):
    client = Client()
    for i in range(PER_ACCOUNT):
        assert client.post("/admin/login/", {"username": "root", "password": f"guess-{i}"}).status_code == 200
    locked = client.post("/admin/login/", {"username": "root", "password": "right-pw", "next": "/admin/"})
    assert locked.status_code == 429 and not logged_in(client)
    assert "Too many failed login attempts" in locked.content.decode() and int(locked["Retry-After"]) > 0


@pytest.mark.django_db
def test_the_token_endpoint_locks_the_account_with_429_and_retry_after(alice):
    client = APIClient()
    for i in range(PER_ACCOUNT):
        assert client.post("/api/v1/auth/token/", {"username": "alice", "password": f"g{i}"},
                           format="json").status_code == 400
    locked = client.post("/api/v1/auth/token/", {"username": "alice", "password": "right-pw"}, format="json")
    assert locked.status_code == 429 and 0 < int(locked["Retry-After"]) <= WINDOW
    error = locked.json()["error"]
    assert error["code"] == "throttled" and "Try again in 15 minutes" in error["message"]


@pytest.mark.django_db
def test_rotating_x_forwarded_for_does_not_escape_the_address_limit(alice):
    # No trusted proxy: the socket address counts, whatever the client writes in the header.
    client = Client()
    statuses = [page_login(client, f"user{i}", "nope", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code
                for i in range(PER_ADDRESS + 3)]
    assert statuses == [200] * PER_ADDRESS + [429] * 3
    api_refused = APIClient().post("/api/v1/auth/token/", {"username": "alice", "password": "right-pw"},
                                   format="json", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert api_refused.status_code == 429  # the same address, at another door


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_has_its_own_count(alice, limits):
    limits.ADCREATOR_TRUSTED_PROXIES = 1
    proxy = Client(REMOTE_ADDR="10.0.0.2")  # every request arrives from the proxy
    for i in range(PER_ADDRESS):
        page_login(proxy, f"user{i}", "nope", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert page_login(proxy, "x", "nope", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7").status_code == 429
    # Another client behind the same proxy is fine; a spoofed left entry changed nothing above.
    assert page_login(proxy, "alice", "right-pw", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 302


@pytest.mark.django_db
def test_a_successful_login_forgives_the_accounts_failures(alice):
    for _ in range(2):
        client = Client()
        for i in range(PER_ACCOUNT - 1):
            assert page_login(client, "alice", f"guess-{i}").status_code == 200
        assert page_login(client, "alice", "right-pw").status_code == 302 and logged_in(client)


@pytest.mark.django_db
def test_the_lock_ends_with_the_window(alice, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(throttle, "_now", lambda: now[0])
    for i in range(PER_ACCOUNT):
        page_login(Client(), "alice", f"guess-{i}")
    now[0] += 60
    locked = page_login(Client(), "alice", "right-pw")
    assert locked.status_code == 429 and int(locked["Retry-After"]) == WINDOW - 60
    assert "Try again in 14 minutes." in locked.content.decode()
    # The cache's own expiry cannot be moved in a test: the window's start key is cleared instead,
    # as its timeout would (the slots of a window are keyed by its start).
    from django.core.cache import cache

    now[0] += WINDOW
    cache.delete_many([key for key in _cache_keys() if key.endswith(":start")])
    assert page_login(Client(), "alice", "right-pw").status_code == 302


def _cache_keys() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM adcreator_cache")
        # The database cache stores keys as ":<version>:<key>".
        return [row[0].split(":", 2)[2] for row in cursor.fetchall()]


@pytest.mark.parametrize(("seconds", "phrase"), [(900, "15 minutes"), (91, "2 minutes"), (89, "89 seconds"),
                                                 (1, "1 second")])
def test_the_lockout_message_says_when_to_retry(seconds, phrase):
    assert throttle.retry_phrase(seconds) == phrase


def test_the_counters_live_in_a_cache_every_process_shares():
    backend = django_settings.CACHES["default"]["BACKEND"]
    assert backend in ("django.core.cache.backends.db.DatabaseCache", "django.core.cache.backends.redis.RedisCache")
    with_redis = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                               "print(settings.CACHES['default']['BACKEND'])"],
        cwd=REPO_ROOT, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "adcreator.settings", "REDIS_URL": "redis://r:6379/0",
             "ADCREATOR_VAR_DIR": str(REPO_ROOT / "var")})
    assert with_redis.stdout.strip() == "django.core.cache.backends.redis.RedisCache", with_redis.stderr


@pytest.mark.django_db(transaction=True)
def test_another_process_sees_the_lock(alice):
    for i in range(PER_ACCOUNT):
        page_login(Client(), "alice", f"guess-{i}")
    probe = ("from django.test import RequestFactory\n"
             "from adcreator.web.throttle import LoginLocked, login_attempt\n"
             "try:\n    login_attempt(RequestFactory().post('/', REMOTE_ADDR='10.7.7.7'), 'alice')\n"
             "except LoginLocked as locked:\n    print('locked', locked.scope)\n"
             "else:\n    print('open')\n")
    import os

    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", probe], cwd=REPO_ROOT, capture_output=True,
                            text=True, env={**os.environ, **database_env()})
    assert result.stdout.strip().splitlines()[-1] == "locked account", result.stdout + result.stderr
