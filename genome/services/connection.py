"""A brand's Meta connection: connect, replace the token, disconnect, mark broken.

The access token is write-only everywhere: it is encrypted here and only ever decrypted by
genome.sources for the adapter; no answer, page, log line or job metadata contains it.
Disconnecting erases the token and stops every call; the synced history stays.
"""

from __future__ import annotations

import logging
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from adcreator.catalog.models import Brand
from adcreator.catalog.selectors import require_editor
from genome.models import AD_ACCOUNT_ID_PATTERN, AdAccount, Source
from genome.secrets import encrypt_token
from genome.sources import configured_source

logger = logging.getLogger(__name__)

AD_ACCOUNT_PATTERN = re.compile(AD_ACCOUNT_ID_PATTERN)
# Meta's long-lived tokens are ~200 characters; anything far longer is not a token.
MAX_TOKEN_LENGTH = 2000
# A token has no spaces and no NUL (the API schema says so with this pattern).
ACCESS_TOKEN_PATTERN = r"^[^\s\x00]*$"


class MetaConnectionError(ValueError):
    """A connection request with field errors ({field: [messages]})."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


def _check(ad_account_id: str, access_token: str, *, source: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(ad_account_id, str) or not AD_ACCOUNT_PATTERN.match(ad_account_id.strip()):
        errors["ad_account_id"] = ["An ad account id looks like act_ followed by digits (act_1234567890)."]
    token = access_token.strip() if isinstance(access_token, str) else None
    if token is None:
        errors["access_token"] = ["The access token must be text."]
    elif source == Source.GRAPH and not token:
        errors["access_token"] = ["An access token with the ads_read permission is needed to read this account."]
    elif len(token) > MAX_TOKEN_LENGTH or not re.match(ACCESS_TOKEN_PATTERN, token):
        errors["access_token"] = ["This is not an access token (too long, or it contains spaces)."]
    return errors


def meta_connection_set(*, brand: Brand, ad_account_id: str, access_token: str, user) -> AdAccount:
    """Connect the brand's ad account, or replace its token (a broken connection works again)."""
    require_editor(user=user, organization_id=brand.organization_id)
    source = configured_source()
    errors = _check(ad_account_id, access_token, source=source)
    if errors:
        raise MetaConnectionError(errors)
    token = access_token.strip()
    fields = {
        "ad_account_id": ad_account_id.strip(), "source": source, "status": AdAccount.Status.ACTIVE,
        "broken_reason": "", "broken_at": None, "connected_by": user if getattr(user, "pk", None) else None,
        "access_token_encrypted": encrypt_token(token) if token else "", "token_set_at": timezone.now() if token else None,
    }
    with transaction.atomic():
        account, created = AdAccount.objects.select_for_update().get_or_create(brand=brand, defaults=fields)
        if not created:
            if account.ad_account_id != fields["ad_account_id"] and account.performance.exists():
                raise MetaConnectionError({"ad_account_id": [
                    "This brand's history comes from another ad account; disconnect it before connecting a new one."]})
            for name, value in fields.items():
                setattr(account, name, value)
            account.save()
    logger.info("brand %s connected Meta ad account %s (%s)", brand.pk, account.ad_account_id, source)
    return account


def meta_connection_delete(*, brand: Brand, user) -> AdAccount | None:
    """Disconnect: the token is erased and nothing calls Meta; the synced history is kept."""
    require_editor(user=user, organization_id=brand.organization_id)
    account = AdAccount.objects.filter(brand=brand).first()
    if account is None:
        return None
    account.status = AdAccount.Status.DISCONNECTED
    account.access_token_encrypted = ""
    account.token_set_at = None
    account.save(update_fields=["status", "access_token_encrypted", "token_set_at", "updated_at"])
    return account


def meta_connection_mark_broken(*, account: AdAccount, reason: str) -> None:
    """Meta called the token invalid (190) or it cannot be decrypted: stop until it is replaced."""
    AdAccount.objects.filter(pk=account.pk).update(status=AdAccount.Status.BROKEN, broken_reason=reason[:300],
                                                   broken_at=timezone.now())
    logger.warning("Meta connection of brand %s is broken: %s", account.brand_id, reason)


def validation_error(exc: MetaConnectionError) -> ValidationError:
    return ValidationError({field: messages for field, messages in exc.errors.items()})
