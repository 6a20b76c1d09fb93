import pytest


@pytest.fixture(autouse=True)
def _clean_shared_cache(django_db_setup, django_db_blocker):
    """Throttle counters live in the shared cache (a table of the test database): a clean slate."""
    from django.core.cache import cache

    with django_db_blocker.unblock():
        cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hundreds of password checks: PBKDF2's deliberate slowness would dominate for nothing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
