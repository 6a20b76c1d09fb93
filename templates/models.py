"""Ad templates: the scraped library, their evaluations and per-product usage (spec 8)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from adcreator.catalog.models import TargetSex
from adcreator.web.uploads import validate_image_upload


class ScrapedTemplate(models.Model):
    TargetSex = TargetSex

    # Null: the shared library curated by staff. Set: a template one organization uploaded,
    # visible to that organization only.
    organization = models.ForeignKey(
        "catalog.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="templates"
    )
    class Source(models.TextChoices):
        SCRAPED = "scraped", "Scraped"
        UPLOADED = "uploaded", "Uploaded"
        DEMO = "demo", "Demo library"

    name = models.CharField(max_length=200)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.SCRAPED)
    image = models.ImageField(upload_to="templates/%Y/%m/", validators=[validate_image_upload])
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    category = models.CharField(max_length=60, db_index=True)
    industry = models.CharField("industry / niche", max_length=80, blank=True)
    awareness_level = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    target_sex = models.CharField(max_length=8, choices=TargetSex.choices, null=True, blank=True)
    # adcreator.prompts.elements.TemplateElements as JSON; {} until detection runs.
    template_elements = models.JSONField(default=dict, blank=True)
    # Set only when detection actually ran (spec 8c: {} alone cannot tell "never analysed").
    element_detection_version = models.CharField(max_length=60, null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(awareness_level__isnull=True) | (Q(awareness_level__gte=1) & Q(awareness_level__lte=5)),
                name="template_awareness_1_5",
            ),
        ]
        indexes = [models.Index(fields=["is_active", "category"], name="template_active_category_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def has_detection(self) -> bool:
        return self.element_detection_version is not None


class TemplateEvaluation(models.Model):
    """Belief-clarity evaluation (spec 8f): D1–D5 scored 0–3, D6 a compliance gate."""

    template = models.OneToOneField(ScrapedTemplate, on_delete=models.CASCADE, related_name="evaluation")
    d1 = models.PositiveSmallIntegerField(validators=[MaxValueValidator(3)])
    d2 = models.PositiveSmallIntegerField(validators=[MaxValueValidator(3)])
    d3 = models.PositiveSmallIntegerField(validators=[MaxValueValidator(3)])
    d4 = models.PositiveSmallIntegerField(validators=[MaxValueValidator(3)])
    d5 = models.PositiveSmallIntegerField(validators=[MaxValueValidator(3)])
    d6 = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(**{f"d{i}__lte": 3}), name=f"evaluation_d{i}_0_3") for i in range(1, 6)
        ]

    def __str__(self) -> str:
        return f"Evaluation of {self.template}"

    def as_scoring_dict(self) -> dict:
        return {"d1": self.d1, "d2": self.d2, "d3": self.d3, "d4": self.d4, "d5": self.d5, "d6": self.d6}


def product_organization_id(product_id: int) -> int:
    from adcreator.catalog.models import Product

    return Product.objects.filter(pk=product_id).values_list("brand__organization_id", flat=True).get()


class ProductTemplateUsage(models.Model):
    """A template was used to generate ads for a product (spec P0-3: keyed by template id).

    `organization` is the product's, kept on the row so that counting one organization's
    usage of each template (its `times_used`) is one index probe per template in the candidate
    query, not a join through product and brand.
    """

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="template_usage")
    template = models.ForeignKey(ScrapedTemplate, on_delete=models.CASCADE, related_name="usage")
    organization = models.ForeignKey("catalog.Organization", on_delete=models.CASCADE, related_name="template_usage",
                                     editable=False)
    used_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["product", "template"], name="usage_product_template_idx"),
            models.Index(fields=["organization", "template"], name="usage_org_template_idx"),
        ]

    def save(self, *args, **kwargs):
        if self.organization_id is None:
            self.organization_id = product_organization_id(self.product_id)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.template} for {self.product}"
