"""Fail closed with the offline judge: an OCR that cannot load or crashes never approves an ad."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from adcreator.providers.base import ReviewRequest
from adcreator.providers.local import ocr
from adcreator.providers.local.fonts import load_font
from adcreator.providers.local.judge import LocalVisionJudge
from adcreator.providers.local.tests.test_render import build_prompt
from adcreator.providers.retry import RetryPolicy
from review.decision import ScoringConfig
from review.staged import review_staged

WEIGHTS = {check: 1.0 for check in ("V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9", "C1", "C2", "C3", "C4", "G1", "G2")}


def _request() -> ReviewRequest:
    image = Image.new("RGB", (1080, 1350), "#ffffff")
    ImageDraw.Draw(image).text((80, 300), "Sleep deeper from night one", font=load_font("Lato", "Black", 80), fill="#1a1a1a")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ReviewRequest(image=buffer.getvalue(), prompt=build_prompt("4:5", "original"))


def _review():
    judge = LocalVisionJudge()
    return review_staged(request=_request(), config=ScoringConfig(weights=WEIGHTS), judge=judge, second_judge=judge,
                         policy=RetryPolicy(max_attempts=2, base_delay=0.0))


@pytest.fixture
def fresh_engine(monkeypatch):
    monkeypatch.setattr(ocr, "_shared", None)
    yield
    ocr._shared = None  # later tests load the real models again


def test_ocr_models_that_fail_to_load_make_the_review_fail(fresh_engine, monkeypatch, tmp_path):
    monkeypatch.setattr(ocr, "model_directory", lambda: tmp_path)  # no model files there
    outcome = _review()
    assert outcome.status == "review_failed" and outcome.stage_reached == 1
    assert "OCR models" in outcome.error, outcome.error


def test_an_ocr_that_crashes_while_reading_makes_the_review_fail(fresh_engine, monkeypatch):
    engine = ocr.shared_engine()

    class Broken:
        def run(self, *args, **kwargs):
            raise RuntimeError("onnxruntime: bad allocation")

    monkeypatch.setattr(engine, "_rec", Broken())
    outcome = _review()
    assert outcome.status == "review_failed" and outcome.stage_reached == 1
    assert "OCR inference failed" in outcome.error, outcome.error
