"""Password guessing is throttled per account and per client address, in the shared cache.

Every door that checks a password (the login page, the admin's login, the API token endpoint)
asks `login_attempt(request, username)` before it does. An attempt takes a numbered slot in
the account's and in the address's current window; when all slots of either are taken, the
attempt is refused (`LoginLocked`, with the seconds until the window ends) and the password is
not even checked. A successful login gives its address slot back and clears the account's
window, so only failures count.

Slots, not counters: a slot is taken with `cache.add`, which is atomic on every backend we use
(Redis SET NX, the database cache's primary key), so parallel guesses cannot share a slot. A
counter would need an atomic increment, which the database cache does not have. A window
begins with the first attempt after the previous one ended (it is not aligned to the clock),
so the limit holds over any span of that length.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

from adcreator.web.client_address import client_address

_PREFIX = "login-throttle"


def _now() -> float:
    """Wall-clock seconds (a window's start is shared by processes and machines)."""
    return time.time()


class LoginLocked(Exception):
    def __init__(self, retry_after: int, scope: str):
        super().__init__(f"too many failed logins for this {scope}; retry in {retry_after} s")
        self.retry_after = retry_after
        self.scope = scope


def retry_phrase(seconds: int) -> str:
    """"3 minutes", "45 seconds": rounded up, so the client never comes back too early."""
    if seconds >= 90:
        minutes = math.ceil(seconds / 60)
        return f"{minutes} minutes"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def lockout_message(locked: LoginLocked) -> str:
    return f"Too many failed login attempts. Try again in {retry_phrase(locked.retry_after)}."


@dataclass
class _Window:
    scope: str
    identity: str
    limit: int
    seconds: int

    @property
    def base(self) -> str:
        digest = hashlib.sha256(self.identity.encode("utf-8", "surrogatepass")).hexdigest()[:40]
        return f"{_PREFIX}:{self.scope}:{digest}"

    def start(self, now: float) -> float:
        start_key = f"{self.base}:start"
        cache.add(start_key, now, timeout=self.seconds)
        started = cache.get(start_key)
        return now if started is None else float(started)

    def take_slot(self, now: float) -> str:
        """The key of the slot taken; LoginLocked when every slot of the window is taken."""
        started = self.start(now)
        ends = started + self.seconds
        keys = [f"{self.base}:{int(started * 1000)}:{number}" for number in range(self.limit)]
        taken = cache.get_many(keys)
        lifetime = max(1, math.ceil(ends - now))
        for key in keys:
            if key not in taken and cache.add(key, 1, timeout=lifetime):
                return key
        raise LoginLocked(retry_after=max(1, math.ceil(ends - now)), scope=self.scope)

    def clear(self) -> None:
        cache.delete(f"{self.base}:start")


@dataclass
class LoginAttempt:
    windows: list[_Window]
    slots: list[str] = field(default_factory=list)

    def succeeded(self) -> None:
        """The password was right: the attempt is no failure, and the account starts afresh."""
        cache.delete_many(self.slots)
        for window in self.windows:
            if window.scope == "account":
                window.clear()


def login_attempt(request, username: str | None) -> LoginAttempt:
    """Take this attempt's slots or raise LoginLocked. Call before checking the password."""
    seconds = settings.ADCREATOR_LOGIN_WINDOW_SECONDS
    windows = [_Window("address", client_address(request), settings.ADCREATOR_LOGIN_FAILURES_PER_ADDRESS, seconds)]
    account = (username or "").strip().casefold()
    if account:
        windows.append(_Window("account", account, settings.ADCREATOR_LOGIN_FAILURES_PER_ACCOUNT, seconds))
    attempt = LoginAttempt(windows)
    now = _now()
    try:
        for window in windows:
            attempt.slots.append(window.take_slot(now))
    except LoginLocked:
        # A refused attempt checks no password: it gives back what it took.
        cache.delete_many(attempt.slots)
        raise
    return attempt
