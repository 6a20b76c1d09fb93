"""The Meta access token at rest: encrypted with Fernet (AES-128-CBC + HMAC), never stored plain.

The key is `ADCREATOR_META_TOKEN_KEY` (a Fernet key) when set, else derived from SECRET_KEY
with HKDF, so a database dump alone never reveals a token. Rotating the key makes stored
tokens unreadable: the connection then reports itself broken and asks for the token again.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class TokenUnreadable(Exception):
    """The stored token cannot be decrypted with the current key."""


@lru_cache(maxsize=4)
def _fernet(configured_key: str, secret_key: str) -> Fernet:
    if configured_key:
        return Fernet(configured_key.encode())
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"adcreator meta access token").derive(
        secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _cipher() -> Fernet:
    return _fernet(settings.ADCREATOR_META_TOKEN_KEY, settings.SECRET_KEY)


def encrypt_token(token: str) -> str:
    return _cipher().encrypt(token.encode()).decode()


def decrypt_token(ciphertext: str) -> str:
    try:
        return _cipher().decrypt(ciphertext.encode()).decode()
    except (InvalidToken, ValueError) as exc:
        raise TokenUnreadable("the stored access token cannot be decrypted with the current key") from exc
