"""Initialize: find this run's AdRun again (a resumed run) or create it, with the versions used."""

from __future__ import annotations

from adcreator.catalog.models import Brand, Product
from adcreator.jobs.models import JobRun
from adcreator.prompts.models import PROMPT_VERSION
from generation.models import AdRun
from generation.pipeline.state import CatalogContext, PipelineState


class Initialize:
    name = "initialize"

    def run(self, state: PipelineState) -> None:
        run = JobRun.objects.select_related("job").get(pk=state.run_id)
        params = state.params
        brand = Brand.objects.select_related("organization").get(pk=params.brand_id,
                                                                 organization_id=run.job.organization_id)
        product = Product.objects.get(pk=params.product_id, brand=brand)
        state.catalog = CatalogContext(organization=brand.organization, brand=brand, product=product)
        state.ad_run, _ = AdRun.objects.get_or_create(
            job_run=run,
            defaults={
                "organization": brand.organization,
                "brand": brand,
                "product": product,
                "generation_config": {
                    "prompt_template_version": PROMPT_VERSION,
                    "pipeline_version": "v2",
                    "review_rubric_version": None,
                    "parameters": params.model_dump(mode="json"),
                },
            },
        )
        state.report(ad_run_id=state.ad_run.pk)
