"""API tokens: one per user, optionally expiring, revoked by a password change or on request.

- ADCREATOR_API_TOKEN_TTL_HOURS > 0: a token older than that is refused (401, saying so) and
  the next POST /api/v1/auth/token/ issues a new one.
- A password change deletes the user's token: whoever learnt the old password (and took a
  token with it) is locked out with it.
- DELETE /api/v1/auth/token/ deletes the caller's token (see adcreator.api.auth).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def token_lifetime() -> timedelta | None:
    hours = settings.ADCREATOR_API_TOKEN_TTL_HOURS
    return timedelta(hours=hours) if hours > 0 else None


def token_expired(token: Token, *, now=None) -> bool:
    lifetime = token_lifetime()
    return lifetime is not None and token.created + lifetime <= (now or timezone.now())


def token_for(user) -> Token:
    """The user's token, a new one if there is none or it has expired."""
    with transaction.atomic():
        token, _ = Token.objects.select_for_update().get_or_create(user=user)
        if token_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
    return token


def token_revoke(user) -> int:
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's `Authorization: Token <key>`, refusing keys past ADCREATOR_API_TOKEN_TTL_HOURS."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise AuthenticationFailed("This API token has expired; get a new one with POST /api/v1/auth/token/.",
                                       code="token_expired")
        return user, token


# --- a password change revokes the user's token ---------------------------------------------

_PASSWORD_CHANGED = "_adcreator_password_changed"


def _note_password_change(sender, instance, raw: bool = False, **kwargs) -> None:
    # Django's own notion of a password change: set_password() was called (it keeps the new
    # plain password in `_password` until the save). Its re-hash of a correct password at
    # login (new hasher settings) clears `_password` first: that is no change.
    if raw or instance.pk is None or getattr(instance, "_password", None) is None:
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        setattr(instance, _PASSWORD_CHANGED, True)


def _revoke_after_password_change(sender, instance, raw: bool = False, **kwargs) -> None:
    if getattr(instance, _PASSWORD_CHANGED, False):
        delattr(instance, _PASSWORD_CHANGED)
        token_revoke(instance)


def connect_signals() -> None:
    user_model = get_user_model()
    pre_save.connect(_note_password_change, sender=user_model, dispatch_uid="adcreator.api.tokens.note_password")
    post_save.connect(_revoke_after_password_change, sender=user_model,
                      dispatch_uid="adcreator.api.tokens.revoke_on_password")
