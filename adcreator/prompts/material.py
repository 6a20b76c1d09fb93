"""The brand's material read as the parts a template needs: a review's quote and reviewer,
benefits from a product description, the offer as a burst, the "them" of a comparison.

Pure text heuristics on the brand's own words: nothing here invents a claim, a name or a
number; a part the material cannot fill is None (or empty), and the caller says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _collapse(text: str) -> str:
    return " ".join((text or "").split())


# ---------------------------------------------------------------------------- reviews


@dataclass(frozen=True)
class Review:
    quote: str  # without quote marks
    reviewer: str | None  # "Priya, verified buyer"; None when the text names nobody


_QUOTED = re.compile(r"^\s*[“\"‘']\s*(?P<quote>.+?)\s*[”\"’']\s*(?:[-–—~]\s*(?P<who>.+?))?\s*$")
_ATTRIBUTED = re.compile(r"^\s*(?P<quote>.+?[.!?])\s+[-–—~]\s*(?P<who>[A-Z][^.!?]{1,60})$")


def parse_review(text: str) -> Review | None:
    """A customer's words: `“quote” - Name, detail`, `"quote"`, or `Quote. — Name`."""
    text = _collapse(text)
    match = _QUOTED.match(text) or _ATTRIBUTED.match(text)
    if not match:
        return None
    who = (match.group("who") or "").strip(" ,-–—") or None
    return Review(quote=match.group("quote").strip(), reviewer=who)


def reviewer_initial(reviewer: str | None) -> str:
    letters = [ch for ch in (reviewer or "") if ch.isalpha()]
    return letters[0].upper() if letters else ""


# ---------------------------------------------------------------------------- benefits

_MEASURE = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:ml|l|g|kg|mg|oz|fl oz|lb|lbs|caps|capsules|servings|sachets|pack)\b", re.I)
_SPLIT_CONNECTIVES = re.compile(r"\s+(?=(?:that|with|without|for)\s)", re.I)
_LEADING_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)
MAX_BENEFIT_CHARS = 40
# Benefit-like phrases first: what it does, what it spares you, who it is for; then what is
# in it; then what it is.
_RANK = (("without", 0), ("for", 2), ("with", 3))


def benefits_from(description: str, limit: int = 4) -> list[str]:
    """Short benefit phrases in the product description's own words, most benefit-like first.

    Sentences are split before "that", "with", "without" and "for"; other phrases at commas;
    sizes and volumes ("30 ml") are packaging, not benefits, and are dropped.
    """
    phrases: list[tuple[int, int, str]] = []
    for sentence in re.split(r"(?<=[.!?])\s+", _collapse(description)):
        sentence = sentence.rstrip(".!?")
        for segment in _SPLIT_CONNECTIVES.split(sentence):
            first = segment.split(" ", 1)[0].lower()
            pieces = [segment] if first in ("with", "without", "for") else segment.split(", ")
            for piece in pieces:
                piece = _LEADING_ARTICLE.sub("", piece.strip(" ,;"))
                rank = 1
                if piece.lower().startswith("that "):
                    piece, rank = piece[5:], 0  # "that smooths ..." is what the product does
                else:
                    rank = next((r for word, r in _RANK if piece.lower().startswith(word + " ")), 4 if "-" in piece.split(" ")[0] else 5)
                if not piece or _MEASURE.search(piece) or len(piece) > MAX_BENEFIT_CHARS or len(piece) < 4:
                    continue
                phrases.append((rank, len(phrases), piece[0].upper() + piece[1:]))
    seen: set[str] = set()
    result = []
    for _, _, phrase in sorted(phrases):
        if phrase.lower() not in seen:
            seen.add(phrase.lower())
            result.append(phrase)
    return result[:limit]


# ---------------------------------------------------------------------------- offers


@dataclass(frozen=True)
class OfferBurst:
    big: str  # "20% OFF", "FREE", "SAVE 15%"
    small: str  # "your first order", "travel-size cleanser", "when you buy 2"


