"""The create page: pickers, template selection (grid / draw), sizes, colours, content, the live
estimate and the submission. Thin: generation.services and templates.services do the work."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from adcreator.calls.ledger import configured_providers_free
from adcreator.catalog.models import Brand, Product
from adcreator.catalog.selectors import brands_for, products_for
from adcreator.prompts.estimate import split_into_jobs
from adcreator.web.fields import parse_id
from adcreator.web.labels import humanize
from generation.forms import CreateAdsForm, GridQueryForm, add_service_errors, draw_signature
from generation.services import SubmissionError, ad_creation_estimate, ad_creation_parse, ad_creation_submit
from templates.selectors import GridFilters, template_filter_options, template_grid_page, templates_for_ids
from templates.selection_config import SCORER_LABELS
from templates.services import template_selection_run



def _field(form: CreateAdsForm, name: str):
    """One field of a (possibly half filled-in) create form, cleaned by the form's own field:
    its bounds apply; a value it refuses reads as absent (the submit shows the error)."""
    field = form.fields[name]
    many = isinstance(field.widget, (forms.CheckboxSelectMultiple, forms.MultipleHiddenInput))
    raw = form.data.getlist(name) if many and hasattr(form.data, "getlist") else form.data.get(name)
    try:
        return field.clean(raw)
    except forms.ValidationError:
        return None


def _catalog_choice(user, data) -> tuple[Brand | None, Product | None]:
    """The brand and product the form is about: the requested ones when the user may see them,
    else the first. A foreign id quietly falls back (the service would refuse it anyway)."""
    brands = brands_for(user).order_by("name", "id")
    brand = brands.filter(pk=parse_id(data.get("brand_id"))).first() or brands.first()
    if brand is None:
        return None, None
    products = products_for(user).filter(brand=brand).order_by("name", "id")
    product = products.filter(pk=parse_id(data.get("product_id"))).first() or products.first()
    return brand, product


def _form(request, data=None) -> tuple[CreateAdsForm, Brand | None, Product | None, dict]:
    source = data if data is not None else request.GET
    brand, product = _catalog_choice(request.user, source)
    options = template_filter_options(organization_id=brand.organization_id) if brand else {
        "categories": [], "industries": [], "awareness_levels": [], "target_sexes": []}
    initial = {"brand_id": brand.pk if brand else None, "product_id": product.pk if product else None}
    form = CreateAdsForm(data, user=request.user, brand=brand, product=product, categories=options["categories"],
                         initial=initial)
    return form, brand, product, options


def _grid_query(data) -> tuple[GridFilters, int, list[int]]:
    """The grid's filters, offset and selection from the query string; invalid values read as absent."""
    query = GridQueryForm(data)
    query.is_valid()
    clean = {name: query.cleaned_data.get(name) for name in query.fields}
    filters = GridFilters(category=(clean["filter_category"] or "").strip(), awareness_level=clean["filter_awareness"],
                          industry=(clean["filter_industry"] or "").strip(),
                          target_sex=(clean["filter_audience"] or "").strip())
    return filters, clean["offset"] or 0, clean["template_ids"] or []


def _estimate_context(form: CreateAdsForm, brand: Brand | None, product: Product | None) -> dict:
    """The estimate for whatever the form holds now, even half filled in."""
    data = form.data
    if brand is None or product is None:
        return {"estimate": None, "problems": ["Choose a brand and a product."]}
    mode = _field(form, "mode") or "manual"
    selection: dict = {"mode": mode}
    if mode == "manual":
        selection["template_ids"] = _field(form, "template_ids") or []
    else:
        selection["count"] = _field(form, "count") or 3
        drawn = _field(form, "drawn_ids") or []
        if drawn:
            selection["template_ids"] = drawn
    parameters = {
        "brand_id": brand.pk, "product_id": product.pk, "template_selection": selection,
        "sizes": _field(form, "sizes") or [], "color_modes": _field(form, "color_modes") or [],
        "variations": _field(form, "variations") or 1,
    }
    try:
        params = ad_creation_parse(parameters=parameters)
    except SubmissionError as exc:
        return {"estimate": None, "problems": _friendly_problems(exc.errors)}
    estimate = ad_creation_estimate(organization=brand.organization, params=params)
    parts = []
    if estimate.tier == "over_cap":
        # Template ids are not known before a draw; positions stand in for them in the plan.
        keys = params.template_selection.template_ids or list(range(1, params.template_count_hint + 1))
        parts = split_into_jobs(keys, variations=params.variations, sizes=params.sizes,
                                colors=params.color_modes, cap=estimate.cap)
    formula = {"templates": params.template_count_hint, "variations": len(params.effective_variations),
               "sizes": len(params.sizes), "colors": len(params.color_modes)}
    return {"estimate": estimate, "parts": parts, "problems": [], "formula": formula,
            "providers_free": configured_providers_free(),
            "confirmed": data.get("confirmed") in ("on", "true", "1"),
            "split": data.get("split") in ("on", "true", "1")}


