"""Content-Security-Policy: the pages load scripts, styles and images from this site only.

No page has an inline script, an inline style or an eval (htmx is served from the static
files, its indicator <style> is turned off by <meta name="htmx-config">, and no hx-on is
used), so the policy needs no 'unsafe-inline' and no nonce. A view that needs a different
policy sets its own header (see `content_security_policy`); the middleware never overwrites it.
"""

from __future__ import annotations

from functools import wraps

HEADER = "Content-Security-Policy"


def policy(**directives: str) -> str:
    return "; ".join(f"{name.replace('_', '-')} {value}" for name, value in directives.items())


SITE_DIRECTIVES = {
    "default_src": "'self'",
    "script_src": "'self'",
    "style_src": "'self'",
    # data: for the favicon placeholder and the admin's and Swagger UI's CSS icons.
    "img_src": "'self' data:",
    "font_src": "'self'",
    "connect_src": "'self'",
    "object_src": "'none'",
    "base_uri": "'none'",
    "form_action": "'self'",
    "frame_ancestors": "'none'",
}
SITE_POLICY = policy(**SITE_DIRECTIVES)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = SITE_POLICY
        return response


def content_security_policy(header_value: str):
    """View decorator: this view's responses carry `header_value` instead of the site policy."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response[HEADER] = header_value
            return response

        return wrapped

    return decorate