_PERCENT_OFF = re.compile(r"(?P<n>\d{1,2})\s?%\s*off\b\s*(?P<rest>[^.!?]*)", re.I)
_BUY_SAVE = re.compile(r"\bbuy\s+(?P<k>\d+)\s*,?\s*save\s+(?P<n>\d{1,2}\s?%|[$£€]\s?\d+)", re.I)
_SAVE = re.compile(r"\bsave\s+(?P<n>\d{1,2}\s?%|[$£€]\s?\d+)\s*(?P<rest>[^.!?]*)", re.I)
_FREE = re.compile(r"\bfree\s+(?P<rest>[^.!?,]+)", re.I)
_BOGO = re.compile(r"\bbuy\s+(?P<k>\d+)\s*,?\s*get\s+(?P<m>\d+)\s+free\b", re.I)
_PRICE = re.compile(r"(?P<n>[$£€]\s?\d+(?:\.\d\d)?)")
_OFFER_SENTENCE = re.compile(r"[^.!?]*(?:\d\s?%|\bfree\b|\bsave\b|[$£€]\s?\d)[^.!?]*[.!?]?", re.I)


def offer_burst(offer: str) -> OfferBurst | None:
    """The offer as a burst's two lines, or None when it names no discount, gift or price."""
    offer = _collapse(offer)
    if match := _BOGO.search(offer):
        return OfferBurst(f"BUY {match['k']} GET {match['m']}", "free")
    if match := _BUY_SAVE.search(offer):
        return OfferBurst(f"SAVE {match['n'].replace(' ', '')}", f"when you buy {match['k']}")
    if match := _PERCENT_OFF.search(offer):
        return OfferBurst(f"{match['n']}% OFF", _trim_small(match["rest"]))
    if match := _SAVE.search(offer):
        return OfferBurst(f"SAVE {match['n'].replace(' ', '')}", _trim_small(match["rest"]))
    if match := _FREE.search(offer):
        return OfferBurst("FREE", _trim_small(match["rest"]))
    if match := _PRICE.search(offer):
        return OfferBurst(match["n"].replace(" ", ""), "")
    return None


def _trim_small(rest: str) -> str:
    """The burst's small line: the offer's remaining words up to a connective, at most 4."""
    words = _collapse(rest).strip(" ,;:").split(" ")
    kept: list[str] = []
    for word in words:
        if kept and word.lower() in ("with", "when", "on", "until", "ends", "for") or len(kept) == 4:
            break
        kept.append(word)
    while kept and kept[-1].lower() in ("a", "an", "the", "your", "of", "and", "or", "to"):
        kept.pop()
    return " ".join(kept)


def offer_phrase(message: str) -> str | None:
    """The sentence of an offer message that states the discount ("20% off your first order")."""
    for match in _OFFER_SENTENCE.finditer(_collapse(message)):
        sentence = match.group(0).strip().rstrip(".!?")
        if offer_burst(sentence) is not None:
            return sentence
    return None


def _offer_keys(offer: str) -> set[str]:
    """What identifies an offer in other text: its numbers ("20%", "$19") or its key word."""
    offer = _collapse(offer).lower()
    keys = {n.replace(" ", "") for n in re.findall(r"\d{1,3}\s?%|[$£€]\s?\d+", offer)}
    if not keys and re.search(r"\bfree\b", offer):
        keys = {"free"}
    return keys


def mentions_offer(text: str, offer: str) -> bool:
    """True when `text` states `offer` (its discount figure, price or "free" gift)."""
    keys = _offer_keys(offer)
    if not keys:
        return bool(offer.strip()) and _collapse(offer).lower() in _collapse(text).lower()
    lowered = _collapse(text).lower().replace(" %", "%")
    return any(re.search(rf"(?<![\w$£€]){re.escape(key)}(?![\d])" if key != "free" else r"\bfree\b", lowered) for key in keys)


def remove_offer(message: str, offer: str) -> str:
    """`message` without the sentences that state `offer` (the rest leads the headline)."""
    sentences = re.split(r"(?<=[.!?])\s+", _collapse(message))
    kept = [s for s in sentences if not mentions_offer(s, offer)]
    return " ".join(kept) if kept else _collapse(message)


# ---------------------------------------------------------------------------- comparisons

def them_label(product_name: str) -> str:
    """Who "them" is in a comparison: the other products of the product's own kind ("Other
    serums"). Naming a rival product would be a claim the brand has not made."""
    noun = (product_name.split() or ["product"])[-1].lower()
    return f"Other {noun}{'' if noun.endswith('s') else 's'}"
