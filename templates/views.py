"""Pages of the template app: the thumbnail of a template the user may see, and own uploads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from adcreator.catalog.selectors import editable_organizations_for, organization_ids_for
from adcreator.web.media import thumbnail_response
from templates.forms import TemplateUploadForm
from templates.models import ScrapedTemplate
from templates.selectors import templates_visible_to
from templates.services import TemplateUploadError, template_upload


@login_required
@require_GET
def template_thumbnail(request, template_id: int):
    template = get_object_or_404(templates_visible_to(request.user).only("id", "image"), pk=template_id)
    return thumbnail_response(template.image.name)


@login_required
@require_http_methods(["GET", "POST"])
def own_templates(request):
    """Upload a template; see your organization's own templates and whether they are analysed."""
    organizations = list(editable_organizations_for(request.user).order_by("name", "id"))
    categories = sorted(set(templates_visible_to(request.user).filter(is_active=True)
                            .values_list("category", flat=True)))
    form = TemplateUploadForm(request.POST or None, request.FILES or None, organizations=organizations,
                              categories=categories) if organizations else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Your role in this organization can use templates but not upload them.")
        if form.is_valid():
            data = dict(form.cleaned_data)
            chosen = next((o for o in organizations if o.pk == data.pop("organization", organizations[0].pk)),
                          organizations[0])
            try:
                upload = template_upload(user=request.user, organization=chosen, **data)
            except TemplateUploadError as exc:
                for field, errors in exc.errors.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, f"Template “{upload.template.name}” uploaded; its analysis is queued. "
                                          "You can use it in a job now.")
                return redirect("own-templates")
    own = list(ScrapedTemplate.objects.filter(organization_id__in=organization_ids_for(request.user))
               .select_related("organization").order_by("-id"))
    return render(request, "templates/own.html", {"form": form, "own": own, "categories": categories},
                  status=400 if form is not None and form.errors else 200)
