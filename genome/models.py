"""Meta performance data (spec P1-4, P1-5, 10.1): ad accounts, campaigns, daily ad insights,
the mapping of our ads to Meta's, and the simulated market's account state.

Units as the sync stores them (pinned by genome/tests/test_units.py): counts are integers,
money a decimal in the account's currency, CTR and conversion rate ratios (0.012, not 1.2 %),
ROAS conversion value / spend. A metric Meta did not report is NULL, never 0.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

# One definition of a Meta ad account id: the model, the API schema (a `pattern`) and the service check.
AD_ACCOUNT_ID_PATTERN = r"^act_[0-9]{1,20}$"
AD_ACCOUNT_ID = RegexValidator(AD_ACCOUNT_ID_PATTERN, "An ad account id looks like act_ followed by digits.")


class Source(models.TextChoices):
    GRAPH = "graph", "Meta (Graph API)"
    SIMULATED = "simulated", "Simulated"


class AdAccount(models.Model):
    """A brand's Meta ad account (spec brand_ad_accounts). The access token is a secret: stored
    encrypted, written only (genome.secrets), never shown, returned or logged."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Connected"
        BROKEN = "broken", "Broken: the token needs replacing"
        DISCONNECTED = "disconnected", "Disconnected"

    brand = models.OneToOneField("catalog.Brand", on_delete=models.CASCADE, related_name="meta_account")
    ad_account_id = models.CharField(max_length=40, validators=[AD_ACCOUNT_ID])
    # Where this account's data comes from: the Graph API, or the offline simulated market.
    source = models.CharField(max_length=12, choices=Source.choices)
    access_token_encrypted = models.TextField(blank=True)
    token_set_at = models.DateTimeField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    broken_reason = models.CharField(max_length=300, blank=True)
    broken_at = models.DateTimeField(null=True, blank=True)
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_sync_ok = models.BooleanField(null=True)
    connected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["active", "broken", "disconnected"]),
                                   name="adaccount_status_known"),
            models.CheckConstraint(condition=Q(source__in=["graph", "simulated"]), name="adaccount_source_known"),
        ]

    def __str__(self) -> str:
        return f"{self.brand} · {self.ad_account_id} ({self.get_source_display()})"


class MetaCampaign(models.Model):
    """A campaign (spec P1-4 part A), upserted on (ad account, campaign id)."""

    account = models.ForeignKey(AdAccount, on_delete=models.CASCADE, related_name="campaigns")
    campaign_id = models.CharField(max_length=40)
    name = models.CharField(max_length=400, blank=True)
    objective_raw = models.CharField(max_length=60, blank=True)  # as Meta spells it
    objective = models.CharField(max_length=20)  # normalised: genome.objectives.Objective names
    status = models.CharField(max_length=30, blank=True)
    synced_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "campaign_id"], name="campaign_unique_per_account")]

    def __str__(self) -> str:
        return f"{self.name or self.campaign_id} ({self.objective})"


