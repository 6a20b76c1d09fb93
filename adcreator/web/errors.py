"""The page shown for a server error: it names the request id, which the log line of the
traceback carries too (adcreator.web.request_id), so a user's report leads to the bug."""

from __future__ import annotations

from django.http import HttpResponseServerError
from django.template import loader


def server_error(request, template_name: str = "500.html"):
    # Rendered without context processors: nothing here may fail again (no database, no user).
    body = loader.get_template(template_name).render({"request_id": getattr(request, "request_id", "")})
    return HttpResponseServerError(body)
