"""Copy fitting: shape the brand's copy to the room a template gives it, without cutting a thought.

Pure text functions, shared by the pipeline (which chooses the copy of each ad) and the local
renderer (which sets it in boxes). The rules the product owner checks:
- shorten only at phrase boundaries (a sentence end, a clause mark, before a connective such
  as "with" or "without"), never with an ellipsis, never leaving a colon, a comma or a
  dangling conjunction, preposition or article at the end;
- never say the same offer twice in one ad;
- the headline reflects the content source: an offer-variant job leads with the offer's
  message, a belief-first job with the belief, a hooks job with the hook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from adcreator.prompts.material import mentions_offer, offer_phrase, parse_review, remove_offer

ContentSource = Literal["hooks", "belief_first", "offer_variant"]

# Words a shortened text must not end on: they promise more words after them.
DANGLING_WORDS = frozenset(
    "a an the and or but nor so yet of to for with without in on at by from into onto than that which who "
    "whose your our my their its his her this these those is are was were be as if when while because "
    "instead unlike like every each no not".split()
)
# A phrase may start with one of these, so the text before it is a whole phrase.
CONNECTIVES = frozenset(
    "and but or so while because without with instead for by that which when until before after than "
    "unlike from to in on at".split()
)
# Marks that end a clause; the text before them is a whole clause (the mark is dropped).
_CLAUSE_MARK = re.compile(r"\s*(?:[,;:]|\s[—–-])\s")
_SENTENCE_END = re.compile(r"[.!?][”\"’']?(?=\s|$)")
_TRAILING = " ,;:—–-/&+("
_OPENING_QUOTES = {"“": "”", '"': '"', "‘": "’"}
ELLIPSES = ("…", "...")
CLAUSE_CUT_WEIGHT, CONNECTIVE_CUT_WEIGHT = 0.8, 0.55
# A cut shorter than this many words says too little to stand as a headline by itself.
MIN_WORDS = 2


def collapse(text: str) -> str:
    return " ".join((text or "").split())


def _clean_end(text: str) -> str:
    """Drop trailing clause marks and balance an opened quote."""
    text = text.rstrip(_TRAILING)
    for opening, closing in _OPENING_QUOTES.items():
        if opening != closing and text.count(opening) > text.count(closing):
            text += closing
        elif opening == closing and text.count(opening) % 2 == 1:
            text += closing
    return text


def _last_word(text: str) -> str:
    words = text.split()
    return words[-1].strip("“”\"‘’'.,;:!?()").lower() if words else ""


def ends_cleanly(text: str) -> bool:
    """True when a text ends as a finished phrase: no ellipsis, colon, comma or dangling word."""
    text = collapse(text)
    if not text or text.endswith(ELLIPSES) or text.rstrip("”\"’'").endswith((":", ",", ";", "—", "–", "-", "&", "+")):
        return False
    return _last_word(text) not in DANGLING_WORDS


def phrase_cuts(text: str) -> list[str]:
    """Every way to shorten `text` at a phrase boundary, best first (the whole text first).

    Each candidate is a prefix of the text that ends at a sentence end (kept with its mark),
    before a clause mark (the mark dropped) or before a connective word, and ends cleanly.
    Candidates are ranked by length, a clause cut counting CLAUSE_CUT_WEIGHT of its length
    and a cut before a connective CONNECTIVE_CUT_WEIGHT: a sentence that ends is better than
    a longer text stopped inside the next one.
    """
    text = collapse(text)
    if not text:
        return []
    sentence_ends = {match.end() for match in _SENTENCE_END.finditer(text)}
    clause_ends = {match.start() for match in _CLAUSE_MARK.finditer(text)}
    connective_ends: set[int] = set()
    position = 0
    for word in text.split(" "):
        if position and word.strip("“”\"‘’'(").lower() in CONNECTIVES:
            connective_ends.add(position - 1)
        position += len(word) + 1
    weights: dict[str, float] = {text: 2.0} if ends_cleanly(text) else {}
    for ends, weight in ((connective_ends, CONNECTIVE_CUT_WEIGHT), (clause_ends, CLAUSE_CUT_WEIGHT), (sentence_ends, 1.0)):
        for end in ends:
            cut = _clean_end(text[:end].rstrip())
            # A whole sentence stands by itself however short; a clause needs a few words.
            if cut and (end in sentence_ends or len(cut.split()) >= MIN_WORDS) and ends_cleanly(cut):
                weights[cut] = max(weights.get(cut, 0.0), weight)
    if not weights and ends_cleanly(_clean_end(text)):
        weights[_clean_end(text)] = 1.0
    # Longest first, but a cut at a sentence end is worth more than a longer one mid-sentence.
    return sorted(weights, key=lambda c: (-len(c) * min(weights[c], 1.0) - (1e6 if weights[c] > 1 else 0), c))


def shorten(text: str, max_chars: int) -> str | None:
    """The best phrase-boundary cut of `text` within `max_chars`, or None when none fits."""
    return next((cut for cut in phrase_cuts(text) if len(cut) <= max_chars), None)


def word_cut(text: str, max_chars: int) -> str:
    """Last resort when no phrase fits: the longest run of whole words that ends cleanly.

    Only a first word longer than the limit is cut inside the word. No ellipsis either way.
    """
    text = collapse(text)
    if len(text) <= max_chars:
        return text
    words = text[: max_chars + 1].split(" ")
    kept = words[:-1] if len(words) > 1 else []
    while kept:
        candidate = _clean_end(" ".join(kept))
        if len(candidate) <= max_chars and ends_cleanly(candidate):
            return candidate
        kept.pop()
    return text[:max_chars].rstrip(_TRAILING) or text[:max_chars]


def fit_chars(text: str, max_chars: int) -> str:
    """`text` within `max_chars`: a phrase cut when one fits, else the clean word cut.

    A customer review ("“quote” - Name, detail") keeps its attribution whole: the limit is the
    quote's, since the reviewer is set on a line of its own.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    text = collapse(text)
    review = parse_review(text)
    if review is not None and review.reviewer:
        return f"\u201c{fit_chars(review.quote, max_chars)}\u201d - {review.reviewer}"
    if len(text) <= max_chars and ends_cleanly(text):
        return text
    return shorten(text, max_chars) or word_cut(text, max_chars)


