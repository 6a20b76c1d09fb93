"""AnalyzeTemplate: stored detection is the cache; a never-analysed template is analysed once, and stored."""

from __future__ import annotations

import logging

from adcreator.providers import factory
from generation.pipeline.state import PipelineState
from generation.pipeline.tooling import ledger_for, read_file
from templates.models import ScrapedTemplate
from templates.services import template_detect_elements

logger = logging.getLogger(__name__)


class AnalyzeTemplate:
    name = "analyze_template"

    def run(self, state: PipelineState) -> None:
        pending = [t for t in state.templates if t.elements is None]
        if not pending:
            return
        analyzer = factory.template_analyzer()
        ledger = ledger_for(state)
        for template in pending:
            row = ScrapedTemplate(pk=template.id, name=template.name, image=template.image_path)
            outcome = template_detect_elements(template=row, analyzer=analyzer, ledger=ledger,
                                               image=read_file(state, template.image_path), overwrite=False)
            if not outcome.ok:
                # Generation can still follow the reference image; the prompt says so.
                logger.warning("runtime analysis of template %s failed: %s", template.id, outcome.error)
                continue
            template.elements = outcome.elements
