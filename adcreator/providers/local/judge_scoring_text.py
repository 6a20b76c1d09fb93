"""The text checks of the local judge, from what the OCR read (judge_reading): the
TEXT_GARBLED and PACKAGING_TEXT_ERROR defects and the V2, V5, V9, C1, C2 and G1 scores.

Each finding names the line (its box, what was read) and the copy it was compared with;
each score is a documented mapping of measured values, as in `judge_scoring`.
"""

from __future__ import annotations

from adcreator.prompts.models import AdGenerationPrompt
from adcreator.providers.base import CongruenceRequest, DefectFinding
from adcreator.providers.local.judge_measures import score_from_knots
from adcreator.providers.local.judge_reading import TextLine, TextMeasurement

# WCAG contrast → legibility. AA body text (4.5:1) is the bar a reviewer would pass (7);
# AAA (7:1) reads effortlessly (9); below 3:1 even large type fails on a phone in daylight.
CONTRAST_KNOTS = ((1.0, 0.0), (1.5, 1.0), (2.0, 2.5), (3.0, 4.5), (4.5, 7.0), (7.0, 9.0), (21.0, 10.0))
# WCAG 1.4.11 asks 3:1 for a control against its surroundings; a button that barely stands
# out from the ground (1.3:1) is hard to spot as a button.
BUTTON_CONTRAST_KNOTS = ((1.0, 0.0), (1.3, 3.0), (2.0, 6.0), (3.0, 8.5), (4.5, 10.0))
# Below this contrast copy is not merely weak but unreadable at a glance: a defect. Faded
# type at 1.5:1 is where a reader squints; a screen in daylight loses it altogether.
UNREADABLE_CONTRAST = 1.6
# Text that matched nothing requested counts when read this surely and at least this long:
# shorter or shakier reads are as likely a pattern the OCR guessed at.
UNREQUESTED_MIN_CONFIDENCE = 0.8
UNREQUESTED_MIN_CHARS = 4
# Partly missing copy is cut or truncated when at least this much of it is there (less is
# missing copy, scored as such) and at least this many characters are not.
CUT_MIN_COVERAGE = 0.2
CUT_MIN_MISSING = 3
NO_TEXT_SCORE = 1.0  # copy was asked for and none of it was read
MISSING_HEADLINE_SCORE = 1.0
NO_BUTTON_SCORE = 2.0  # a CTA was asked for and is not on the ad
CTA_WITHOUT_BUTTON_SCORE = 5.0  # the words are there, but nothing marks them as a button
UNREQUESTED_PENALTY = 2.5  # per line of text nobody asked for (at most two): hallucinated copy
MISSPELT_PENALTY = 3.0  # per misspelt line (at most two)
CLIPPED_TEXT_PENALTY = 2.5  # per cut line (at most two): cut-off copy is unreadable copy
MISSING_COPY_PENALTY = {"subheadline": 2.0, "cta": 2.0, "disclaimer": 1.0}
SMALL_HEADLINE = 0.02  # line height / short side below which a headline is small on a phone
SMALL_HEADLINE_PENALTY = 2.0
CUT_HEADLINE_PENALTY = 4.0
OVERLONG_HEADLINE_PENALTY = 2.0  # copy longer than its slot is shrunk or truncated by design
# The headline may move when a layout adapts to another ratio: its centre within this much
# of the canvas around the template's headline slot counts as where the layout puts it.
HEADLINE_PLACE_TOLERANCE = 0.2
MISPLACED_HEADLINE_PENALTY = 1.5
MISSING_DISCLAIMER_SCORE = 2.0  # a required disclaimer is a compliance matter, not style
PROHIBITED_CLAIM_SCORE = 0.5
LABEL_WRONG_SCORE = 1.0  # packaging print that matches neither the source label nor the names

Score = tuple[float | None, str, tuple[float, float, float, float] | None]


def _box(box) -> str:
    return "(" + ", ".join(f"{v:.2f}" for v in box) + ")" if box else "(?)"


