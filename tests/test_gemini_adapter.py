"""The Gemini adapters through the real google-genai SDK against a local fake of the REST API.

Also covers the pure helpers they stand on: `fit_to_canvas` and `prompt_to_instructions`.
"""

from __future__ import annotations

import io
import socket
import time

import pytest
from google.genai import errors as genai_errors
from PIL import Image

from adcreator.prompts.models import CANVAS_SIZES
from adcreator.providers.base import (
    CongruenceRequest,
    HookAdaptationRequest,
    ImageModel,
    ImageRequest,
    TemplateAnalysisRequest,
    TemplateAnalyzer,
    TextModel,
)
from adcreator.providers.errors import (
    ContentBlockedError,
    MalformedResponseError,
    ProviderMisconfiguredError,
    RetryableProviderError,
)
from adcreator.providers.gemini import (
    GeminiImageModel,
    GeminiTemplateAnalyzer,
    GeminiTextModel,
    _translate_api_error,
)
from adcreator.providers.imaging import fit_to_canvas
from adcreator.providers.instructions import prompt_to_instructions
from tests.fakes import scenarios
from tests.fakes.fixtures import (  # noqa: F401 (fixtures)
    gemini_server,
    gemini_server_for_module,
    sample_prompt,
    sample_references,
    solid_png,
)
from tests.fakes.gemini_server import GEMINI_TEST_KEY, FakeGeminiServer

_adapters: dict[tuple, object] = {}


def _adapter(cls, server: FakeGeminiServer, overrides: dict):
    # Adapters hold no per-call state, so tests share them (see the fixtures' note on cost).
    settings = {"api_key": GEMINI_TEST_KEY, "base_url": server.base_url, "timeout_seconds": 5, **overrides}
    key = (cls, tuple(sorted(settings.items())))
    if key not in _adapters:
        _adapters[key] = cls(**settings)
    return _adapters[key]


def image_model(server: FakeGeminiServer, **overrides) -> GeminiImageModel:
    return _adapter(GeminiImageModel, server, overrides)


def text_model(server: FakeGeminiServer, **overrides) -> GeminiTextModel:
    return _adapter(GeminiTextModel, server, overrides)


def analyzer(server: FakeGeminiServer) -> GeminiTemplateAnalyzer:
    return _adapter(GeminiTemplateAnalyzer, server, {})


def decode(png: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(png))
    assert picture.format == "PNG"
    return picture.convert("RGB")


# -- image generation -------------------------------------------------------------------


@pytest.mark.parametrize("ratio", list(CANVAS_SIZES))
def test_native_size_image_is_brought_to_exact_canvas(gemini_server, ratio):
    result = image_model(gemini_server).generate(ImageRequest(prompt=sample_prompt(ratio)))

    canvas = CANVAS_SIZES[ratio]
    assert (result.width, result.height) == canvas
    assert decode(result.png).size == canvas
    assert (result.native_width, result.native_height) == scenarios.NATIVE_IMAGE_SIZES[ratio]
    assert not any("ratio mismatch" in note for note in result.notes)
    assert result.model == "gemini-2.5-flash-image"
    assert result.usage.images_out == 1 and result.usage.input_tokens > 0 and result.usage.output_tokens >= 1290
    # The fake paints its background in the first palette colour it was told about: the
    # prompt reached the model and the pixels survived the resize.
    assert decode(result.png).getpixel((5, 5)) == pytest.approx((0x1D, 0x35, 0x57), abs=3)


def test_request_carries_ratio_instructions_and_ordered_inline_references(gemini_server):
    references = sample_references()
    image_model(gemini_server).generate(ImageRequest(prompt=sample_prompt("9:16"), references=references))

    sent = gemini_server.last_request
    assert sent.path == "/v1beta/models/gemini-2.5-flash-image:generateContent"
    assert sent.headers["x-goog-api-key"] == GEMINI_TEST_KEY
    config = sent.body["generationConfig"]
    assert config["responseModalities"] == ["IMAGE"]
    assert config["imageConfig"]["aspectRatio"] == "9:16"
    assert "retry" not in str(sent.headers).lower()
    inline = FakeGeminiServer.inline_images(sent)
    by_role = {ref.role: ref for ref in references}
    assert [mime for mime, _ in inline] == ["image/png", "image/jpeg", "image/png"]
    assert [data for _, data in inline] == [by_role["template"].data, by_role["product"].data, by_role["logo"].data]
    text = FakeGeminiServer.prompt_text(sent)
    assert "1080x1920 pixels, aspect ratio 9:16" in text and '"Fall asleep without the fog"' in text