def same_copy(a: str, b: str) -> bool:
    """The same words (ignoring case and punctuation), or one contained in the other."""
    def norm(text: str) -> str:
        return " ".join("".join(ch for ch in text.lower() if ch.isalnum() or ch.isspace()).split())
    first, second = norm(a), norm(b)
    return bool(first and second) and (first == second or first in second or second in first)


# ---------------------------------------------------------------------------- choosing copy

# A headline longer than this reads as body copy on a feed ad, whatever the template allows.
DEFAULT_HEADLINE_MAX_CHARS = 60
# Below this a headline cannot carry a hook ("Smoother" is not an ad). A template whose
# headline area was sized for a shorter slogan gets smaller type instead.
MIN_HEADLINE_CHARS = 45


def headline_limit(area_limits: list[int]) -> int:
    """The headline's character budget from the template's headline areas (the smallest wins,
    never below MIN_HEADLINE_CHARS), or the default when the template gives none."""
    return max(min(area_limits), MIN_HEADLINE_CHARS) if area_limits else DEFAULT_HEADLINE_MAX_CHARS



@dataclass(frozen=True)
class ChosenCopy:
    headline: str
    subheadline: str | None
    hook_type: str


def copy_for_source(
    source: ContentSource,
    *,
    hook_text: str | None,
    hook_type: str = "",
    belief: str = "",
    offer_message: str = "",
    current_offer: str = "",
    product_name: str,
    max_chars: int,
) -> ChosenCopy:
    """The headline and subheadline of one ad, led by its content source.

    - offer_variant: the offer's message without its discount sentence leads; the discount
      (the product's current offer, else the one in the message) is the subheadline, once;
    - belief_first: the belief leads, cut at its colon or sentence end; the rest of the
      belief (or the hook) supports it;
    - hooks: the hook leads; the current offer supports it unless the hook already says it.
    A source without its material falls back to the hook, then to the offer, then the name.
    """
    offer = current_offer or offer_phrase(offer_message) or ""
    if source == "offer_variant" and offer_message.strip():
        lead_text = remove_offer(offer_message, offer) if offer else offer_message
        headline = fit_chars(lead_text or offer_message, max_chars)
        support = offer if offer and not mentions_offer(headline, offer) else (hook_text or None)
        return finish_copy(headline, support, "offer", offer=offer, product_name=product_name)
    if source == "belief_first" and belief.strip():
        # A belief with a colon is a claim and its reason: the claim leads, the reason supports.
        claim = re.split(r"\s*[:;]\s", collapse(belief), maxsplit=1)[0]
        headline = fit_chars(claim if len(claim.split()) >= 3 else belief, max_chars)
        rest = collapse(belief)[len(headline):].strip(" :;,.—–-") if collapse(belief).startswith(headline.rstrip(".!?")) else ""
        support = _sentence_case(rest) if len(rest.split()) >= MIN_WORDS else hook_text
        return finish_copy(headline, support, "belief", offer=offer, product_name=product_name)
    if hook_text:
        headline = fit_chars(hook_text, max_chars)
        support = offer if offer and not mentions_offer(headline, offer) else None
        return finish_copy(headline, support, hook_type, offer=offer, product_name=product_name)
    return finish_copy(fit_chars(offer or product_name, max_chars), None, "offer", offer=offer, product_name=product_name)


