"""Words for the machine names people see (job types, purposes, categories, statuses): one place.

`humanize("image_generation")` is "Image generation", `humanize("ugc")` is "UGC",
`humanize("before_after")` is "Before / after". Pages use it through the `label` filter
(`{% load labels %}{{ value|label }}`); the API keeps the machine names.
"""

from __future__ import annotations

from adcreator.providers.base import DEFECT_TYPES, RUBRIC_CHECK_NAMES

# Where splitting on "_" and capitalising the first word would read wrong.
SPECIAL: dict[str, str] = {
    "ugc": "UGC",
    "cta": "CTA",
    "roas": "ROAS",
    "ctr": "CTR",
    "cpm": "CPM",
    "before_after": "Before / after",
    "us_vs_them": "Us vs. them",
    "ad_creation_v2": "Ad creation",
    "meta_sync": "Meta sync",
    "review_failed": "Review failed",
    "override_approve": "Approve (override)",
    "override_reject": "Reject (override)",
    "belief_first": "Belief first",
    "offer_variant": "Offer variant",
    "ocr": "OCR",
}
# Words kept in capitals wherever they appear inside a longer name.
ACRONYMS = {"ugc": "UGC", "cta": "CTA", "ai": "AI", "api": "API", "ocr": "OCR", "roas": "ROAS", "ctr": "CTR",
            "cpm": "CPM", "url": "URL", "id": "ID", "meta": "Meta", "v2": "V2"}


# The review's vocabulary (spec 6a): a check code reads with its name, a defect type as words.
CHECK_LABELS: dict[str, str] = {code: f"{code} {name}" for code, name in RUBRIC_CHECK_NAMES.items()}
DEFECT_LABELS: dict[str, str] = {d: d.replace("_", " ").capitalize() for d in DEFECT_TYPES}


def check_label(code: object) -> str:
    """"V1" → "V1 Product accuracy", "TEXT_GARBLED" → "Text garbled"; anything else as humanize."""
    text = str(code or "")
    return CHECK_LABELS.get(text) or DEFECT_LABELS.get(text) or humanize(text)


def humanize(value: object) -> str:
    """A readable label for a machine name; text that is already words is returned as it is."""
    if value is None:
        return ""
    text = str(value).strip()
    if not text:
        return ""
    key = text.lower()
    if key in SPECIAL:
        return SPECIAL[key]
    if "_" not in text and not text.islower():
        return text  # already written for people ("Night Serum")
    words = [w for w in key.replace("-", "_").split("_") if w]
    out = [ACRONYMS.get(w, w) for w in words]
    if out and out[0] == words[0]:
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)
