"""The Gemini vision judge (spec 6a stages 1-2) through the real google-genai SDK against the fake.

Also covers what both judges share in `review_prompts`: the instruction text and the
answer converters (clamping, missing, unknown and conflicting entries).
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from adcreator.providers.base import (
    DEFECT_TYPES,
    RUBRIC_CHECK_NAMES,
    RUBRIC_CHECKS,
    Usage,
    VisionJudge,
)
from adcreator.providers.errors import (
    ContentBlockedError,
    MalformedResponseError,
    ProviderMisconfiguredError,
    RetryableProviderError,
)
from adcreator.providers.gemini import GeminiVisionJudge
from adcreator.providers.review_prompts import (
    MAX_PRODUCT_IMAGES,
    REVIEW_MAX_LONG_EDGE,
    RUBRIC_DEFINITIONS,
    RubricAnswer,
    defect_scan_segments,
    rubric_result,
    rubric_review_segments,
)
from tests.fakes import review_answers, scenarios
from tests.fakes.fixtures import (  # noqa: F401 (fixtures)
    gemini_server,
    gemini_server_for_module,
    sample_prompt,
    sample_review_request,
    solid_png,
)
from tests.fakes.gemini_server import GEMINI_TEST_KEY, FakeGeminiServer

_judges: dict[tuple, GeminiVisionJudge] = {}


def judge(server: FakeGeminiServer, **overrides) -> GeminiVisionJudge:
    # Judges hold no per-call state, so tests share them (an SDK client costs ~0.25 s to build).
    settings = {"api_key": GEMINI_TEST_KEY, "base_url": server.base_url, "timeout_seconds": 5, **overrides}
    key = tuple(sorted(settings.items()))
    if key not in _judges:
        _judges[key] = GeminiVisionJudge(**settings)
    return _judges[key]


def marked_request(marker: str, **kwargs):
    """A review whose prompt carries a fake-server marker in the product description."""
    prompt = sample_prompt("4:5")
    prompt.product.description += f" {marker}"
    return sample_review_request(prompt, **kwargs)


def review(server: FakeGeminiServer, method: str, request=None, **overrides):
    return getattr(judge(server, **overrides), method)(request or sample_review_request())


# -- stage 1: defect scan -----------------------------------------------------------------


def test_defect_scan_sends_ad_and_products_with_a_forced_schema(gemini_server):
    request = sample_review_request()
    result = judge(gemini_server, defect_model="gemini-2.5-flash-lite").defect_scan(request)

    assert [f.defect for f in result.findings] == list(DEFECT_TYPES)
    assert not result.has_critical_defect and result.not_measured == []
    assert result.model == "gemini-2.5-flash-lite" and result.usage.input_tokens > 3 * 258

    sent = gemini_server.last_request
    assert sent.path == "/v1beta/models/gemini-2.5-flash-lite:generateContent"
    # The template is left out of the scan: only the ad and what it must reproduce.
    assert FakeGeminiServer.inline_images(sent) == [
        ("image/png", request.image), ("image/jpeg", request.product_images[0]), ("image/png", request.product_images[1]),
    ]
    config = sent.body["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    finding = config["responseSchema"]["properties"]["findings"]["items"]
    assert finding["properties"]["defect"]["enum"] == list(DEFECT_TYPES)
    assert "additionalProperties" not in str(config)
    system = sent.body["systemInstruction"]["parts"][0]["text"]
    assert all(defect in system for defect in DEFECT_TYPES)
    text = FakeGeminiServer.prompt_text(sent)
    assert '"Fall asleep without the fog"' in text and "Calm Sleep Gummies by Nightly" in text


def test_defect_named_in_the_request_is_found(gemini_server):
    result = judge(gemini_server).defect_scan(marked_request("FAKE-DEFECT:PACKAGING_TEXT_ERROR"))
    assert result.defects_found == ["PACKAGING_TEXT_ERROR"] and result.has_critical_defect
    assert result.findings[3].evidence == "marker in the request; 3 image(s) inspected"
    assert result.model == "gemini-2.5-flash"


def test_queued_defect_is_reported_with_its_evidence(gemini_server):
    gemini_server.queue(scenarios.structured(review_answers.defect_payload({"TEXT_GARBLED": "  headline letters melt  "})))
    result = judge(gemini_server).defect_scan(sample_review_request())
    garbled = result.findings[0]
    assert (garbled.defect, garbled.present, garbled.evidence) == ("TEXT_GARBLED", True, "headline letters melt")
    assert result.defects_found == ["TEXT_GARBLED"]


def test_unknown_defects_are_dropped_and_confidence_clamped(gemini_server):
    payload = review_answers.defect_payload()
    payload["findings"][1]["confidence"] = 1.03
    payload["findings"].append({"defect": "BLURRY_LOGO", "present": True, "confidence": 0.9, "evidence": "x"})
    gemini_server.queue(scenarios.structured(payload))
    result = judge(gemini_server).defect_scan(sample_review_request())
    assert len(result.findings) == 5 and not result.has_critical_defect
    assert result.findings[1].confidence == 1.0


# -- stage 2: rubric review ---------------------------------------------------------------


def test_rubric_sends_ad_template_products_and_what_was_asked(gemini_server):
    request = sample_review_request()
    result = judge(gemini_server, review_model="gemini-2.5-pro").rubric_review(request)

    assert [c.check for c in result.checks] == list(RUBRIC_CHECKS)
    assert result.model == "gemini-2.5-pro" and result.usage.input_tokens > 4 * 258
    scores = result.as_scores()
    # The fake measures V4 on the ad: it is painted in the requested palette.
    assert scores["V4"] >= 9.0 and "in the requested palette" in result.checks[3].reason
    assert {scores[c] for c in RUBRIC_CHECKS if c != "V4"} == {review_answers.DEFAULT_CHECK_SCORE}

    sent = gemini_server.last_request
    assert sent.path == "/v1beta/models/gemini-2.5-pro:generateContent"
    inline = FakeGeminiServer.inline_images(sent)
    assert [mime for mime, _ in inline] == ["image/png", "image/png", "image/jpeg", "image/png"]
    assert [data for _, data in inline] == [request.image, request.template_image, *request.product_images]
    check = sent.body["generationConfig"]["responseSchema"]["properties"]["checks"]["items"]["properties"]
    assert check["check"]["enum"] == list(RUBRIC_CHECKS) and check["score"]["type"] == "NUMBER"
    system = sent.body["systemInstruction"]["parts"][0]["text"]
    for check_id in RUBRIC_CHECKS:
        assert f"{check_id} {RUBRIC_CHECK_NAMES[check_id]}: {RUBRIC_DEFINITIONS[check_id]}" in system
    text = FakeGeminiServer.prompt_text(sent)
    for expected in ("1080x1350 pixels, aspect ratio 4:5", "colour mode: brand", "#1d3557, #f1c40f",
                     '"Fall asleep without the fog"', '"Magnesium + chamomile, no melatonin"', '"Try it tonight"',
                     "Never state or imply: cures insomnia", "have not been evaluated by the FDA",
                     "Intended awareness stage 3: solution-aware", "Core message: Sleep better tonight",
                     "Brand logo expected in the ad: yes", "Hook type: pain."):
        assert expected in text


def test_rubric_colour_score_follows_the_ad_pixels(gemini_server):
    off_palette = solid_png((1080, 1350), (128, 128, 128))
    result = judge(gemini_server).rubric_review(sample_review_request(ad=off_palette))
    assert result.as_scores()["V4"] == 0.0


def test_rubric_score_named_in_the_request_is_used(gemini_server):
    result = judge(gemini_server).rubric_review(marked_request("FAKE-SCORE:V2=6.0 FAKE-SCORE:G1=5.5"))
    assert (result.as_scores()["V2"], result.as_scores()["G1"]) == (6.0, 5.5)


def test_queued_all_high_and_borderline_rubrics(gemini_server):
    gemini_server.queue(scenarios.structured(review_answers.all_high_rubric()),
                        scenarios.structured(review_answers.borderline_rubric()))
    model = judge(gemini_server)
    high = model.rubric_review(sample_review_request()).as_scores()
    assert set(high.values()) == {9.2}

    borderline = model.rubric_review(sample_review_request()).as_scores()
    assert {check for check, score in borderline.items() if 5.0 <= score <= 7.0} == {"V2", "V8", "C2"}


def test_small_excursions_are_clamped(gemini_server):
    gemini_server.queue(scenarios.structured(review_answers.rubric_payload({"V1": 10.4, "V2": -0.5})))
    scores = judge(gemini_server).rubric_review(sample_review_request()).as_scores()
    assert (scores["V1"], scores["V2"]) == (10.0, 0.0)


def test_without_template_three_images_go_and_v3_is_judged_on_the_text(gemini_server):
    judge(gemini_server).rubric_review(sample_review_request(with_template=False))
    sent = gemini_server.last_request
    assert len(FakeGeminiServer.inline_images(sent)) == 3
    assert "TEMPLATE" not in FakeGeminiServer.prompt_text(sent).split("WHAT WAS ASKED FOR")[0]


# -- failures, each classified ---------------------------------------------------------------

METHODS = ["defect_scan", "rubric_review"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_retryable(gemini_server, method, status):
    gemini_server.queue(scenarios.server_error(status))
    with pytest.raises(RetryableProviderError) as caught:
        review(gemini_server, method)
    assert caught.value.status_code == status and len(gemini_server.requests) == 1


@pytest.mark.parametrize("method", METHODS)
def test_rate_limit_is_retryable_with_hint(gemini_server, method):
    gemini_server.queue(scenarios.rate_limited(retry_after=4))
    with pytest.raises(RetryableProviderError) as caught:
        review(gemini_server, method)
    assert caught.value.retry_after == 4


@pytest.mark.parametrize("method", METHODS)
def test_timeout_is_retryable(gemini_server, method):
    gemini_server.queue(scenarios.slow(2.0))
    with pytest.raises(RetryableProviderError, match="timed out"):
        review(gemini_server, method, timeout_seconds=0.3)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("behaviour", [scenarios.unauthorized(), scenarios.server_error(400)], ids=["auth", "bad-request"])
def test_auth_and_bad_request_are_misconfigured(gemini_server, method, behaviour):
    gemini_server.queue(behaviour)
    with pytest.raises(ProviderMisconfiguredError) as caught:
        review(gemini_server, method)
    assert not caught.value.retryable


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("behaviour", [scenarios.safety_blocked("SAFETY"), scenarios.refusal()], ids=["prompt", "answer"])
def test_safety_blocks_are_content_blocked(gemini_server, method, behaviour):
    gemini_server.queue(behaviour)
    with pytest.raises(ContentBlockedError):
        review(gemini_server, method)


_FIVE_ABSENT = review_answers.defect_payload()["findings"]
_ANATOMY_PRESENT = {"defect": "ANATOMY_ERROR", "present": True, "confidence": 1, "evidence": ""}
_WORDED_SCORE = {"checks": [{"check": "V1", "score": "good", "reason": ""}]}


@pytest.mark.parametrize(
    ("method", "behaviour", "message"),
    [
        ("defect_scan", scenarios.malformed_json('{"findings": [{"defect": "TEXT_GAR'), "does not match"),
        ("rubric_review", scenarios.malformed_json("Scores: V1 8, V2 9"), "does not match"),
        ("rubric_review", scenarios.not_json(), "unreadable response"),
        ("rubric_review", scenarios.structured(review_answers.rubric_missing("G2")), "rubric left out G2"),
        ("rubric_review", scenarios.structured(review_answers.rubric_payload({"C1": 85})), "C1=85.0 is outside 0..10"),
        ("rubric_review", scenarios.structured(review_answers.rubric_payload({"V3": 10.6})), "V3=10.6"),
        ("rubric_review", scenarios.structured(_WORDED_SCORE), "does not match"),
        ("defect_scan", scenarios.structured({"findings": _FIVE_ABSENT[:4]}), "defect scan left out PRODUCT_DISTORTION"),
        ("defect_scan", scenarios.structured({"findings": [*_FIVE_ABSENT, _ANATOMY_PRESENT]}),
         "ANATOMY_ERROR reported both present and absent"),
    ],
    ids=["defect-unparseable", "rubric-prose", "not-json", "missing-check", "percent-scale", "beyond-slack",
         "wrong-type", "missing-defect", "conflicting-defect"],
)
def test_unusable_answers_are_malformed(gemini_server, method, behaviour, message):
    gemini_server.queue(behaviour)
    with pytest.raises(MalformedResponseError, match=message) as caught:
        review(gemini_server, method)
    assert caught.value.retryable


def test_undecodable_ad_fails_before_any_call(gemini_server):
    with pytest.raises(ProviderMisconfiguredError, match="could not be read"):
        judge(gemini_server).defect_scan(sample_review_request(ad=b"not a picture"))
    assert gemini_server.requests == []


def test_judge_satisfies_protocol_and_needs_a_key(gemini_server):
    model = judge(gemini_server, defect_model="gemini-2.5-flash-lite")
    assert isinstance(model, VisionJudge)
    assert (model.defect_model, model.review_model, model.model_name) == ("gemini-2.5-flash-lite",) + ("gemini-2.5-flash",) * 2
    with pytest.raises(ProviderMisconfiguredError, match="GEMINI_API_KEY"):
        GeminiVisionJudge(api_key="")


# -- shared, without a server ---------------------------------------------------------------


def test_large_ad_is_downscaled_and_extra_products_left_out():
    tall = Image.new("RGB", (1080, 1920), (29, 53, 87))
    buffer = io.BytesIO()
    tall.save(buffer, format="PNG")
    request = sample_review_request(ad=buffer.getvalue(), product_count=MAX_PRODUCT_IMAGES + 2)

    images = [segment for segment in rubric_review_segments(request, provider="gemini") if not isinstance(segment, str)]
    assert len(images) == 2 + MAX_PRODUCT_IMAGES
    sent_ad = Image.open(io.BytesIO(images[0].data))
    assert sent_ad.size == (882, REVIEW_MAX_LONG_EDGE) and images[0].mime_type == "image/png"
    assert images[1].data == request.template_image  # small images go out byte for byte


def test_segments_are_deterministic_and_label_every_image():
    request = sample_review_request()
    segments = defect_scan_segments(request, provider="gemini")
    assert segments == defect_scan_segments(request, provider="gemini")
    labels = [segment for segment in segments if isinstance(segment, str) and segment.startswith("Image ")]
    assert labels == ["Image 1: GENERATED AD (the image under review)"] + [
        "Image 2: PRODUCT SOURCE photo (the product must look like this)",
        "Image 3: PRODUCT SOURCE photo (the product must look like this)",
    ]


def test_conflicting_check_scores_are_malformed_but_repeats_are_not():
    answer = RubricAnswer.model_validate(review_answers.rubric_payload())
    checks = answer.model_dump()["checks"]
    repeated = RubricAnswer.model_validate({"checks": [*checks, {"check": "v1", "score": 8.5, "reason": ""}]})
    assert rubric_result(repeated, provider="gemini", model="m", usage=Usage()).as_scores()["V1"] == 8.5
    conflicting = RubricAnswer.model_validate({"checks": [*checks, {"check": "V1", "score": 3, "reason": ""}]})
    with pytest.raises(MalformedResponseError, match="V1 scored twice"):
        rubric_result(conflicting, provider="gemini", model="m", usage=Usage())
