"""Submit an ad creation job from the command line and, with --wait, follow it to the end.

Exit code 0 only when every run of the request completed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from adcreator.calls.ledger import configured_providers_free
from adcreator.catalog.models import BeliefAngle, Membership, OfferVariant, Organization, Persona, Product
from adcreator.jobs.cli import find_brand, follow_run, no_worker_hint
from adcreator.jobs.models import JobRun, RunStatus
from generation.contact_sheet import SheetItem, contact_sheet
from generation.job_selectors import ad_counts_for_runs
from generation.progress import AdCounts, GenerationProgress, progress_view
from generation.selectors import ad_run_for_job_run, ads_for_run, run_summary_table
from adcreator.web.fields import parse_id
from generation.services import SubmissionError, ad_creation_submit

# The service's confirmation message ends by asking to confirm; on the command line that is --yes.
_CONFIRM_SUFFIX = "Confirm to submit."


def refusal_lines(errors: dict[str, list[str]], option_for) -> list[str]:
    """Each refusal once, under the option that fixes it; a confirmation names --yes."""
    lines = []
    for field, messages in errors.items():
        if field == "confirmed":
            for message in messages:
                lines.append(f"  {message.removesuffix(_CONFIRM_SUFFIX).strip()} Run it again with --yes to submit it.")
            continue
        lines.append(f"  {option_for(field)}: {'; '.join(messages)}")
    return lines


def local_note() -> str:
    """Said beside a list price when the configured providers run locally and charge nothing."""
    return "; local providers: free, nothing is charged" if configured_providers_free() else ""


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class Command(BaseCommand):
    help = "Submit an ad_creation_v2 job (a worker runs it); --wait follows its progress."

    def add_arguments(self, parser):
        parser.add_argument("--brand", required=True, help="brand slug")
        parser.add_argument("--product", required=True, help="product slug")
        parser.add_argument("--org", help="organization slug (needed only when the brand slug is ambiguous)")
        choice = parser.add_mutually_exclusive_group(required=True)
        choice.add_argument("--select", choices=["roll_the_dice", "smart_select"])
        choice.add_argument("--template-ids", help="comma-separated template ids (manual selection)")
        parser.add_argument("--count", type=int, default=3, help="templates to draw (with --select)")
        parser.add_argument("--category", help="category filter for the draw")
        parser.add_argument("--strictness", choices=["default", "growth", "premium"])
        parser.add_argument("--seed", type=int, help="seed for a reproducible draw")
        parser.add_argument("--sizes", default="1:1", help="comma-separated: 1:1,4:5,9:16,16:9")
        parser.add_argument("--colors", default="original", help="comma-separated: original,complementary,brand")
        parser.add_argument("--variations", type=int, default=1)
        parser.add_argument("--content-source", default="hooks", choices=["hooks", "belief_first", "offer_variant"])
        parser.add_argument("--persona", help="persona id or the start of its name")
        parser.add_argument("--offer-variant", help="offer variant id or the start of its name")
        parser.add_argument("--belief-angle", help="belief angle id or the start of its name")
        parser.add_argument("--yes", action="store_true", help="confirm a large job (31+ attempts) or a split")
        parser.add_argument("--wait", action="store_true", help="follow progress until the job finishes")
        parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait with --wait")
        parser.add_argument("--contact-sheet", help="with --wait: write a PNG of every ad here")

    def handle(self, *args, **opts):
        brand = find_brand(opts["brand"], opts.get("org"))
        product = Product.objects.filter(brand=brand, slug=opts["product"]).first()
        if product is None:
            raise CommandError(f"no product {opts['product']!r} for brand {brand.slug!r}")
        selection = {"mode": opts["select"] or "manual", "count": opts["count"], "category": opts.get("category"),
                     "strictness": opts.get("strictness"), "seed": opts.get("seed")}
        if opts.get("template_ids"):
            selection["template_ids"] = self._ids(opts["template_ids"], "--template-ids")
        parameters = {
            "brand_id": brand.pk, "product_id": product.pk, "template_selection": selection,
            "sizes": _csv(opts["sizes"]), "color_modes": _csv(opts["colors"]), "variations": opts["variations"],
            "content_source": opts["content_source"],
            "persona_id": self._pick(Persona.objects.filter(brand=brand), opts.get("persona"), "persona"),
            "offer_variant_id": self._pick(OfferVariant.objects.filter(product=product), opts.get("offer_variant"),
                                           "offer variant"),
            "belief_angle_id": self._pick(BeliefAngle.objects.filter(brand=brand), opts.get("belief_angle"),
                                          "belief angle"),
            "confirmed": opts["yes"],
        }
        user = self._submitter(brand.organization)
        try:
            submission = ad_creation_submit(organization=brand.organization, user=user, parameters=parameters)
        except SubmissionError as exc:
            lines = refusal_lines(exc.errors, self._option_for)
            raise CommandError("the job was not submitted:\n" + "\n".join(lines)) from exc
        est = submission.estimate
        jobs = submission.jobs
        self.stdout.write(f"Submitted job{'' if len(jobs) == 1 else 's'} {', '.join(str(j.pk) for j in jobs)} "
                          f"for {product.name} ({brand.name})")
        self.stdout.write(f"Estimate: {est.attempts} attempt{'' if est.attempts == 1 else 's'}, "
                          f"~${est.total_usd} at list prices (cap {est.cap} per job){local_note()}.")
        if submission.selection:
            ids = submission.selection["template_ids"]
            self.stdout.write(f"Drew templates {ids} with {submission.selection['mode']} "
                              f"(seed {submission.selection['seed']})")
        if submission.was_split:
            self.stdout.write(f"Over the cap: split into {len(submission.jobs)} sequential jobs:")
            for job, part in zip(submission.jobs, submission.parts):
                self.stdout.write(f"  job {job.pk}: templates {part.template_ids}, sizes {part.sizes}, "
                                  f"colours {part.colors}, {part.attempts} attempts")
        if not opts["wait"]:
            return
        ok = all(self._follow(job, opts["timeout"], opts.get("contact_sheet")) for job in submission.jobs)
        if not ok:
            sys.exit(1)

    # Request fields → the option that sets them, for error messages.
    OPTIONS = {"template_selection": "--select/--template-ids", "template_selection.template_ids": "--template-ids",
               "template_selection.count": "--count", "template_selection.category": "--category",
               "template_selection.seed": "--seed", "sizes": "--sizes", "color_modes": "--colors",
               "variations": "--variations", "persona_id": "--persona", "offer_variant_id": "--offer-variant",
               "belief_angle_id": "--belief-angle", "confirmed": "--yes", "__all__": "request"}

    def _option_for(self, field: str) -> str:
        return self.OPTIONS.get(field) or self.OPTIONS.get(field.rsplit(".", 1)[0]) or field

    def _ids(self, value: str, option: str) -> list[int]:
        ids = []
        for part in _csv(value):
            number = parse_id(part)
            if number is None:
                raise CommandError(f"{option}: {part[:30]!r} is not a template id (a positive whole number)")
            ids.append(number)
        return ids

    def _pick(self, queryset, value: str | None, label: str) -> int | None:
        """An id, or a unique name prefix, within the brand/product."""
        if not value:
            return None
        if parse_id(value) is not None:
            return parse_id(value)
        matches = list(queryset.filter(name__istartswith=value).values_list("pk", flat=True)[:2])
        if len(matches) != 1:
            names = ", ".join(repr(n) for n in queryset.values_list("name", flat=True))
            raise CommandError(f"{label} {value!r} matches {len(matches) or 'no'} entries; choose one of: {names}")
        return matches[0]

    def _submitter(self, organization: Organization):
        membership = Membership.objects.filter(organization=organization).select_related("user").order_by("id").first()
        return membership.user if membership else None

    def _follow(self, job, timeout: float, sheet_path: str | None) -> bool:
        run = follow_run(job, timeout=timeout, draw=self._draw_progress)
        self.stdout.write("")
        if run is None:
            self.stderr.write(no_worker_hint(job, timeout))
            return False
        self._summary(run, sheet_path)
        return run.status == RunStatus.COMPLETED

    def _draw_progress(self, run: JobRun) -> None:
        # The job page's progress model (generation.progress), so the terminal says what the page says.
        meta = run.metadata or {}
        counts = ad_counts_for_runs(job_run_ids=[run.pk]).get(run.pk, AdCounts())
        view = progress_view(status=run.status, progress=GenerationProgress.read(meta), counts=counts)
        width = 30
        filled = int(width * view.value / view.maximum) if view.value is not None and view.maximum else 0
        bar = "#" * filled + "." * (width - filled) if view.value is not None else "~" * width
        where = " ".join(str(meta.get(k)) for k in ("current_template", "current_size", "current_color") if meta.get(k))
        line = f"\r[{bar}] {view.phase}: {view.detail}" + (f" · now {where}" if view.show_current and where else "")
        self.stdout.write(line[:150].ljust(150), ending="")
        self.stdout.flush()

    def _summary(self, run: JobRun, sheet_path: str | None) -> None:
        meta = run.metadata or {}
        self.stdout.write(f"Run {run.pk}: {run.status}" + (f" — {run.error}" if run.error else ""))
        ad_run = ad_run_for_job_run(job_run_id=run.pk)
        if ad_run is None:
            return
        rows = run_summary_table(ad_run_id=ad_run.pk)
        self.stdout.write(f"{'template':<34} {'colour':<14} {'sizes':<32} statuses")
        for row in rows:
            statuses = ", ".join(f"{k} {v}" for k, v in sorted(row["statuses"].items()))
            self.stdout.write(f"{row['template'][:33]:<34} {row['color_mode']:<14} {' '.join(row['sizes']):<32} {statuses}")
        self.stdout.write(f"Ads: {meta.get('ads_total', 0)} total, {meta.get('ads_generated', 0)} generated, "
                          f"{meta.get('ads_failed', 0)} failed; {meta.get('provider_calls', 0)} provider calls, "
                          f"${meta.get('cost_usd', 0):.4f} recorded cost{local_note() if not meta.get('cost_usd') else ''}")
        ads = list(ads_for_run(ad_run_id=ad_run.pk))
        briefs = {}
        for ad in ads:
            briefs.setdefault(ad.prompt_index, ad)
        self.stdout.write("Copy per brief (congruence with the offer / landing page / belief, 0–1):")
        for index, ad in sorted(briefs.items()):
            adapted = f"  (adapted from {ad.original_headline!r})" if ad.original_headline else ""
            congruence = f"{ad.congruence_score:.2f}" if ad.congruence_score is not None else "n/a"
            self.stdout.write(f"  #{index} [{congruence}] {ad.headline!r}{adapted}")
        folder = Path(default_storage.path(f"ads/run-{ad_run.pk}")) if ads else None
        if folder:
            self.stdout.write(f"Images: {folder}")
        if sheet_path:
            items = []
            for ad in ads:
                data = None
                if ad.image:
                    with default_storage.open(ad.image.name, "rb") as fh:
                        data = fh.read()
                items.append(SheetItem(image_bytes=data, title=f"{ad.canvas_size} · {ad.color_mode}",
                                       subtitle=f"#{ad.prompt_index} {ad.headline}", status=ad.status))
            title = f"Ad run {ad_run.pk} — {ad_run.product.name} — {len(ads)} ads"
            Path(sheet_path).parent.mkdir(parents=True, exist_ok=True)
            Path(sheet_path).write_bytes(contact_sheet(items, title=title))
            self.stdout.write(f"Contact sheet: {Path(sheet_path).resolve()}")