class AdPerformanceDay(models.Model):
    """One Meta ad on one day (spec meta_ads_performance), upserted on (Meta ad id, date)."""

    # No index of its own: (account, date) below serves every lookup by account. Each index is
    # written on every upserted row (56,000 a sync), so none is kept twice.
    account = models.ForeignKey(AdAccount, on_delete=models.CASCADE, related_name="performance", db_index=False)
    meta_ad_id = models.CharField(max_length=40)
    date = models.DateField()
    source = models.CharField(max_length=12, choices=Source.choices)
    ad_name = models.CharField(max_length=400, blank=True)
    campaign_id = models.CharField(max_length=40, blank=True)
    adset_id = models.CharField(max_length=40, blank=True)
    # Normalised objective of the campaign (UNKNOWN until the campaign is known), spec P1-4 part B.
    campaign_objective = models.CharField(max_length=20, default="UNKNOWN")
    currency = models.CharField(max_length=3, blank=True)
    impressions = models.PositiveBigIntegerField(null=True)
    clicks = models.PositiveBigIntegerField(null=True)
    reach = models.PositiveBigIntegerField(null=True)
    frequency = models.FloatField(null=True)
    spend = models.DecimalField(max_digits=14, decimal_places=4, null=True)
    cpm = models.DecimalField(max_digits=14, decimal_places=4, null=True)
    ctr = models.FloatField(null=True)  # ratio
    conversions = models.PositiveBigIntegerField(null=True)
    conversion_value = models.DecimalField(max_digits=14, decimal_places=4, null=True)
    conversion_rate = models.FloatField(null=True)  # ratio: conversions / clicks
    roas = models.FloatField(null=True)  # conversion value / spend
    synced_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meta_ad_id", "date"], name="performance_unique_ad_day"),
            models.CheckConstraint(condition=Q(ctr__isnull=True) | (Q(ctr__gte=0) & Q(ctr__lte=1)),
                                   name="performance_ctr_is_a_ratio"),
        ]
        indexes = [
            models.Index(fields=["account", "date"], name="performance_account_date_idx"),
            # (meta_ad_id, date) is indexed by performance_unique_ad_day.
        ]

    def __str__(self) -> str:
        return f"{self.meta_ad_id} on {self.date}"


class AdMapping(models.Model):
    """Our ad ↔ a Meta ad (spec P1-5, the primary attribution path). One of our ads may run as
    several Meta ads; a Meta ad is one of our ads."""

    class Origin(models.TextChoices):
        API = "api", "API"
        CSV = "csv", "CSV upload"
        NAME = "name", "Ad name (short id)"
        LAUNCH = "launch", "Simulated launch"
        EXPERIMENT = "experiment", "Experiment deployment"

    account = models.ForeignKey(AdAccount, on_delete=models.CASCADE, related_name="mappings")
    generated_ad = models.ForeignKey("generation.GeneratedAd", on_delete=models.CASCADE, related_name="meta_mappings")
    meta_ad_id = models.CharField(max_length=40)
    origin = models.CharField(max_length=12, choices=Origin.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meta_ad_id"], name="mapping_one_ad_per_meta_ad")]
        indexes = [models.Index(fields=["generated_ad"], name="mapping_generated_ad_idx")]

    def __str__(self) -> str:
        return f"ad {self.generated_ad_id} ↔ Meta ad {self.meta_ad_id}"


# --- the simulated market's account state (its ground truth stays in its code) ----------------


class SimulatedClock(models.Model):
    """The simulated market's current day for one account (that day is not complete yet)."""

    account = models.OneToOneField(AdAccount, on_delete=models.CASCADE, related_name="simulated_clock")
    today = models.DateField()


class SimulatedCampaign(models.Model):
    account = models.ForeignKey(AdAccount, on_delete=models.CASCADE, related_name="simulated_campaigns")
    campaign_id = models.CharField(max_length=40)
    name = models.CharField(max_length=400)
    objective = models.CharField(max_length=60)
    status = models.CharField(max_length=30)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "campaign_id"], name="simcampaign_unique")]


class SimulatedAd(models.Model):
    """An ad that exists in the simulated account (launched, or created paused by an experiment)."""

    account = models.ForeignKey(AdAccount, on_delete=models.CASCADE, related_name="simulated_ads")
    meta_ad_id = models.CharField(max_length=40)
    ad_name = models.CharField(max_length=400)
    campaign_id = models.CharField(max_length=40)
    adset_id = models.CharField(max_length=40)
    objective = models.CharField(max_length=60)
    element_tags = models.JSONField(default=dict)
    launched_on = models.DateField(null=True)
    paused_on = models.DateField(null=True)
    daily_budget = models.DecimalField(max_digits=12, decimal_places=2, null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "meta_ad_id"], name="simad_unique")]


# The learning half lives in its own module; Django finds the models through this import.
from genome.models_learning import (  # noqa: E402,F401
    AdReward, AttributionFinding, ElementScore, ElementScoreSnapshot, GenomeState, RewardSource, SystemAlert,
)
