"""The brand's raw material: organizations, their brands, products, images and messaging."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from adcreator.web.uploads import validate_image_upload


def default_template_selection_config() -> dict:
    # Spec P0-4: the global default is "no asset gate".
    return {"min_asset_score": 0.0}


class TargetSex(models.TextChoices):
    """Who an ad or a persona speaks to: one vocabulary for personas and templates (spec 8f)."""

    FEMALE = "female", "Female"
    MALE = "male", "Male"
    UNISEX = "unisex", "Unisex"


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Organization(TimeStamped):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    # Spec P1-2: attempts (image-model calls) allowed per job; null = the site default.
    attempt_cap = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class Membership(TimeStamped):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        EDITOR = "editor", "Editor"
        VIEWER = "viewer", "Viewer"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.EDITOR)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="membership_unique_user_org")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


class Brand(TimeStamped):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="brands")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    # What the brand sells ("skincare", "coffee"): brands of one category share cold-start priors
    # (spec 10.6) within their organization.
    category = models.CharField(max_length=80, blank=True)
    # "#rrggbb" strings, most prominent first: the palette of the "brand" colour mode.
    colors = models.JSONField(default=list, blank=True)
    voice = models.TextField(blank=True)
    prohibited_claims = models.JSONField(default=list, blank=True)
    required_disclaimers = models.JSONField(default=list, blank=True)
    template_selection_config = models.JSONField(default=default_template_selection_config, blank=True)
    # Whether the brand has a Meta connection is not stored here: genome.selectors derives it
    # from the brand's ad account (connected and working).

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "slug"], name="brand_unique_slug_per_org")]

    def __str__(self) -> str:
        return self.name


class Product(TimeStamped):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="products")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    current_offer = models.CharField(max_length=300, blank=True)
    # "industry / niche" as templates say it ("beauty / skincare"): smart select's industry fit.
    # Blank: the fit is not measured for this product (and weighs nothing), never guessed.
    industry = models.CharField("industry / niche", max_length=80, blank=True,
                                help_text="As on templates: “beauty / skincare”, “food & drink / coffee”.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["brand", "slug"], name="product_unique_slug_per_brand")]

    def __str__(self) -> str:
        return self.name


class ProductImage(TimeStamped):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="catalog/products/%Y/%m/", validators=[validate_image_upload])
    # Words from adcreator.prompts.elements.ASSET_TAGS ("packshot", "lifestyle", ...).
    asset_tags = models.JSONField(default=list, blank=True)
    # Measured from the pixels when the photo arrives (catalog.photo_quality: sharpness ×
    # resolution), never assumed: there is no default, a row without a measurement cannot exist.
    quality = models.FloatField(validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quality__gte=0.0) & Q(quality__lte=1.0), name="productimage_quality_0_1"),
        ]

    def __str__(self) -> str:
        return f"{self.product}: {self.image.name}"


class BrandAsset(TimeStamped):
    class AssetType(models.TextChoices):
        LOGO = "logo", "Logo"
        LOGO_DARK = "logo_dark", "Logo (for dark backgrounds)"
        BADGE = "badge", "Badge / seal"
        ICON = "icon", "Icon"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="assets")
    asset_type = models.CharField(max_length=24, choices=AssetType.choices)
    image = models.ImageField(upload_to="catalog/brand-assets/%Y/%m/", validators=[validate_image_upload])

    def __str__(self) -> str:
        return f"{self.brand} {self.asset_type}"


class Persona(TimeStamped):
    TargetSex = TargetSex

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="personas")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    awareness_stage = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    target_sex = models.CharField(max_length=8, choices=TargetSex.choices, blank=True)
    age_min = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(null=True, blank=True)
    demographics = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(awareness_stage__gte=1) & Q(awareness_stage__lte=5), name="persona_awareness_1_5"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BeliefAngle(TimeStamped):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="belief_angles")
    name = models.CharField(max_length=200)
    belief_statement = models.TextField()

    def __str__(self) -> str:
        return self.name


class LandingPage(TimeStamped):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="landing_pages")
    url = models.URLField(max_length=500)
    hero_headline = models.CharField(max_length=300)
    hero_subhead = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["brand", "url"], name="landingpage_unique_url_per_brand")]

    def __str__(self) -> str:
        return self.url


class OfferVariant(TimeStamped):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="offer_variants")
    name = models.CharField(max_length=200)
    core_message = models.TextField()
    pain_points = models.JSONField(default=list, blank=True)
    landing_page_url = models.URLField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.name


class Hook(TimeStamped):
    class HookType(models.TextChoices):
        CURIOSITY_GAP = "curiosity_gap", "Curiosity gap"
        SOCIAL_PROOF = "social_proof", "Social proof"
        PROBLEM_AGITATION = "problem_agitation", "Problem / agitation"
        BENEFIT_LED = "benefit_led", "Benefit-led"
        URGENCY = "urgency", "Urgency"
        AUTHORITY = "authority", "Authority"
        QUESTION = "question", "Question"
        OFFER = "offer", "Offer"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="hooks")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, null=True, blank=True, related_name="hooks")
    text = models.CharField(max_length=300)
    hook_type = models.CharField(max_length=32, choices=HookType.choices)
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.text