def test_ignored_ratio_is_cover_cropped_and_noted(gemini_server):
    gemini_server.queue(scenarios.wrong_ratio((1024, 1024)))
    request = ImageRequest(prompt=sample_prompt("9:16"), references=sample_references())
    result = image_model(gemini_server).generate(request)

    assert decode(result.png).size == (1080, 1920)
    assert (result.native_width, result.native_height) == (1024, 1024)
    assert result.notes == ["ratio mismatch: got 1024x1024 for canvas 1080x1920"]


def test_rate_limit_is_retryable_with_server_hint_and_next_call_succeeds(gemini_server):
    gemini_server.queue(scenarios.rate_limited(retry_after=7))
    model = image_model(gemini_server)

    with pytest.raises(RetryableProviderError) as caught:
        model.generate(ImageRequest(prompt=sample_prompt("1:1")))
    assert caught.value.status_code == 429 and caught.value.retry_after == 7
    assert len(gemini_server.requests) == 1  # the SDK did not retry behind our back

    assert model.generate(ImageRequest(prompt=sample_prompt("1:1"))).width == 1080
    assert len(gemini_server.requests) == 2


def test_retry_delay_from_rpc_details_when_no_header():
    error = genai_errors.ClientError(
        429,
        {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "quota",
                   "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "12.5s"}]}},
    )
    translated = _translate_api_error(error)
    assert isinstance(translated, RetryableProviderError) and translated.retry_after == 12.5


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_retryable(gemini_server, status):
    gemini_server.queue(scenarios.server_error(status))
    with pytest.raises(RetryableProviderError) as caught:
        image_model(gemini_server).generate(ImageRequest(prompt=sample_prompt("1:1")))
    assert caught.value.status_code == status and caught.value.retryable
    assert len(gemini_server.requests) == 1


def test_slow_answer_times_out_as_retryable(gemini_server):
    gemini_server.queue(scenarios.slow(2.0))
    started = time.monotonic()
    with pytest.raises(RetryableProviderError, match="timed out"):
        image_model(gemini_server, timeout_seconds=0.3).generate(ImageRequest(prompt=sample_prompt("1:1")))
    assert time.monotonic() - started < 1.5


def test_unreachable_server_is_retryable():
    with socket.socket() as probe:  # a port nobody listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    model = GeminiImageModel(api_key=GEMINI_TEST_KEY, base_url=f"http://127.0.0.1:{port}", timeout_seconds=2)
    with pytest.raises(RetryableProviderError, match="connection failed"):
        model.generate(ImageRequest(prompt=sample_prompt("1:1")))


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [(scenarios.safety_blocked("PROHIBITED_CONTENT"), "PROHIBITED_CONTENT"), (scenarios.image_safety(), "IMAGE_SAFETY")],
)
def test_blocked_prompt_or_image_is_content_blocked(gemini_server, behaviour, reason):
    gemini_server.queue(behaviour)
    with pytest.raises(ContentBlockedError, match=reason) as caught:
        image_model(gemini_server).generate(ImageRequest(prompt=sample_prompt("4:5")))
    assert not caught.value.retryable


def test_text_instead_of_image_is_content_blocked(gemini_server):
    gemini_server.queue(scenarios.text_only("I cannot create images of that product."))
    with pytest.raises(ContentBlockedError, match="model returned text but no image: I cannot create images"):
        image_model(gemini_server).generate(ImageRequest(prompt=sample_prompt("4:5")))


def test_undecodable_image_is_malformed(gemini_server):
    gemini_server.queue(scenarios.corrupt_image())
    with pytest.raises(MalformedResponseError, match="could not be decoded"):
        image_model(gemini_server).generate(ImageRequest(prompt=sample_prompt("4:5")))


def test_wrong_key_is_misconfigured(gemini_server):
    with pytest.raises(ProviderMisconfiguredError) as caught:
        image_model(gemini_server, api_key="not-the-key").generate(ImageRequest(prompt=sample_prompt("1:1")))
    assert caught.value.status_code == 403 and not caught.value.retryable


@pytest.mark.parametrize("status", [400, 404])
def test_bad_request_or_unknown_model_is_misconfigured(gemini_server, status):
    gemini_server.queue(scenarios.server_error(status))
    with pytest.raises(ProviderMisconfiguredError):
        text_model(gemini_server).adapt_hook(HookAdaptationRequest(hook_text="Sleep again"))


def test_missing_key_is_misconfigured_before_any_call():
    with pytest.raises(ProviderMisconfiguredError, match="GEMINI_API_KEY"):
        GeminiTextModel(api_key="")