def _quote(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


# --- defects -------------------------------------------------------------------------------

def text_problems(text: TextMeasurement) -> list[tuple[str, tuple[float, float, float, float] | None, float]]:
    """(reason, region, confidence) of each line that makes the ad's text garbled or unreadable."""
    problems = []
    for line in text.unmatched_lines:
        if line.confidence >= UNREQUESTED_MIN_CONFIDENCE and len(line.text.replace(" ", "")) >= UNREQUESTED_MIN_CHARS:
            problems.append((f"text matching no requested copy: read {_quote(line.text)} at {_box(line.box)}", line.box, line.confidence))
    for line in text.misspelt_lines:
        check = text.copy(line.role)
        problems.append((f"misspelt {line.role}: read {_quote(line.text)} where {_quote(check.requested if check else '')} was asked for "
                         f"({line.misspelt} confident difference(s)) at {_box(line.box)}", line.box, line.confidence))
    for line in text.copy_lines:
        if line.contrast is not None and line.contrast < UNREADABLE_CONTRAST:
            problems.append((f"unreadable {line.role}: {_quote(line.text)} at {line.contrast:.1f}:1 contrast ({line.ink} on {line.ground}) "
                             f"at {_box(line.box)}", line.box, 0.9))
    for line in text.clipped_lines:
        problems.append((f"text cut off by the canvas edge: {_quote(line.text)} at {_box(line.box)}", line.box, 0.9))
    for check in text.copy_checks:
        missing = len(check.missing.replace("·", ""))
        # Fine print (disclaimers) loses words to the OCR: its completeness is V5's matter.
        if check.role != "disclaimer" and CUT_MIN_COVERAGE <= check.coverage < 0.85 and missing >= CUT_MIN_MISSING:
            problems.append((f"{check.role} incomplete: {check.coverage:.0%} of {_quote(check.requested)} read, "
                             f"missing {_quote(check.missing)} (cut off or covered)", check.box, 0.8))
    return problems


def text_garbled_finding(text: TextMeasurement) -> DefectFinding:
    problems = text_problems(text)
    if not problems:
        read = len([line for line in text.lines if not line.on_product])
        return DefectFinding(defect="TEXT_GARBLED", present=False, confidence=0.9,
                             evidence=f"{read} line(s) read by OCR, each matching the requested copy, legible and uncut")
    reason, region, confidence = problems[0]
    more = f" (+{len(problems) - 1} more: " + "; ".join(p[0] for p in problems[1:3]) + ")" if len(problems) > 1 else ""
    return DefectFinding(defect="TEXT_GARBLED", present=True, confidence=round(min(1.0, confidence), 2), evidence=reason + more, region=region)


def packaging_finding(text: TextMeasurement, product_found: bool, product_box) -> DefectFinding:
    label = text.label
    if not product_found:
        return DefectFinding(defect="PACKAGING_TEXT_ERROR", present=False, confidence=0.0,
                             evidence="not measured: the product was not found in the ad, so its label cannot be read")
    wrong = [text.lines[i] for i in label.wrong_lines
             if text.lines[i].confidence >= UNREQUESTED_MIN_CONFIDENCE and len(text.lines[i].text.replace(" ", "")) >= UNREQUESTED_MIN_CHARS]
    # Label print is small even when enlarged: a label line is misspelt only by edits every
    # second read shows and the source's own print, read at the ad's scale, does not
    # (judge_label.label_misspellings; the recogniser misreads "150 ml" and "bakuchiol" on
    # faithful renders, confidently).
    misspelt = [line for line in text.lines if line.on_product and line.role == "label" and line.misspelt]
    judged = label.judged
    if not judged and not wrong and not misspelt:
        return DefectFinding(defect="PACKAGING_TEXT_ERROR", present=False, confidence=0.0,
                             evidence="not measured: the source product image carries no label text legible at the product's size in the ad")
    missing = [line for line in judged if not line.found]
    if wrong or misspelt:
        line = (wrong or misspelt)[0]
        names = ", ".join(_quote(s.text) for s in label.source_lines[:4]) or "none"
        return DefectFinding(defect="PACKAGING_TEXT_ERROR", present=True, confidence=round(line.confidence, 2), region=line.box,
                             evidence=f"label reads {_quote(line.text)} at {_box(line.box)}, matching neither the source's label text "
                                      f"({names}) nor the product or brand name" if wrong else
                                      f"label misspelt: read {_quote(line.text)} at {_box(line.box)}, where the source's label reads "
                                      f"{names}")
    if missing:  # small label print is often misread: this lowers V9, it is no defect alone
        return DefectFinding(defect="PACKAGING_TEXT_ERROR", present=False, confidence=0.5,
                             evidence=f"label text partly unread: {len(missing)} of {len(judged)} legible label line(s) of the source not read "
                                      f"on the product ({', '.join(_quote(m.text) for m in missing[:3])}); none reads wrong")
    return DefectFinding(defect="PACKAGING_TEXT_ERROR", present=False, confidence=0.8,
                         evidence=f"label text matches the source: {len(judged) - len(missing)} of {len(judged)} legible line(s) read on the product")


# --- scores --------------------------------------------------------------------------------

def _worst_contrast(lines: list[TextLine]) -> TextLine | None:
    measured = [line for line in lines if line.contrast is not None]
    return min(measured, key=lambda line: line.contrast, default=None)


def text_legibility(text: TextMeasurement, prompt: AdGenerationPrompt) -> Score:
    lines = [line for line in text.lines if not line.on_product]
    if not lines:
        if not prompt.content.headline.text.strip():
            return None, "not measured: no text was asked for and none was found", None
        return NO_TEXT_SCORE, "no text line could be read, although the ad should carry a headline", None
    worst = _worst_contrast(lines)
    score = score_from_knots(worst.contrast, CONTRAST_KNOTS) if worst else 5.0
    notes = [f"{len(lines)} line(s) read; min contrast {worst.contrast:.1f}:1 ({_quote(worst.text, 30)} at {_box(worst.box)})"
             if worst else f"{len(lines)} line(s) read; contrast not measurable"]
    region = worst.box if worst and worst.contrast < 4.5 else None
    unrequested = [line for line in text.unmatched_lines if line.confidence >= UNREQUESTED_MIN_CONFIDENCE]
    if unrequested:
        score -= UNREQUESTED_PENALTY * min(2, len(unrequested))
        notes.append(f"{len(unrequested)} line(s) matching no requested copy, e.g. {_quote(unrequested[0].text, 30)}")
        region = region or unrequested[0].box
    if text.misspelt_lines:
        score -= MISSPELT_PENALTY * min(2, len(text.misspelt_lines))
        notes.append(f"{len(text.misspelt_lines)} misspelt line(s), e.g. {_quote(text.misspelt_lines[0].text, 30)}")
        region = region or text.misspelt_lines[0].box
    if text.clipped_lines:
        score -= CLIPPED_TEXT_PENALTY * min(2, len(text.clipped_lines))
        notes.append(f"{len(text.clipped_lines)} line(s) cut off at the canvas edge")
        region = region or text.clipped_lines[0].box
    for check in text.copy_checks:
        if check.present:
            continue
        if check.role == "headline":
            score = min(score, MISSING_HEADLINE_SCORE if check.coverage < CUT_MIN_COVERAGE else 3.0)
        else:
            score -= MISSING_COPY_PENALTY.get(check.role, 1.0)
        notes.append(f"{check.role} {check.coverage:.0%} read (missing {_quote(check.missing, 30)})")
        region = region or check.box
    return score, "; ".join(notes), region


def brand_guidelines(text: TextMeasurement, prompt: AdGenerationPrompt) -> Score:
    product = prompt.product
    if not product.required_disclaimers and not product.prohibited_claims:
        return None, "not measured: the brand gives no required disclaimer and no prohibited claim (its voice needs reading for meaning)", None
    notes, score, region = [], 10.0, None
    check = text.copy("disclaimer")
    if check is not None:
        if check.present:
            notes.append(f"required disclaimer present ({check.coverage:.0%} read)")
        else:
            score = min(score, MISSING_DISCLAIMER_SCORE + 6.0 * max(0.0, check.coverage))
            notes.append(f"required disclaimer {_quote(check.requested, 40)} only {check.coverage:.0%} read")
            region = check.box
    if text.prohibited_found:
        score = PROHIBITED_CLAIM_SCORE
        notes.append("prohibited claim(s) on the ad: " + ", ".join(_quote(c) for c in text.prohibited_found))
    elif product.prohibited_claims:
        notes.append(f"none of {len(product.prohibited_claims)} prohibited claim(s) read")
    return score, "; ".join(notes) + " (brand voice itself not judged)", region


def label_accuracy(finding: DefectFinding, text: TextMeasurement) -> Score:
    if finding.evidence.startswith("not measured"):
        return None, finding.evidence, None
    if finding.present:
        return LABEL_WRONG_SCORE, finding.evidence, finding.region
    judged = text.label.judged
    found = sum(line.found for line in judged)
    return (10.0 * (0.4 + 0.6 * found / len(judged)) if judged else 9.0), finding.evidence, None


def headline_clarity(text: TextMeasurement, prompt: AdGenerationPrompt) -> Score:
    headline = prompt.content.headline
    if not headline.text.strip():
        return None, "not measured: no headline was asked for", None
    check = text.copy("headline")
    lines = [text.lines[i] for i in check.lines] if check else []
    if not lines:
        return NO_TEXT_SCORE, f"headline {_quote(headline.text)} not found on the ad", None
    worst = _worst_contrast(lines)
    score = score_from_knots(worst.contrast, CONTRAST_KNOTS) if worst else 5.0
    short_side = min(1.0, prompt.images.canvas_width / prompt.images.canvas_height)
    height = max(line.glyph_height for line in lines) / short_side
    notes = [f"headline read as {_quote(' / '.join(line.text for line in lines))}: {check.coverage:.0%} of the requested words, "
             f"contrast {worst.contrast:.1f}:1, line height {height:.1%} of the short side" if worst else
             f"headline read as {_quote(' / '.join(line.text for line in lines))}"]
    region = None
    if not check.present:
        score -= CUT_HEADLINE_PENALTY * (1 - check.coverage) / (1 - CUT_MIN_COVERAGE)
        notes.append(f"incomplete: missing {_quote(check.missing, 30)}")
        region = check.box
    if height < SMALL_HEADLINE:
        score -= SMALL_HEADLINE_PENALTY
        notes.append("small for a headline")
    if any(line.clipped for line in lines):
        score -= CUT_HEADLINE_PENALTY
        notes.append("cut off at the canvas edge")
        region = check.box
    slot = next((area.box for area in prompt.template_analysis.text_areas if area.role == "headline"), None)
    if slot is not None and check.box is not None:
        cx, cy = (check.box[0] + check.box[2]) / 2, (check.box[1] + check.box[3]) / 2
        t = HEADLINE_PLACE_TOLERANCE
        if not (slot[0] - t <= cx <= slot[2] + t and slot[1] - t <= cy <= slot[3] + t):
            score -= MISPLACED_HEADLINE_PENALTY
            notes.append(f"not where the layout puts it (slot {_box(slot)})")
            region = region or check.box
    limit = headline.max_chars or next((a.max_chars for a in prompt.template_analysis.text_areas if a.role == "headline"), None)
    if limit is not None:
        length = len(headline.text.strip())
        notes.append(f"{length}/{limit} characters")
        if length > limit:
            score -= OVERLONG_HEADLINE_PENALTY
            notes.append("longer than its slot")
    return score, "; ".join(notes), region


def cta_effectiveness(text: TextMeasurement, prompt: AdGenerationPrompt) -> Score:
    if not prompt.content.cta.strip():
        return None, "not measured: no CTA was asked for", None
    check = text.copy("cta")
    if check is None or not check.lines:
        return NO_BUTTON_SCORE, f"CTA {_quote(prompt.content.cta)} not found on the ad", None
    if not text.buttons:
        line = text.lines[check.lines[0]]
        return CTA_WITHOUT_BUTTON_SCORE, f"CTA read as {_quote(line.text)} at {_box(line.box)}, but not on a button-shaped region", line.box

    def score(button) -> float:
        return 0.5 * score_from_knots(button.label_contrast, CONTRAST_KNOTS) + 0.5 * score_from_knots(button.button_contrast, BUTTON_CONTRAST_KNOTS)

    best = max(text.buttons, key=score)
    value = score(best) - (0 if check.present else 3.0)
    return value, (f"CTA {_quote(prompt.content.cta)} {check.coverage:.0%} read on a button at {_box(best.box)}: label contrast "
                   f"{best.label_contrast:.1f}:1, button {best.fill} vs ground {best.surround} {best.button_contrast:.1f}:1"), (
        best.box if value < 7 else None)


def headline_congruence(text: TextMeasurement, prompt: AdGenerationPrompt) -> Score:
    """G1 from the headline as it stands on the ad: scored against the offer's messaging when
    the prompt carries it, else the upstream congruence score scaled by how much of the
    requested headline the ad really carries."""
    check = text.copy("headline")
    read = " ".join(text.lines[i].text for i in check.lines) if check else ""
    brief = prompt.ad_brief
    if brief is not None and (brief.offer_core_message or brief.pain_points or brief.belief_statement):
        from adcreator.providers.local.text_model import LocalTextModel

        if not read:
            return 0.0, "no headline read on the ad, so nothing carries the offer's message", None
        result = LocalTextModel().score_congruence(CongruenceRequest(
            headline=read, offer_core_message=brief.offer_core_message, pain_points=list(brief.pain_points),
            belief_statement=brief.belief_statement or None))
        return 10 * result.overall_score, f"headline as read {_quote(read)} against the offer's messaging: congruence {result.overall_score:.2f} ({result.reasoning[:120]})", None
    congruence = prompt.content.congruence_score
    if congruence is None:
        return None, "not measured: no offer messaging and no congruence score in the prompt to compare the headline with", None
    carried = check.coverage if check else 0.0
    misspelt = any(text.lines[i].misspelt for i in check.lines) if check else False
    fidelity = carried * (0.5 if misspelt else 1.0)
    return 10 * congruence * fidelity, (f"upstream congruence score {congruence:.2f} of the requested headline x {fidelity:.2f}, the share of it "
                                        f"the ad carries as read ({_quote(read) if read else 'nothing read'})"), None
