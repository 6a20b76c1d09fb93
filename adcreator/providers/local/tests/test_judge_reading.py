"""The OCR-backed checks of the local judge on hand-made images: each measure on its own."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageDraw

from adcreator.prompts.models import AdGenerationPrompt
from adcreator.providers.base import ReviewRequest
from adcreator.providers.errors import ProviderError
from adcreator.providers.local import ocr
from adcreator.providers.local.fonts import load_font
from adcreator.providers.local.judge import LocalVisionJudge
from adcreator.providers.local.judge_copy import align_substring, confident_edits, fold
from adcreator.providers.local.tests.test_judge import rendered, squashed_product
from adcreator.providers.local.tests.test_render import bottle_png, build_prompt

HEADLINE = "Sleep deeper tonight"


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def card(text: str, ink: str = "#1a1a1a", ground: str = "#ffffff") -> Image.Image:
    image = Image.new("RGB", (1080, 1350), ground)
    ImageDraw.Draw(image).text((80, 300), text, font=load_font("Lato", "Black", 96), fill=ink)
    return image


def headline_prompt(headline: str = HEADLINE, **brand) -> AdGenerationPrompt:
    prompt = build_prompt("4:5", "original", headline=headline, subheadline=None, disclaimers=brand.get("disclaimers", ()))
    prompt.content.cta = ""
    prompt.product.prohibited_claims = list(brand.get("prohibited", []))
    return prompt


def review(image: Image.Image, prompt: AdGenerationPrompt, products: list[bytes] = ()):
    judge = LocalVisionJudge()
    request = ReviewRequest(image=png(image), prompt=prompt, product_images=list(products))
    scan = judge.defect_scan(request)
    return {f.defect: f for f in scan.findings}, {c.check: c for c in judge.rubric_review(request).checks}


# --- the string comparison, by hand ---------------------------------------------------------

def test_fold_ignores_case_spacing_punctuation_and_ocr_confusables():
    assert fold("Shop  NOW!") == fold("shopnow") == "shopnow"
    assert fold("Café 10%") == "cafelo"  # accent dropped; 1/l/i and 0/o are one glyph class
    assert fold("Illicit") == fold("1ll1clt")


def test_a_line_is_matched_as_a_substring_with_its_edits_counted():
    target = fold("Sleep deeper from night one")  # "sleepdeeperfromnlghtone"
    exact = align_substring(fold("deeper from"), target)
    assert (exact.edits, exact.span) == (0, (5, 15))
    one_off = align_substring(fold("deepr from"), target)  # one letter dropped
    assert one_off.edits == 1 and one_off.span == (5, 15)
    unrelated = align_substring(fold("qzxv kjwp"), target)
    assert unrelated.ratio(len(fold("qzxv kjwp"))) > 0.6


def test_only_edits_the_ocr_was_sure_of_count_as_misspellings():
    read = fold("Slexp")  # 'x' for 'e'
    alignment = align_substring(read, fold("Sleep"))
    assert confident_edits(alignment, [0.99] * 5, read) == 1
    assert confident_edits(alignment, [0.99, 0.99, 0.99, 0.55, 0.99], read) == 0  # the OCR guessed at the 'x'
    merged = fold("liftsunscreen")  # a doubled letter across a gap, merged by the decoder
    assert confident_edits(align_substring(merged, fold("lifts sunscreen")), [0.99] * len(merged), merged) == 0


# --- each measure on a hand-made image ------------------------------------------------------

def test_a_correct_line_passes_and_is_read():
    defects, checks = review(card(HEADLINE), headline_prompt())
    assert not defects["TEXT_GARBLED"].present, defects["TEXT_GARBLED"].evidence
    assert checks["V2"].score >= 9 and checks["C1"].score >= 8, (checks["V2"], checks["C1"])
    assert "Sleep deeper tonight" in checks["C1"].reason


def test_a_line_of_random_glyphs_is_garbled_text_with_its_box_and_reading():
    rng = random.Random(7)
    glyphs = " ".join("".join(rng.choice("bcdfghjkmnpqrtvwxz") for _ in range(n)) for n in (5, 6, 7))
    defects, checks = review(card(glyphs), headline_prompt())
    garbled = defects["TEXT_GARBLED"]
    assert garbled.present and "matching no requested copy" in garbled.evidence, garbled.evidence
    x0, y0, x1, y1 = garbled.region
    assert 0.05 < x0 < 0.2 and 0.2 < y0 < 0.25 and y1 < 0.35, garbled.region  # the line drawn at (80, 300)
    assert checks["V2"].score <= 3 and checks["C1"].score <= 1, (checks["V2"], checks["C1"])


def test_a_misspelt_word_is_garbled_text():
    defects, _ = review(card("Sleep deepre tonight"), headline_prompt())
    garbled = defects["TEXT_GARBLED"]
    assert garbled.present and "misspelt headline" in garbled.evidence, garbled.evidence


def small_card(text: str) -> Image.Image:
    """`text` in 28 px type (a ~40 px line box): the size of an ad's CTA or fine subheadline."""
    image = Image.new("RGB", (1080, 1350), "#ffffff")
    ImageDraw.Draw(image).text((80, 300), text, font=load_font("Lato", "Bold", 28), fill="#1a1a1a")
    return image