def test_adapters_satisfy_protocols(gemini_server):
    assert isinstance(image_model(gemini_server), ImageModel)
    assert isinstance(text_model(gemini_server), TextModel)
    assert isinstance(analyzer(gemini_server), TemplateAnalyzer)


# -- structured text --------------------------------------------------------------------


def test_congruence_default_answer_is_computed_and_schema_has_no_open_dicts(gemini_server):
    request = CongruenceRequest(headline="Sleep better tonight, naturally", offer_core_message="Sleep better tonight")
    result = text_model(gemini_server).score_congruence(request)

    assert result.offer_alignment == pytest.approx(0.75)  # 3 shared words of 4
    assert result.hero_alignment is None and result.belief_alignment is None
    assert result.overall_score == pytest.approx(0.75)
    assert result.model == "gemini-2.5-flash" and result.usage.input_tokens > 0
    config = gemini_server.last_request.body["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert "overall_score" in config["responseSchema"]["properties"]
    assert "additionalProperties" not in str(config)


def test_congruence_payload_is_validated_and_clamped(gemini_server):
    gemini_server.queue(scenarios.structured({
        "offer_alignment": 0.7, "hero_alignment": 1.02, "belief_alignment": 0.4, "overall_score": 0.66,
        "adapted_headline": "  Sleep better, wake clear  ", "reasoning": "Close to the hero.",
    }))
    request = CongruenceRequest(headline="Sleep better", offer_core_message="Deep sleep", hero_headline="Sleep better, wake clear")
    result = text_model(gemini_server).score_congruence(request)

    assert (result.offer_alignment, result.hero_alignment, result.overall_score) == (0.7, 1.0, 0.66)
    assert result.belief_alignment is None  # nothing to compare against, whatever the model said
    assert result.adapted_headline == "Sleep better, wake clear"


@pytest.mark.parametrize(
    "behaviour",
    [
        scenarios.malformed_json(),
        scenarios.structured({"overall_score": "high"}),
        scenarios.structured({"offer_alignment": None, "hero_alignment": None, "belief_alignment": None,
                              "overall_score": 7.5, "adapted_headline": None, "reasoning": "0-10 scale"}),
    ],
    ids=["unparseable", "schema-mismatch", "out-of-range"],
)
def test_bad_structured_answer_is_malformed(gemini_server, behaviour):
    gemini_server.queue(behaviour)
    with pytest.raises(MalformedResponseError) as caught:
        text_model(gemini_server).score_congruence(CongruenceRequest(headline="Sleep better"))
    assert caught.value.retryable


def test_text_call_rate_limited_is_retryable(gemini_server):
    gemini_server.queue(scenarios.rate_limited(retry_after=3))
    with pytest.raises(RetryableProviderError) as caught:
        text_model(gemini_server).score_congruence(CongruenceRequest(headline="Sleep better"))
    assert caught.value.retry_after == 3


def test_hook_adaptation_default_respects_limit(gemini_server):
    request = HookAdaptationRequest(hook_text="Tired of waking up at 3am every single night?", persona_name="Tired parents",
                                    product_name="Calm Gummies", max_chars=30)
    result = text_model(gemini_server).adapt_hook(request)
    assert result.headline == "Tired of waking up at 3am"
    assert result.subheadline == "Calm Gummies for Tired parents"


def test_hook_headline_over_limit_is_malformed(gemini_server):
    gemini_server.queue(scenarios.structured({"headline": "x" * 31, "subheadline": ""}))
    with pytest.raises(MalformedResponseError, match="limit 30"):
        text_model(gemini_server).adapt_hook(HookAdaptationRequest(hook_text="Sleep", max_chars=30))


# -- template analysis -------------------------------------------------------------------


def test_template_analysis_sends_image_and_converts_answer(gemini_server):
    template = solid_png((200, 250), (250, 240, 230), mark=(30, 60, 90))
    template_analyzer = analyzer(gemini_server)
    result = template_analyzer.analyze_template(TemplateAnalysisRequest(image=template))

    assert template_analyzer.detection_version == "gemini-elements-v1"
    assert FakeGeminiServer.inline_images(gemini_server.last_request) == [("image/png", template)]
    elements = result.elements
    assert elements.detector == "gemini-elements-v1"
    assert elements.palette[0] == elements.background == "#faf0e6"  # measured from the template
    assert "#1e3c5a" in elements.palette  # the square in the middle
    assert [area.role for area in elements.text_areas] == ["headline", "cta"]
    assert elements.required_assets == ["product"] and elements.not_detected == []


def test_template_analysis_drops_invalid_boxes_and_tags_with_notes(gemini_server):
    box = lambda x0, y0, x1, y1: {"x0": x0, "y0": y0, "x1": x1, "y1": y1}  # noqa: E731
    gemini_server.queue(scenarios.structured({
        "required_assets": ["product", "mascot"], "optional_assets": [],
        "text_areas": [
            {"role": "headline", "box": box(0.1, 0.1, 0.9, 0.3), "max_chars": 900, "align": "left"},
            {"role": "cta", "box": box(0.7, 0.9, 0.3, 0.95), "max_chars": 12, "align": "center"},
        ],
        "logo_areas": [{"box": box(0.0, 0.0, 1.2, 0.1), "confidence": 0.9}],
        "product_areas": [{"box": box(0.3, 0.4, 0.7, 0.8), "confidence": 1.4}],
        "people": [], "palette": ["#FFFFFF", "white"], "background": "#ffffff",
    }))
    elements = analyzer(gemini_server).analyze_template(TemplateAnalysisRequest(image=solid_png((50, 50), (255, 255, 255)))).elements

    assert [(a.role, a.max_chars, a.align) for a in elements.text_areas] == [("headline", 400, "left")]
    assert elements.logo_areas == [] and elements.product_areas[0].confidence == 1.0
    assert elements.required_assets == ["product"] and elements.palette == ["#ffffff"]
    assert any(note.startswith("text_areas[1] (cta): invalid box") for note in elements.not_detected)
    assert any(note.startswith("logo_areas[0]: invalid box") for note in elements.not_detected)
    assert "required_assets: unknown asset tag 'mascot' dropped" in elements.not_detected


# -- pure helpers -------------------------------------------------------------------------


def test_fit_to_canvas_rejects_garbage_and_decompression_bombs(monkeypatch):
    with pytest.raises(MalformedResponseError):
        fit_to_canvas(b"not an image", 100, 100)
    with pytest.raises(MalformedResponseError):
        fit_to_canvas(b"", 100, 100)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(MalformedResponseError, match="too large"):
        fit_to_canvas(solid_png((40, 40), (1, 2, 3)), 10, 10)


def test_fit_to_canvas_flattens_transparency_onto_white():
    buffer = io.BytesIO()
    Image.new("RGBA", (64, 80), (0, 0, 0, 0)).save(buffer, format="PNG")
    png, width, height, notes = fit_to_canvas(buffer.getvalue(), 1080, 1350)
    picture = decode(png)
    assert (width, height, notes) == (64, 80, [])
    assert picture.mode == "RGB" and picture.getpixel((540, 675)) == (255, 255, 255)


def test_instructions_are_deterministic_and_complete():
    prompt = sample_prompt("4:5")
    text = prompt_to_instructions(prompt)
    assert text == prompt_to_instructions(sample_prompt("4:5"))
    for expected in ("1080x1350 pixels, aspect ratio 4:5", "colour mode: brand", "#1d3557, #f1c40f",
                     '(at most 40 characters): "Fall asleep without the fog"', '"Try it tonight"',
                     "Place the brand logo", "Do not invent prices.", "Never state or imply: cures insomnia",
                     "have not been evaluated by the FDA"):
        assert expected in text
    # References are described in the order they are attached: template, product, logo.
    assert text.index("1. the ad template") < text.index("2. a product photo") < text.index("3. the brand logo")
    assert text.rstrip().endswith("}") and '"prompt_version": "v2.1"' in text


@pytest.mark.parametrize(
    ("behaviour", "message"),
    [(scenarios.safety_blocked("SAFETY"), "prompt blocked"), (scenarios.image_safety(), "answer withheld")],
)
def test_withheld_structured_answer_is_blocked_not_malformed(gemini_server, behaviour, message):
    gemini_server.queue(behaviour)
    with pytest.raises(ContentBlockedError, match=message):
        text_model(gemini_server).score_congruence(CongruenceRequest(headline="Sleep better"))


def test_non_json_body_is_malformed(gemini_server):
    gemini_server.queue(scenarios.not_json())
    with pytest.raises(MalformedResponseError, match="unreadable response"):
        image_model(gemini_server).generate(ImageRequest(prompt=sample_prompt("1:1")))


def test_references_that_differ_from_the_described_ones_are_noted(gemini_server):
    only_template = [ref for ref in sample_references() if ref.role == "template"]
    result = image_model(gemini_server).generate(ImageRequest(prompt=sample_prompt("1:1"), references=only_template))
    assert result.notes == [
        "reference images sent ['template'] differ from those described ['template', 'product', 'logo']"
    ]
