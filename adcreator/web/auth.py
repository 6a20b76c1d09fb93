"""Login pages with the password-guessing throttle: the site's login and the admin's.

The form asks the throttle before it checks the password (adcreator.web.throttle). A refused
login shows when to retry and answers HTTP 429 with Retry-After; the admin's login page gets
the same form through `admin.site.login_form` (set in WebConfig.ready), and the status through
`LoginLockoutMiddleware`, since the admin renders its login page itself.
"""

from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError

from adcreator.web.throttle import LoginLocked, lockout_message, login_attempt

_RETRY_AFTER_ATTRIBUTE = "login_retry_after"


class ThrottledLoginMixin:
    """For an AuthenticationForm: no password is checked once the account or address is locked."""

    locked: LoginLocked | None = None

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is None or self.cleaned_data.get("password") is None:
            return super().clean()  # a missing field: its own error, no password to check
        try:
            attempt = login_attempt(self.request, username)
        except LoginLocked as locked:
            self.locked = locked
            if self.request is not None:
                setattr(self.request, _RETRY_AFTER_ATTRIBUTE, locked.retry_after)
            raise ValidationError(lockout_message(locked), code="throttled") from None
        cleaned = super().clean()  # raises on a wrong password: the attempt stays counted
        attempt.succeeded()
        return cleaned


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class ThrottledLoginView(LoginView):
    authentication_form = ThrottledAuthenticationForm


class LoginLockoutMiddleware:
    """A login page that refused a locked-out attempt answers 429 with Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        retry_after = getattr(request, _RETRY_AFTER_ATTRIBUTE, None)
        if retry_after is not None and response.status_code == 200:
            response.status_code = 429
            response["Retry-After"] = str(retry_after)
        return response
