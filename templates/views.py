"""Pages of the template app: the thumbnail of a template the user may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from adcreator.web.media import thumbnail_response
from templates.selectors import templates_visible_to


@login_required
@require_GET
def template_thumbnail(request, template_id: int):
    template = get_object_or_404(templates_visible_to(request.user).only("id", "image"), pk=template_id)
    return thumbnail_response(template.image.name)