def finish_copy(headline: str, subheadline: str | None, hook_type: str, *, offer: str, product_name: str) -> ChosenCopy:
    """Final checks on a pair: no repeat of the headline, no second mention of the offer."""
    subheadline = collapse(subheadline or "") or None
    if subheadline and (same_copy(subheadline, headline) or (offer and mentions_offer(headline, offer) and mentions_offer(subheadline, offer))):
        subheadline = product_name if not same_copy(product_name, headline) else None
    if subheadline and not ends_cleanly(subheadline):
        subheadline = shorten(subheadline, len(subheadline)) or None
    return ChosenCopy(headline=headline, subheadline=subheadline, hook_type=hook_type)


def _sentence_case(text: str) -> str:
    text = collapse(text)
    if text and not text.endswith((".", "!", "?")):
        text += "."
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------- choosing a hook

# Which hooks suit which template idea: a testimonial needs a customer's words; a comment
# or story reads best in the first person; an offer template says the offer in its burst,
# so a hook that also says it would repeat it.
_FIRST_PERSON = re.compile(r"\b(I|I'm|I’m|my|me|we|our)\b")


def hook_suits(archetype: str | None, text: str, offer: str = "") -> int:
    """How well a hook suits a template archetype: 2 made for it, 1 fine, 0 a poor fit."""
    review = parse_review(text)
    if archetype == "testimonial":
        return 2 if review and review.reviewer else 1 if review else 0
    if archetype in ("ugc", "story"):
        return 2 if review or _FIRST_PERSON.search(text) else 1
    if archetype == "offer":
        return 0 if offer and mentions_offer(text, offer) else 1
    return 0 if review else 1  # a quote as a plain headline reads as a misattribution


def pick_hook(texts: list[str], *, archetype: str | None, max_chars: int, position: int, offer: str = "") -> int | None:
    """Index of the hook for one (template, variation): among those that fit `max_chars`
    whole or at a phrase boundary, the best suited to the archetype; `position` rotates
    through equally suited hooks so templates and variations get different ones."""
    if not texts:
        return None
    fitting = [i for i, text in enumerate(texts) if shorten(text, max_chars) is not None] or list(range(len(texts)))
    best = max(hook_suits(archetype, texts[i], offer) for i in fitting)
    suited = [i for i in fitting if hook_suits(archetype, texts[i], offer) == best]
    whole = [i for i in suited if len(collapse(texts[i])) <= max_chars]
    pool = whole or suited
    return pool[position % len(pool)]
