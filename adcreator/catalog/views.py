"""The catalog pages: brands with their settings, assets and messaging; products with photos.

Everyone in the organization sees them; owners and editors get the forms. Every change goes
through adcreator.catalog.services (the API's and the admin's rules), whose field errors come
back on the form; a delete that would lose work is refused with the service's message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from adcreator.catalog import forms as f
from adcreator.catalog import selectors as sel
from adcreator.catalog import services as svc
from adcreator.catalog.tiers import tier_of
from adcreator.web.media import thumbnail_response


@dataclass(frozen=True)
class PageKind:
    label: str
    form: type[f.CatalogForm]
    visible: Callable  # user → tenant-scoped queryset
    parent: str  # "brand" or "product": which page the row lives on
    create: Callable  # (user, parent, form) → row
    update: Callable  # (user, row, data) → row
    delete: Callable  # (user, row) → None
    edit_form: type[f.CatalogForm] | None = None  # when editing differs from adding (uploads)

    def form_for(self, *args, parent_brand=None, **kwargs):
        form_class = kwargs.pop("form_class", self.form)
        if form_class is f.HookForm:
            kwargs["products"] = list(parent_brand.products.order_by("name")) if parent_brand else []
        return form_class(*args, **kwargs)


def _data(form):
    return form.data_for_service()


KINDS: dict[str, PageKind] = {
    "products": PageKind("product", f.ProductForm, sel.products_for, "brand",
                         lambda u, p, form: svc.product_create(user=u, brand=p, data=_data(form)),
                         lambda u, r, d: svc.product_update(user=u, product=r, data=d),
                         lambda u, r: svc.product_delete(user=u, product=r)),
    "product-photos": PageKind("photo", f.PhotoUploadForm, sel.product_photos_for, "product",
                               lambda u, p, form: svc.product_photo_create(
                                   user=u, product=p, image=form.cleaned_data["image"],
                                   asset_tags=list(form.cleaned_data["asset_tags"])),
                               lambda u, r, d: svc.product_photo_update(user=u, photo=r, data=d),
                               lambda u, r: svc.product_photo_delete(user=u, photo=r), edit_form=f.PhotoTagsForm),
    "brand-assets": PageKind("brand asset", f.BrandAssetUploadForm, sel.brand_assets_for, "brand",
                             lambda u, p, form: svc.brand_asset_create(user=u, brand=p, image=form.cleaned_data["image"],
                                                                       asset_type=form.cleaned_data["asset_type"]),
                             lambda u, r, d: svc.brand_asset_update(user=u, asset=r, data=d),
                             lambda u, r: svc.brand_asset_delete(user=u, asset=r), edit_form=f.BrandAssetForm),
    "personas": PageKind("persona", f.PersonaForm, sel.personas_for, "brand",
                         lambda u, p, form: svc.persona_create(user=u, brand=p, data=_data(form)),
                         lambda u, r, d: svc.persona_update(user=u, persona=r, data=d),
                         lambda u, r: svc.persona_delete(user=u, persona=r)),
    "offer-variants": PageKind("offer variant", f.OfferVariantForm, sel.offer_variants_for, "product",
                               lambda u, p, form: svc.offer_variant_create(user=u, product=p, data=_data(form)),
                               lambda u, r, d: svc.offer_variant_update(user=u, offer_variant=r, data=d),
                               lambda u, r: svc.offer_variant_delete(user=u, offer_variant=r)),
    "landing-pages": PageKind("landing page", f.LandingPageForm, sel.landing_pages_for, "brand",
                              lambda u, p, form: svc.landing_page_create(user=u, brand=p, data=_data(form)),
                              lambda u, r, d: svc.landing_page_update(user=u, landing_page=r, data=d),
                              lambda u, r: svc.landing_page_delete(user=u, landing_page=r)),
    "belief-angles": PageKind("belief angle", f.BeliefAngleForm, sel.belief_angles_for, "brand",
                              lambda u, p, form: svc.belief_angle_create(user=u, brand=p, data=_data(form)),
                              lambda u, r, d: svc.belief_angle_update(user=u, belief_angle=r, data=d),
                              lambda u, r: svc.belief_angle_delete(user=u, belief_angle=r)),
    "hooks": PageKind("hook", f.HookForm, sel.hooks_for, "brand",
                      lambda u, p, form: svc.hook_create(user=u, brand=p, data=_data(form)),
                      lambda u, r, d: svc.hook_update(user=u, hook=r, data=d),
                      lambda u, r: svc.hook_delete(user=u, hook=r)),
}


def _kind(name: str) -> PageKind:
    if name not in KINDS:
        raise Http404("no such kind of catalog row")
    return KINDS[name]


def _brand_of(row):
    return row.brand if hasattr(row, "brand_id") else row.product.brand


def _page_of(kind: PageKind, row) -> str:
    """Where a row is shown: its brand's page, or its product's."""
    if kind.parent == "product":
        return reverse("catalog-product", args=[row.product_id])
    return reverse("catalog-brand", args=[row.brand_id])


def _initial(row) -> dict:
    names = [n for n in svc.EDITABLE[type(row)] if n != "template_selection_tier"]
    initial = {name: getattr(row, name) for name in names}
    if "template_selection_tier" in svc.EDITABLE[type(row)]:
        initial["template_selection_tier"] = tier_of(row.template_selection_config) or "default"
    return initial


def _changes(form, row) -> dict:
    """Only what the form changed, so a staff-set value the form cannot show stays as it is."""
    return {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}


@login_required
@require_http_methods(["GET", "POST"])
def catalog_home(request):
    brands = list(sel.brands_for(request.user).order_by("name", "id"))
    organizations = list(sel.editable_organizations_for(request.user).order_by("name", "id"))
    form = f.BrandForm(request.POST or None, initial={"template_selection_tier": "default"}) if organizations else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Your role in this organization can view the catalog but not change it.")
        chosen = next((o for o in organizations if str(o.pk) == request.POST.get("organization")), organizations[0])
        if form.is_valid():
            try:
                brand = svc.brand_create(user=request.user, organization=chosen, data=form.data_for_service())
            except svc.CatalogError as exc:
                form.take_errors(exc.errors)
            else:
                messages.success(request, f"Brand “{brand.name}” created.")
                return redirect("catalog-brand", brand.pk)
    return render(request, "catalog/home.html", {"brands": brands, "form": form, "organizations": organizations})


def _brand_context(request, brand) -> dict:
    editor = sel.can_edit(request.user, brand.organization_id)
    return {
        "brand": brand, "can_edit": editor,
        "products": list(brand.products.order_by("name", "id")),
        "assets": list(brand.assets.order_by("asset_type", "id")),
        "personas": list(brand.personas.order_by("name", "id")),
        "landing_pages": list(brand.landing_pages.order_by("url", "id")),
        "belief_angles": list(brand.belief_angles.order_by("name", "id")),
        "hooks": list(brand.hooks.select_related("product").order_by("-is_active", "text", "id")),
        "tier": tier_of(brand.template_selection_config),
    }


@login_required
@require_http_methods(["GET", "POST"])
def brand_page(request, brand_id: int):
    brand = get_object_or_404(sel.brands_for(request.user), pk=brand_id)
    context = _brand_context(request, brand)
    form = f.BrandForm(request.POST or None, initial=_initial(brand)) if context["can_edit"] else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Your role in this organization can view the catalog but not change it.")
        if form.is_valid():
            try:
                svc.brand_update(user=request.user, brand=brand, data=_changes(form, brand))
            except svc.CatalogError as exc:
                form.take_errors(exc.errors)
            else:
                messages.success(request, "Brand settings saved.")
                return redirect("catalog-brand", brand.pk)
    if context["can_edit"]:
        context["add_forms"] = {name.replace("-", "_"): KINDS[name].form_for(parent_brand=brand,
                                                                             auto_id=f"id_{name}_%s")
                                for name in ("products", "brand-assets", "personas", "landing-pages", "belief-angles",
                                             "hooks")}
    return render(request, "catalog/brand.html", {**context, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def product_page(request, product_id: int):
    product = get_object_or_404(sel.products_for(request.user), pk=product_id)
    editor = sel.can_edit(request.user, product.brand.organization_id)
    form = f.ProductForm(request.POST or None, initial=_initial(product)) if editor else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Your role in this organization can view the catalog but not change it.")
        if form.is_valid():
            try:
                svc.product_update(user=request.user, product=product, data=_changes(form, product))
            except svc.CatalogError as exc:
                form.take_errors(exc.errors)
            else:
                messages.success(request, "Product saved.")
                return redirect("catalog-product", product.pk)
    context = {
        "product": product, "brand": product.brand, "can_edit": editor, "form": form,
        "photos": list(product.images.order_by("id")),
        "offer_variants": list(product.offer_variants.order_by("name", "id")),
    }
    if editor:
        context["photo_form"] = KINDS["product-photos"].form_for(auto_id="id_photo_%s")
        context["offer_form"] = KINDS["offer-variants"].form_for(auto_id="id_offer_%s")
    return render(request, "catalog/product.html", context)


@login_required
@require_POST
def row_create(request, kind: str, parent_id: int):
    page_kind = _kind(kind)
    parents = sel.brands_for(request.user) if page_kind.parent == "brand" else sel.products_for(request.user)
    parent = get_object_or_404(parents, pk=parent_id)
    brand = parent if page_kind.parent == "brand" else parent.brand
    form = page_kind.form_for(request.POST, request.FILES, parent_brand=brand)
    if form.is_valid():
        try:
            page_kind.create(request.user, parent, form)
        except svc.CatalogError as exc:
            form.take_errors(exc.errors)
        else:
            messages.success(request, f"{page_kind.label.capitalize()} added.")
            back = reverse(f"catalog-{page_kind.parent}", args=[parent.pk])
            return redirect(back if kind != "products" else reverse("catalog-brand", args=[parent.pk]))
    return render(request, "catalog/edit.html", {
        "form": form, "title": f"New {page_kind.label}", "brand": brand, "multipart": "image" in form.fields,
        "action": reverse("catalog-row-create", args=[kind, parent.pk]),
        "back": reverse(f"catalog-{page_kind.parent}", args=[parent.pk]),
    }, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def row_edit(request, kind: str, pk: int):
    page_kind = _kind(kind)
    if kind == "products":
        return redirect("catalog-product", pk)
    row = get_object_or_404(page_kind.visible(request.user), pk=pk)
    brand = _brand_of(row)
    if not sel.can_edit(request.user, brand.organization_id):
        raise PermissionDenied("Your role in this organization can view the catalog but not change it.")
    form_class = page_kind.edit_form or page_kind.form
    form = page_kind.form_for(request.POST or None, parent_brand=brand, form_class=form_class, initial=_initial(row))
    if request.method == "POST" and form.is_valid():
        try:
            page_kind.update(request.user, row, _changes(form, row))
        except svc.CatalogError as exc:
            form.take_errors(exc.errors)
        else:
            messages.success(request, f"{page_kind.label.capitalize()} saved.")
            return redirect(_page_of(page_kind, row))
    return render(request, "catalog/edit.html", {
        "form": form, "title": f"Edit {page_kind.label}", "brand": brand, "row": row, "multipart": False,
        "action": reverse("catalog-row-edit", args=[kind, pk]), "back": _page_of(page_kind, row),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def row_delete(request, kind: str, pk: int):
    if kind == "brands":
        row = get_object_or_404(sel.brands_for(request.user), pk=pk)
        deleting, back, done = (lambda: svc.brand_delete(user=request.user, brand=row),
                                reverse("catalog-brand", args=[pk]), reverse("catalog"))
    else:
        page_kind = _kind(kind)
        row = get_object_or_404(page_kind.visible(request.user), pk=pk)
        back = reverse("catalog-product", args=[pk]) if kind == "products" else _page_of(page_kind, row)
        done = reverse("catalog-brand", args=[row.brand_id]) if kind == "products" else back
        deleting = lambda: page_kind.delete(request.user, row)  # noqa: E731
    if kind in CONFIRMED_DELETES and request.POST.get("confirm") != "yes" and not sel.catalog_dependents(row):
        # Everything under a brand or product goes with it: say what, and ask once more.
        return render(request, "catalog/confirm_delete.html", {
            "row": row, "kind": kind, "back": back, "brand": row if kind == "brands" else row.brand,
            "contents": _contents(kind, row)})
    try:
        deleting()
    except svc.CatalogInUse as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(request, f"“{row}” deleted.")
    return redirect(done)


CONFIRMED_DELETES = ("brands", "products")


def _contents(kind: str, row) -> list[str]:
    """What a delete of a brand or product takes with it, in words."""
    if kind == "products":
        counts = (("photo", row.images.count()), ("offer variant", row.offer_variants.count()),
                  ("hook", row.hooks.count()))
    else:
        counts = (("product", row.products.count()), ("logo or badge", row.assets.count()),
                  ("persona", row.personas.count()), ("landing page", row.landing_pages.count()),
                  ("belief angle", row.belief_angles.count()), ("hook", row.hooks.count()))
    return [f"{n} {label}{'' if n == 1 else 's'}" for label, n in counts if n]


@login_required
@require_GET
def photo_thumbnail(request, pk: int):
    photo = get_object_or_404(sel.product_photos_for(request.user).select_related(None).only("id", "image"), pk=pk)
    return thumbnail_response(photo.image.name)


@login_required
@require_GET
def asset_thumbnail(request, pk: int):
    asset = get_object_or_404(sel.brand_assets_for(request.user).select_related(None).only("id", "image"), pk=pk)
    return thumbnail_response(asset.image.name)
