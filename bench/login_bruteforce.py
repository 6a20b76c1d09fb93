"""Password guessing against the login page and the API token endpoint: when is it refused?

Run: .venv/bin/python bench/login_bruteforce.py [--attempts 200]
In-process (Django's test client) on a throwaway database (SQLite, or PostgreSQL when
DATABASE_URL is set), with the real password hasher and the shared cache `migrate` set up.
Each scenario sends --attempts wrong passwords, every one with a new X-Forwarded-For, then the
right password, and prints the attempt at which the first refusal came, how many were refused,
the lockout message, and what the right password got at the end:
  1. one account, the header rotated by the client, no trusted proxy (the issue's attack);
  2. a new account name every time from one address (the per-address limit);
  3. behind one trusted proxy, new account names, the client rotating the part of the header
     it controls (the address limit must still hold);
  4. behind one trusted proxy, a botnet: every guess from a new real address, one account;
  5. the same botnet spraying a new account name per guess: what these limits cannot stop
     (attempts/5 of them: every guess there costs a real password hash, ~0.5 s).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def scenarios(attempts: int):
    """name → (trusted proxies, username for guess i, X-Forwarded-For for guess i[, guesses])."""
    return {
        "1. one account, rotating X-Forwarded-For, no trusted proxy":
            (0, lambda i: "alice", lambda i: f"198.51.{i // 250}.{i % 250}"),
        "2. a new account name each time, one address":
            (0, lambda i: f"user{i}", lambda i: f"198.51.{i // 250}.{i % 250}"),
        "3. one trusted proxy, new account names, the client rotating its part of the header":
            (1, lambda i: f"user{i}", lambda i: f"198.51.{i // 250}.{i % 250}, 203.0.113.7"),
        "4. one trusted proxy, every guess from a new real address (a botnet), one account":
            (1, lambda i: "alice", lambda i: f"203.0.{i // 250}.{i % 250}"),
        "5. the same botnet, a new account name per guess (password spraying)":
            (1, lambda i: f"user{i}", lambda i: f"203.0.{i // 250}.{i % 250}", max(1, attempts // 5)),
    }


def run(attempts: int) -> None:
    from bench.throwaway import throwaway_database

    with throwaway_database("bruteforce") as vendor:
        import logging

        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.core.cache import cache
        from django.test import Client

        logging.getLogger("django.request").setLevel(logging.ERROR)  # every 429 is logged; the figures are the output
        get_user_model().objects.create_user("alice", password="the-right-password-1")
        print(f"{attempts} wrong passwords per scenario and door (5: {max(1, attempts // 5)}), then the right one; "
              f"database {vendor}, cache "
              f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; limits: "
              f"{settings.ADCREATOR_LOGIN_FAILURES_PER_ACCOUNT} failures per account and "
              f"{settings.ADCREATOR_LOGIN_FAILURES_PER_ADDRESS} per address in "
              f"{settings.ADCREATOR_LOGIN_WINDOW_SECONDS // 60} min")
        doors = {
            "login page": lambda client, username, password, forwarded: client.post(
                "/accounts/login/", {"username": username, "password": password}, HTTP_X_FORWARDED_FOR=forwarded),
            "token endpoint": lambda client, username, password, forwarded: client.post(
                "/api/v1/auth/token/", {"username": username, "password": password}, content_type="application/json",
                HTTP_X_FORWARDED_FOR=forwarded),
        }
        for name, (proxies, username_for, forwarded_for, *limit) in scenarios(attempts).items():
            guesses = limit[0] if limit else attempts
            settings.ADCREATOR_TRUSTED_PROXIES = proxies
            print(f"\n{name} (ADCREATOR_TRUSTED_PROXIES={proxies})")
            for door, send in doors.items():
                cache.clear()
                client = Client(REMOTE_ADDR="10.0.0.2")  # the proxy's (or the attacker's) socket address
                first_refused, refused, message = None, 0, ""
                started = time.perf_counter()
                for i in range(guesses):
                    response = send(client, username_for(i), f"guess-{i}", forwarded_for(i))
                    if response.status_code == 429:
                        refused += 1
                        if first_refused is None:
                            first_refused = i + 1
                            message = _message(response)
                elapsed = time.perf_counter() - started
                right = send(client, "alice", "the-right-password-1", forwarded_for(guesses))
                outcome = {200: "accepted (token)", 302: "logged in", 429: "refused (429)"}.get(right.status_code,
                                                                                                 right.status_code)
                first = f"first refused at attempt {first_refused}" if first_refused else "never refused"
                print(f"  {door:<15} {first}; {refused}/{guesses} refused in {elapsed:.1f}s; "
                      f"then the right password: {outcome}" + (f"\n  {'':<15} \"{message}\"" if message else ""))


def _message(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        return response.json()["error"]["message"]
    text = response.content.decode()
    start = text.find("Too many")
    return text[start:text.find("<", start)] if start >= 0 else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attempts", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    run(args.attempts)


if __name__ == "__main__":
    main()