def test_a_letter_missing_in_small_type_is_a_misspelling_and_the_right_word_is_not():
    defects, _ = review(small_card("Sleep deeper toight"), headline_prompt())
    garbled = defects["TEXT_GARBLED"]
    assert garbled.present and "misspelt headline" in garbled.evidence and "toight" in garbled.evidence.lower(), garbled.evidence
    defects, _ = review(small_card(HEADLINE), headline_prompt())
    assert not defects["TEXT_GARBLED"].present, defects["TEXT_GARBLED"].evidence


def test_a_changed_letter_in_small_type_is_a_misspelling():
    defects, _ = review(small_card("Sleep deeper tonigbt"), headline_prompt())
    assert defects["TEXT_GARBLED"].present and "misspelt headline" in defects["TEXT_GARBLED"].evidence, defects["TEXT_GARBLED"].evidence


def test_a_headline_faded_to_1_1_to_1_scores_low_instead_of_vanishing():
    # #e9e9e9 on white: (1.05) / (0.817 + 0.05) = 1.21:1; #f0f0f0 is 1.13:1.
    defects, checks = review(card(HEADLINE, ink="#f0f0f0"), headline_prompt())
    assert checks["V2"].score <= 1.0 and "1.1:1" in checks["V2"].reason, checks["V2"]
    assert checks["V2"].region is not None
    assert defects["TEXT_GARBLED"].present and "unreadable headline" in defects["TEXT_GARBLED"].evidence


def test_missing_disclaimer_and_prohibited_claim_lower_brand_guidelines():
    compliant = card(HEADLINE)
    ImageDraw.Draw(compliant).text((80, 1250), "Results may vary.", font=load_font("Lato", "Regular", 30), fill="#1a1a1a")
    prompt = headline_prompt(disclaimers=("Results may vary.",), prohibited=("cures acne",))
    _, checks = review(compliant, prompt)
    assert checks["V5"].score >= 9, checks["V5"]
    _, checks = review(card(HEADLINE), prompt)  # no disclaimer drawn
    assert checks["V5"].score <= 3 and "disclaimer" in checks["V5"].reason, checks["V5"]
    claim = card("Cures acne fast")
    _, checks = review(claim, headline_prompt("Cures acne fast", prohibited=("cures acne",)))
    assert checks["V5"].score <= 1 and "prohibited" in checks["V5"].reason, checks["V5"]


