"""Winner evolution (spec 11): each evolve request (one generation job), the lineage of the ads
those jobs made, and competitor ads that staff record for counter-creative."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from experiments.vocabulary import COMPETITOR_DIMENSIONS, LINEAGE_MODES, MAX_ROUNDS_PER_ANCESTOR


class Evolution(models.Model):
    """One evolve request: a parent ad, a mode, the variable it changes, and the generation job
    that makes the children. A job does not know about lineage; this row is the link, and the
    AdLineage rows are written from it once the job's ads exist (experiments.services.lineage)."""

    organization = models.ForeignKey("catalog.Organization", on_delete=models.CASCADE, related_name="+")
    brand = models.ForeignKey("catalog.Brand", on_delete=models.CASCADE, related_name="+")
    parent_ad = models.ForeignKey("generation.GeneratedAd", on_delete=models.CASCADE, related_name="evolutions")
    ancestor_ad = models.ForeignKey("generation.GeneratedAd", on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField()  # the children's round: 1 for children of an original ad
    mode = models.CharField(max_length=20)
    variable = models.CharField(max_length=40, blank=True)  # "" when several surface elements change
    from_value = models.CharField(max_length=200, blank=True)
    to_value = models.CharField(max_length=200, blank=True)  # "" when each child has its own (sizes)
    job = models.OneToOneField("jobs.Job", on_delete=models.CASCADE, related_name="evolution")
    seed = models.BigIntegerField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)  # the variable choice, the fatigue figures …
    lineage_recorded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(mode__in=list(LINEAGE_MODES)), name="evolution_mode_known"),
            models.CheckConstraint(condition=Q(round__gte=1) & Q(round__lte=MAX_ROUNDS_PER_ANCESTOR),
                                   name="evolution_round_within_limit"),
        ]
        indexes = [models.Index(fields=["parent_ad", "mode"], name="evolution_parent_mode_idx"),
                   models.Index(fields=["organization", "lineage_recorded_at"], name="evolution_org_pending_idx")]


class AdLineage(models.Model):
    """An evolved ad and where it came from (spec ad_lineage): one row per child ad."""

    child_ad = models.OneToOneField("generation.GeneratedAd", on_delete=models.CASCADE, related_name="lineage")
    parent_ad = models.ForeignKey("generation.GeneratedAd", on_delete=models.CASCADE, related_name="children_lineage")
    ancestor_ad = models.ForeignKey("generation.GeneratedAd", on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField()
    mode = models.CharField(max_length=20)
    variable = models.CharField(max_length=40, blank=True)
    from_value = models.CharField(max_length=200, blank=True)
    to_value = models.CharField(max_length=200, blank=True)
    evolution = models.ForeignKey(Evolution, on_delete=models.CASCADE, related_name="lineage")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(round__gte=1) & Q(round__lte=MAX_ROUNDS_PER_ANCESTOR),
                                   name="lineage_round_within_limit"),
            models.CheckConstraint(condition=~Q(child_ad=models.F("parent_ad")), name="lineage_not_its_own_parent"),
        ]
        indexes = [models.Index(fields=["ancestor_ad"], name="lineage_ancestor_idx")]

    def __str__(self) -> str:
        return f"ad {self.child_ad_id} ← {self.parent_ad_id} (round {self.round}, {self.mode})"


def validate_competitor_tags(value) -> None:
    if not isinstance(value, dict):
        raise ValidationError("Element tags are an object: {\"hook_type\": \"social_proof\", …}.")
    unknown = sorted(set(value) - set(COMPETITOR_DIMENSIONS))
    if unknown:
        raise ValidationError(f"Unknown element dimensions {unknown}; use {', '.join(COMPETITOR_DIMENSIONS)}.")
    bad = [key for key, item in value.items() if not isinstance(item, (str, int)) or isinstance(item, bool)]
    if bad:
        raise ValidationError(f"Values must be text or whole numbers: {bad}.")


class CompetitorAd(models.Model):
    """A competitor's ad as staff saw it (competitor research), tagged with the creative choices one
    can see in it; competitive counter-creative (mode f) compares winners against these."""

    brand = models.ForeignKey("catalog.Brand", on_delete=models.CASCADE, related_name="competitor_ads")
    competitor_name = models.CharField(max_length=200)
    element_tags = models.JSONField(default=dict, validators=[validate_competitor_tags])
    notes = models.TextField(blank=True)
    seen_at = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-seen_at", "-id"]
        indexes = [models.Index(fields=["brand", "seen_at"], name="competitor_brand_seen_idx")]

    def __str__(self) -> str:
        return f"{self.competitor_name} ({self.seen_at})"