# How the request contract and the services say "the request as a whole" (never shown to people).
WHOLE_REQUEST_KEYS = {"__all__", "__root__", "root", "non_field_errors"}


def _friendly_problems(errors: dict[str, list[str]]) -> list[str]:
    messages = {
        "sizes": "Choose at least one size.", "color_modes": "Choose at least one colour mode.",
        "template_selection": "Pick at least one template from the grid.",
        "variations": "Variations must be between 1 and 10.",
    }
    problems = []
    for key, details in errors.items():
        root = key.split(".")[0]
        if key in WHOLE_REQUEST_KEYS:
            # A rule across fields: its message names the fields and the fix already.
            problems.append("; ".join(details))
            continue
        problems.append(messages.get(root) or f"{humanize(root)}: {'; '.join(details)}")
    return list(dict.fromkeys(problems))


def _page(request, form, brand, product, options, *, status: int = 200):
    selected = (_field(form, "template_ids") or []) if form.is_bound else []
    grid = template_grid_page(organization_id=brand.organization_id, filters=GridFilters(),
                              selected_ids=selected) if brand else None
    context = {
        "form": form, "brand": brand, "product": product, "options": options, "grid": grid,
        "selected_ids": selected, "grid_filters": GridFilters(),
        **_estimate_context(form, brand, product),
    }
    if form.is_bound and form.data.getlist("drawn_ids"):
        context["draw"] = _redraw_context(request, form, brand, product)
    return render(request, "generation/create.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    if request.method == "GET":
        form, brand, product, options = _form(request)
        return _page(request, form, brand, product, options)
    form, brand, product, options = _form(request, request.POST)
    if brand is None:
        raise Http404("no brand")
    if form.is_valid():
        try:
            submission = ad_creation_submit(organization=brand.organization, user=request.user,
                                            parameters=form.request_model,
                                            allow_split=bool(form.cleaned_data.get("split")))
        except SubmissionError as exc:
            add_service_errors(form, exc.errors)
        else:
            return redirect("job-detail", job_id=submission.jobs[0].pk)
    return _page(request, form, brand, product, options, status=400)


@login_required
@require_POST
def create_estimate(request):
    form, brand, product, _ = _form(request, request.POST)
    return render(request, "generation/partials/estimate.html", _estimate_context(form, brand, product))


@login_required
@require_http_methods(["GET"])
def create_templates(request):
    brand, _ = _catalog_choice(request.user, request.GET)
    if brand is None:
        raise Http404("no brand")
    filters, offset, selected = _grid_query(request.GET)
    grid = template_grid_page(organization_id=brand.organization_id, filters=filters, offset=offset,
                              selected_ids=selected)
    template = "generation/partials/template_cards.html" if offset else "generation/partials/template_grid.html"
    return render(request, template, {"grid": grid, "brand": brand, "grid_filters": filters,
                                      "selected_ids": selected})


def _draw(form: CreateAdsForm, brand: Brand, product: Product, *, seed: int | None) -> dict:
    mode = _field(form, "mode")
    if mode not in ("roll_the_dice", "smart_select"):
        return {"draw_error": "Choose “Roll the dice” or “Smart select” to draw templates."}
    count = _field(form, "count") or 3
    category = _field(form, "category") or ""
    strictness = (_field(form, "strictness") or "default") if mode == "smart_select" else ""
    persona = _field(form, "persona_id")
    outcome = template_selection_run(product=product, mode=mode, count=count, category=category or None,
                                     strictness=strictness or None, persona=persona, seed=seed)
    if outcome.result.empty:
        return {"draw_error": outcome.result.reason or "No eligible templates."}
    by_id = templates_for_ids(outcome.template_ids, organization_id=brand.organization_id)
    rows = []
    for template_id, scores in zip(outcome.template_ids, outcome.result.scores):
        rows.append({"template": by_id.get(template_id),
                     "scores": [(SCORER_LABELS.get(k, k), v) for k, v in scores.items() if k != "composite"],
                     "composite": scores.get("composite")})
    signature = draw_signature(mode=mode, count=count, category=category, strictness=strictness,
                               product_id=product.pk, persona_id=persona.pk if persona else None)
    not_measured = [(SCORER_LABELS.get(name, name), why) for name, why in outcome.not_measured.items()
                    if mode == "smart_select"]
    return {"draw": {"rows": rows, "seed": outcome.seed, "signature": signature, "mode": mode,
                     "relaxed": outcome.relaxed, "steps": outcome.steps, "template_ids": outcome.template_ids,
                     "not_measured": not_measured, "industry_note": outcome.industry_note}}


def _redraw_context(request, form, brand, product) -> dict | None:
    """Re-show a draw after a failed submit: the same seed draws the same templates."""
    seed = _field(form, "drawn_seed")
    if brand is None or product is None or seed is None:
        return None
    return _draw(form, brand, product, seed=seed).get("draw")


@login_required
@require_POST
def create_draw(request):
    form, brand, product, _ = _form(request, request.POST)
    if brand is None or product is None:
        raise Http404("no product")
    return render(request, "generation/partials/draw.html", _draw(form, brand, product, seed=None))