def test_a_product_stretched_1_4x_is_a_distortion():
    # Its height cut to 1/1.4 makes it 1.4x wider for its height and keeps it on the canvas:
    # widened instead, this layout's bottle would run past the right edge.
    outcome = rendered("4:5", "original")
    defects, checks = review(squashed_product(outcome, 1.0, 1 / 1.4), build_prompt("4:5", "original"), [bottle_png()])
    distortion = defects["PRODUCT_DISTORTION"]
    assert distortion.present and "wider" in distortion.evidence, distortion.evidence
    assert distortion.region is not None and checks["V1"].score <= 4


def test_an_absent_product_fails_product_accuracy():
    outcome = rendered("4:5", "original")
    image = outcome.image.copy()
    x0, y0, x1, y1 = outcome.product_box
    ImageDraw.Draw(image).rectangle((x0, y0, x1, y1), fill=image.getpixel((x0 - 4, (y0 + y1) // 2)))
    _, checks = review(image, build_prompt("4:5", "original"), [bottle_png()])
    assert checks["V1"].score is not None and checks["V1"].score <= 1, checks["V1"]
    assert "not found" in checks["V1"].reason


def test_wrong_label_text_is_a_packaging_text_error():
    def labelled(word: str) -> bytes:
        image = Image.open(io.BytesIO(bottle_png((840, 1280)))).convert("RGB")
        ImageDraw.Draw(image).text((250, 700), word, font=load_font("Lato", "Black", 64), fill="#23313f")
        return png(image)

    # The ad shows the bottle labelled "VITAMINS" while the source's label reads "CALMING".
    source, shown = labelled("CALMING"), labelled("VITAMINS")
    ad = Image.new("RGB", (1080, 1350), "#f6efe4")
    ad.paste(Image.open(io.BytesIO(shown)).resize((420, 640)), (560, 400))
    defects, checks = review(ad, headline_prompt(), [source])
    packaging = defects["PACKAGING_TEXT_ERROR"]
    assert packaging.present and "VITAMINS" in packaging.evidence, packaging.evidence
    assert checks["V9"].score < 3


def test_a_misspelt_label_is_a_packaging_text_error_and_the_faithful_label_is_not():
    def labelled(word: str) -> bytes:
        image = Image.open(io.BytesIO(bottle_png((840, 1280)))).convert("RGB")
        ImageDraw.Draw(image).text((230, 700), word, font=load_font("Lato", "Black", 64), fill="#23313f")
        return png(image)

    def ad(label: bytes) -> Image.Image:
        image = Image.new("RGB", (1080, 1350), "#f6efe4")
        image.paste(Image.open(io.BytesIO(label)).resize((420, 640)), (560, 400))  # the label's 64 px type comes out 32 px
        return image

    source = labelled("CALMING")
    defects, checks = review(ad(labelled("CARMING")), headline_prompt(), [source])
    packaging = defects["PACKAGING_TEXT_ERROR"]
    assert packaging.present and "misspelt" in packaging.evidence and "CARMING" in packaging.evidence, packaging.evidence
    assert checks["V9"].score < 3
    defects, _ = review(ad(source), headline_prompt(), [source])
    assert not defects["PACKAGING_TEXT_ERROR"].present, defects["PACKAGING_TEXT_ERROR"].evidence


# --- fail closed ------------------------------------------------------------------------------

@pytest.fixture
def fresh_engine(monkeypatch):
    monkeypatch.setattr(ocr, "_shared", None)
    yield
    ocr._shared = None  # the next test loads the real models again


def test_missing_ocr_models_are_a_provider_error(fresh_engine, monkeypatch, tmp_path):
    monkeypatch.setattr(ocr, "model_directory", lambda: tmp_path)
    with pytest.raises(ocr.OcrUnavailableError) as raised:
        LocalVisionJudge().defect_scan(ReviewRequest(image=png(card(HEADLINE)), prompt=headline_prompt()))
    assert isinstance(raised.value, ProviderError) and not raised.value.retryable
