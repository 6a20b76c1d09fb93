from django import forms
from django.contrib import admin

from adcreator.catalog import models, services


class ProductImageForm(forms.ModelForm):
    """Staff upload photos through the same checks as clients, and the quality is measured from
    the pixels (catalog.photo_quality), never typed in."""

    class Meta:
        model = models.ProductImage
        fields = ["product", "image", "asset_tags"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("image")
        if upload is not None and "image" in self.changed_data and not self.errors:
            try:
                checked = services.checked_upload(upload)
            except services.CatalogError as exc:
                self.add_error("image", exc.errors["image"])
                return cleaned
            self.instance.quality = services.product_photo_measure(upload)
            self.instance.width, self.instance.height = checked.width, checked.height
        return cleaned


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(models.Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "attempt_cap", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role", "organization"]
    search_fields = ["user__username", "organization__name"]
    list_select_related = ["user", "organization"]


@admin.register(models.Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "organization", "created_at"]
    list_filter = ["organization"]
    search_fields = ["name", "slug"]
    list_select_related = ["organization"]


class ProductImageInline(admin.TabularInline):
    model = models.ProductImage
    form = ProductImageForm
    extra = 0
    fields = ["image", "asset_tags", "quality", "width", "height"]
    readonly_fields = ["quality", "width", "height"]


@admin.register(models.Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "brand", "current_offer"]
    list_filter = ["brand"]
    search_fields = ["name", "slug", "current_offer"]
    list_select_related = ["brand"]
    inlines = [ProductImageInline]


@admin.register(models.ProductImage)
class ProductImageAdmin(admin.ModelAdmin):
    form = ProductImageForm
    readonly_fields = ["quality", "width", "height"]
    list_display = ["id", "product", "asset_tags", "quality", "width", "height"]
    list_filter = ["product__brand"]
    search_fields = ["product__name", "image"]
    list_select_related = ["product"]


@admin.register(models.BrandAsset)
class BrandAssetAdmin(admin.ModelAdmin):
    list_display = ["brand", "asset_type", "image", "created_at"]
    list_filter = ["asset_type", "brand"]
    search_fields = ["brand__name"]
    list_select_related = ["brand"]


@admin.register(models.Persona)
class PersonaAdmin(admin.ModelAdmin):
    list_display = ["name", "brand", "awareness_stage", "target_sex", "age_min", "age_max"]
    list_filter = ["awareness_stage", "target_sex", "brand"]
    search_fields = ["name", "description"]
    list_select_related = ["brand"]


@admin.register(models.BeliefAngle)
class BeliefAngleAdmin(admin.ModelAdmin):
    list_display = ["name", "brand", "belief_statement"]
    list_filter = ["brand"]
    search_fields = ["name", "belief_statement"]
    list_select_related = ["brand"]


@admin.register(models.OfferVariant)
class OfferVariantAdmin(admin.ModelAdmin):
    list_display = ["name", "product", "core_message", "landing_page_url"]
    list_filter = ["product__brand"]
    search_fields = ["name", "core_message"]
    list_select_related = ["product"]


@admin.register(models.LandingPage)
class LandingPageAdmin(admin.ModelAdmin):
    list_display = ["url", "brand", "hero_headline"]
    list_filter = ["brand"]
    search_fields = ["url", "hero_headline", "hero_subhead"]
    list_select_related = ["brand"]


@admin.register(models.Hook)
class HookAdmin(admin.ModelAdmin):
    list_display = ["text", "hook_type", "brand", "product", "is_active"]
    list_filter = ["hook_type", "is_active", "brand"]
    search_fields = ["text"]
    list_select_related = ["brand", "product"]
