"""Word-level analysis of ad copy: normalised concept terms, overlap and contradictions.

The local text model has no language model behind it, so it reads copy the way a careful
copy editor skims it: which concepts a line talks about (sleep, price, shipping ...), and in
which direction (free vs paid, more vs less, with vs without). Overlap of concepts measures
alignment; opposite directions on a shared axis or concept flag a contradiction.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

STOPWORDS = frozenset(
    "a an the and or but if so as at by for from in into of on onto to up with within "
    "is are was were be been being am do does did have has had will would can could should "
    "may might must shall i me my we us our you your yours it its this that these those "
    "he she they them their his her what which who whom why how when where here there "
    "than then too very just really also only even still get gets got make makes made "
    "every each all any some most much many new now best better one way everything anything "
    "something always".split()
)
# Generic ad filler ("best", "better", "new", "now") is in STOPWORDS on purpose: it appears in
# every headline, so matching on it would make any two lines look aligned.

# Words that open a negation scope: the next few content words are denied or opposed.
NEGATORS = frozenset(
    "no not never without zero none nothing nomore tiredof sickof fedupwith goodbyeto "
    "stop quit avoid ditch skip ban banish eliminate lack dont doesnt isnt arent wont "
    "cant cannot didnt nor non anti".split()
)
NEGATION_SCOPE = 3  # content words; "no hidden shipping fees" still reaches "fees"

# Multi-word expressions rewritten to one token before tokenising, so they carry meaning
# as a unit ("full price" is a price level, "tired of" is problem framing, not fatigue).
PHRASES: tuple[tuple[str, str], ...] = (
    (r"\bfull[\s-]+price\b", " fullprice "),
    (r"\bfree (?:of|from)\b", " freeof "),
    (r"\bno more\b", " nomore "),
    (r"\btired of\b", " tiredof "),
    (r"\bsick of\b", " sickof "),
    (r"\bfed up with\b", " fedupwith "),
    (r"\bsay goodbye to\b|\bgoodbye to\b|\bbye bye\b", " goodbyeto "),
    (r"\bmoney[\s-]+back\b", " moneyback "),
    (r"%", " percent "),
    (r"\bn['’]t\b|n['’]t\b", "nt"),
    (r"['’]", ""),
)

# Concept map: canonical concept -> {surface word: valence}. Valence says which way a word
# points inside its concept (fatigue is low energy), so "less fatigue" agrees with "more energy".
CONCEPTS: dict[str, dict[str, int]] = {
    "sleep": {"sleep": 1, "rest": 1, "restful": 1, "asleep": 1, "bedtime": 1, "night": 1,
              "tonight": 1, "nightly": 1, "slumber": 1, "nap": 1, "snooze": 1,
              "insomnia": -1, "sleepless": -1, "restless": -1, "awake": -1, "3am": -1},
    "energy": {"energy": 1, "energize": 1, "energized": 1, "energetic": 1, "vitality": 1,
               "stamina": 1, "alert": 1, "fatigue": -1, "tired": -1, "exhausted": -1,
               "exhaustion": -1, "drained": -1, "sluggish": -1, "crash": -1, "burnout": -1},
    "focus": {"focus": 1, "concentration": 1, "clarity": 1, "brain": 1, "mental": 1,
              "memory": 1, "sharp": 1, "fog": -1, "distracted": -1, "forgetful": -1},
    "calm": {"calm": 1, "relax": 1, "relaxation": 1, "relaxed": 1, "peace": 1, "chill": 1,
             "stress": -1, "stressed": -1, "anxiety": -1, "anxious": -1, "tension": -1,
             "overwhelm": -1, "overwhelmed": -1, "worry": -1},
    "skin": {"skin": 1, "complexion": 1, "skincare": 1, "glow": 1, "radiant": 1, "face": 1,
             "facial": 1, "pore": 1, "wrinkle": -1, "acne": -1, "blemish": -1, "pimple": -1,
             "breakout": -1, "redness": -1, "aging": -1},
    "hydration": {"hydrate": 1, "hydrating": 1, "hydration": 1, "moisture": 1,
                  "moisturize": 1, "moisturizer": 1, "plump": 1, "dry": -1, "dryness": -1,
                  "dehydrated": -1, "flaky": -1},
    "hair": {"hair": 1, "scalp": 1, "shine": 1, "curl": 1, "strand": 1, "volume": 1,
             "frizz": -1, "thinning": -1, "bald": -1, "dandruff": -1},
    "pain": {"relief": 1, "relieve": 1, "comfort": 1, "pain": -1, "ache": -1, "sore": -1,
             "hurt": -1, "stiff": -1, "stiffness": -1, "joint": -1, "cramp": -1},
    "digestion": {"gut": 1, "digestion": 1, "digest": 1, "probiotic": 1, "stomach": 1,
                  "bloat": -1, "bloating": -1, "bloated": -1, "constipation": -1},
    "weight": {"weight": 1, "slim": 1, "lean": 1, "diet": 1, "belly": 1, "waist": 1,
               "pound": 1, "lbs": 1, "fat": 1, "metabolism": 1, "craving": -1},
    "price": {"price": 1, "cost": 1, "save": 1, "saving": 1, "discount": 1, "deal": 1,
              "sale": 1, "cheap": 1, "cheaper": 1, "cheapest": 1, "affordable": 1, "afford": 1,
              "fee": 1, "pay": 1, "paid": 1, "charge": 1, "percent": 1, "free": 1,
              "fullprice": 1, "budget": 1, "bargain": 1, "expensive": 1, "pricey": 1,
              "overpriced": 1, "overpay": 1, "overpaying": 1, "overspend": 1,
              "overspending": 1, "dollar": 1, "coupon": 1, "promo": 1, "money": 1,
              "surcharge": 1, "off": 1},
    "speed": {"fast": 1, "faster": 1, "fastest": 1, "quick": 1, "quicker": 1, "quickest": 1,
              "rapid": 1, "instant": 1, "speedy": 1, "express": 1, "overnight": 1,
              "immediate": 1, "minute": 1,
              "slow": 1, "slower": 1, "slowest": 1, "wait": 1, "delay": 1, "delayed": 1},
    "shipping": {"shipping": 1, "ship": 1, "shipped": 1, "delivery": 1, "deliver": 1,
                 "delivered": 1, "doorstep": 1, "postage": 1},
    "gentleness": {"gentle": 1, "soft": 1, "mild": 1, "soothe": 1, "soothing": 1,
                   "sensitive": 1, "harsh": 1, "rough": 1, "irritate": 1, "irritating": 1,
                   "irritation": 1, "sting": 1, "abrasive": 1},
    "ease": {"easy": 1, "easier": 1, "easiest": 1, "simple": 1, "effortless": 1, "convenient": 1,
             "hassle": 1, "hard": 1, "harder": 1, "difficult": 1, "complicated": 1},
    "natural": {"natural": 1, "organic": 1, "clean": 1, "plant": 1, "botanical": 1,
                "herbal": 1, "vegan": 1, "chemical": 1, "synthetic": 1, "artificial": 1,
                "toxin": 1, "toxic": 1},
    "guarantee": {"guarantee": 1, "guaranteed": 1, "refund": 1, "moneyback": 1,
                  "warranty": 1, "risk": 1},
    "order": {"order": 1, "purchase": 1, "buy": 1, "shop": 1, "checkout": 1, "cart": 1},
    "proof": {"proven": 1, "clinically": 1, "clinical": 1, "science": 1, "study": 1,
              "tested": 1, "research": 1, "doctor": 1, "dermatologist": 1},
}

# Concepts whose direction lives on an axis (price level, speed ...) or whose mere absence
# is itself the benefit (no insomnia): "no X" vs "X" is not a contradiction for them.
PRESENCE_NEUTRAL = frozenset(
    "sleep energy focus calm skin hydration hair pain digestion weight price speed "
    "gentleness ease natural".split()
)

# Axis words: (axis, direction). Two texts pointing opposite ways on one axis contradict.
AXIS_WORDS: dict[str, tuple[str, int]] = {
    **{w: ("cost", -1) for w in "free save saving discount deal sale cheap cheaper cheapest "
       "affordable bargain coupon promo off".split()},
    **{w: ("cost", 1) for w in "fullprice fee pay paid charge expensive pricey overpriced "
       "overpay overpaying overspend overspending costly surcharge".split()},
    **{w: ("speed", 1) for w in "fast faster fastest quick quicker quickest rapid instant "
       "speedy express overnight immediate".split()},
    **{w: ("speed", -1) for w in "slow slower slowest wait delay delayed".split()},
    **{w: ("gentleness", 1) for w in "gentle soft mild soothe soothing".split()},
    **{w: ("gentleness", -1) for w in "harsh rough irritate irritating abrasive sting".split()},
    **{w: ("ease", 1) for w in "easy easier easiest simple effortless convenient".split()},
    **{w: ("ease", -1) for w in "hassle hard harder difficult complicated".split()},
    **{w: ("naturalness", 1) for w in "natural organic clean plant botanical herbal".split()},
    **{w: ("naturalness", -1) for w in "chemical synthetic artificial toxin toxic".split()},
}

# Quantity words scale the direction of the neighbouring concept word ("less fatigue").
QUANTITY_WORDS: dict[str, int] = {
    **{w: 1 for w in "more extra boost increase double plus bonus higher maximum max".split()},
    **{w: -1 for w in "less fewer reduce lower cut decrease minimal minimum".split()},
}

# "<substance> free" written without a hyphen means the substance is absent, not that it
# costs nothing; for any other word "free" keeps its price sense ("free shipping").
SUBSTANCES = frozenset(
    "sugar gluten caffeine dairy lactose soy paraben sulfate fragrance alcohol nicotine carb "
    "calorie gmo filler additive preservative dye bpa cruelty hassle risk worry guilt stress "
    "pain mess nut fat chemical toxin plastic".split()
)

CLAUSE_SPLIT = re.compile(r"([.!?;:\n—–]+)")
TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*|,")
# Concepts so common in ads that sharing one is weak evidence of talking about the same offer.
BROAD_CONCEPTS = frozenset({"price", "order", "speed", "proof"})
BROAD_CONCEPT_WEIGHT = 0.6
UNMAPPED_WEIGHT = 0.8  # a word outside the concept map may be filler the stoplist missed
NUMBER_WEIGHT = 0.3  # "7 days" and "30% off" share digits by chance more often than meaning
# Saturation of shared-concept evidence: one full concept gives 0.70, two give 0.91.
EVIDENCE_RATE = 1.2
PARTIAL_PREFIX = 5  # shared leading letters that count as the same word family
PARTIAL_CREDIT = 0.6  # a word-family match is weaker evidence than an exact concept match


def stem(word: str) -> str:
    """Light suffix stripping: plurals, -ing, -ed, -ly, -ness; consistent, not linguistic."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ness", ""), ("ing", ""),
                                ("ed", ""), ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: len(word) - len(suffix)] + replacement
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # shipp -> ship
            break
    else:
        if word.endswith(("sses", "xes", "ches", "shes", "zes")):
            word = word[:-2]
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def _stemmed_index() -> dict[str, tuple[str, int]]:
    index: dict[str, tuple[str, int]] = {}
    for concept, words in CONCEPTS.items():
        for word, valence in words.items():
            index.setdefault(stem(word), (concept, valence))
    return index


_CONCEPT_OF = _stemmed_index()
_AXIS_OF = {stem(word): axis for word, axis in AXIS_WORDS.items()}
_QUANTITY_OF = {stem(word): sign for word, sign in QUANTITY_WORDS.items()}
_SUBSTANCE_STEMS = frozenset(stem(word) for word in SUBSTANCES)


@dataclass(frozen=True)
class Term:
    """One content word, reduced to the concept it names and the direction it points."""

    key: str  # concept id, or the stem when the word is not in the concept map
    surface: str
    presence: int = 1  # -1 when negated or declared absent ("caffeine-free")
    axis: tuple[str, int] | None = None
    quantity: int = 0  # +1 more / -1 less, times the word's valence within its concept
    in_question: bool = False  # rhetorical questions pose the problem; no stance taken
    negated: bool = False

    @property
    def label(self) -> str:
        return f"no {self.surface}" if self.negated else self.surface


def _negated(term: Term) -> Term:
    """Deny a word: an axis word turns round ("no fees" is cheap), any other word is absent."""
    if term.axis is not None:
        return replace(term, axis=(term.axis[0], -term.axis[1]), quantity=-term.quantity,
                       negated=True)
    return replace(term, presence=-term.presence, quantity=-term.quantity, negated=True)


@dataclass(frozen=True)
class Conflict:
    description: str


def _raw_tokens(clause: str) -> list[tuple[str, bool]]:
    """Tokens of a clause, each flagged when a -free/-less suffix or non- prefix denies it."""
    tokens: list[tuple[str, bool]] = []
    for match in TOKEN.finditer(clause):
        parts = match.group(0).split("-")
        if len(parts) >= 2 and parts[-1] in ("free", "less") and parts[0] not in ("", "no"):
            tokens.extend((part, True) for part in parts[:-1])  # caffeine-free: caffeine absent
        elif len(parts) >= 2 and parts[0] == "non":
            tokens.extend((part, True) for part in parts[1:])  # non-toxic: toxic denied
        else:
            tokens.extend((part, False) for part in parts if part)
    return tokens


def analyse(text: str) -> list[Term]:
    """Content terms of `text`, in order, with negation and direction resolved."""
    lowered = " " + (text or "").lower() + " "
    for pattern, replacement in PHRASES:
        lowered = re.sub(pattern, replacement, lowered)
    pieces = CLAUSE_SPLIT.split(lowered)
    terms: list[Term] = []
    for index in range(0, len(pieces), 2):
        delimiter = pieces[index + 1] if index + 1 < len(pieces) else ""
        terms.extend(_analyse_clause(pieces[index], in_question="?" in delimiter))
    return terms


def _analyse_clause(clause: str, *, in_question: bool) -> list[Term]:
    tokens = _raw_tokens(clause)
    terms: list[Term] = []
    scope_of: list[int | None] = []  # which negation scope each term fell in, if any
    positions: list[int] = []  # token index of each term, to find where noun phrases end
    scope_id, negation_left = 0, 0
    pending_quantity = 0
    previous_word = ""
    for position, (word, denied_by_affix) in enumerate(tokens):
        next_word = tokens[position + 1][0] if position + 1 < len(tokens) else ""
        if word == ",":
            # A comma closes a phrase: negation and more/less do not reach across it.
            negation_left, pending_quantity, previous_word = 0, 0, ""
            continue
        if word in NEGATORS or word == "freeof":
            scope_id, negation_left = scope_id + 1, NEGATION_SCOPE
            previous_word = word
            continue
        if word == "but":
            negation_left = 0
        if word == "free" and (stem(previous_word) in _SUBSTANCE_STEMS) and terms:
            # "sugar free": the previous term is declared absent, no price meaning.
            terms[-1] = _negated(terms[-1])
            previous_word = word
            continue
        if word == "off" and not (previous_word.isdigit() or previous_word == "percent"):
            previous_word = word
            continue  # "off" is a discount only after a number ("30% off", "$10 off")
        stemmed = stem(word)
        if stemmed in _QUANTITY_OF:
            sign = _QUANTITY_OF[stemmed] * (-1 if negation_left else 1)
            if terms and previous_word == terms[-1].surface:
                terms[-1] = _with_quantity(terms[-1], sign)  # postfix: "pay less", "sleep more"
            else:
                pending_quantity = sign
            previous_word = word
            continue
        if word in STOPWORDS or (word.isdigit() and next_word != "percent" and len(word) < 2):
            previous_word = word
            continue
        concept, _ = _CONCEPT_OF.get(stemmed, (stemmed, 1))
        term = Term(concept, word, axis=_AXIS_OF.get(stemmed), in_question=in_question)
        term = _negated(term) if denied_by_affix else term
        terms.append(_with_quantity(term, pending_quantity) if pending_quantity else term)
        scope_of.append(scope_id if negation_left else None)
        positions.append(position)
        pending_quantity = 0
        negation_left = max(0, negation_left - 1)
        previous_word = word
    # A term ends its phrase when the next token is not the next term (a stopword, a comma,
    # "or", the clause end): in English the phrase's last word is the head noun.
    heads = [i == len(positions) - 1 or positions[i + 1] != positions[i] + 1
             for i in range(len(positions))]
    return _apply_negation(terms, scope_of, heads)


def _with_quantity(term: Term, sign: int) -> Term:
    """Apply more (+1) / less (-1) to a word: an axis word changes direction ("pay less" is
    cheaper); a concept word gets a quantity signed by its valence ("less fatigue" is good)."""
    if term.axis is not None:
        return replace(term, axis=(term.axis[0], term.axis[1] * sign), quantity=0)
    valence = _CONCEPT_OF.get(stem(term.surface), (term.key, 1))[1]
    return replace(term, quantity=sign * valence)


def _apply_negation(terms: list[Term], scope_of: list[int | None], heads: list[bool]) -> list[Term]:
    """Negate each scope: flip its axis words if it has any, otherwise deny its head nouns.

    "No hidden shipping fees" denies the fee (an axis word), not shipping; "no more afternoon
    fatigue" denies fatigue, not the afternoon; "without caffeine or sugar" denies both heads.
    """
    result = list(terms)
    for scope in sorted({s for s in scope_of if s is not None}):
        members = [i for i, s in enumerate(scope_of) if s == scope]
        with_axis = [i for i in members if result[i].axis is not None]
        denied = with_axis or [i for i in members if heads[i]] or members[-1:]
        for i in denied:
            result[i] = _negated(result[i])
    return result


def _family_match(key: str, others: set[str]) -> float:
    if key in others:
        return 1.0
    if len(key) >= PARTIAL_PREFIX and any(
        len(other) >= PARTIAL_PREFIX and other[:PARTIAL_PREFIX] == key[:PARTIAL_PREFIX]
        for other in others
    ):
        return PARTIAL_CREDIT
    return 0.0


@dataclass(frozen=True)
class Overlap:
    score: float
    shared: tuple[str, ...]


def _weight(key: str) -> float:
    if key in BROAD_CONCEPTS:
        return BROAD_CONCEPT_WEIGHT
    if key in CONCEPTS:
        return 1.0
    return UNMAPPED_WEIGHT if not key.isdigit() else NUMBER_WEIGHT


def overlap(headline: list[Term], reference: list[Term]) -> Overlap:
    """Soft overlap of concepts: evidence of a shared topic, precision and coverage.

    Headlines are a handful of words while offers and landing pages are longer, so the score
    rests mostly on how much shared-concept evidence the headline carries (saturating: one
    solid shared concept is already a real link) and on the share of the headline that is
    about the reference; coverage of the reference adds a little, with diminishing returns.
    Extra claims in a headline dilute precision but never cancel a shared topic.
    """
    headline_keys = sorted({term.key for term in headline})
    reference_keys = sorted({term.key for term in reference})
    if not headline_keys or not reference_keys:
        return Overlap(0.0, ())
    credit = {key: _family_match(key, set(reference_keys)) * _weight(key) for key in headline_keys}
    evidence = sum(credit.values())
    precision = evidence / sum(_weight(key) for key in headline_keys)
    covered = sum(_family_match(key, set(headline_keys)) * _weight(key) for key in reference_keys)
    coverage = covered / sum(_weight(key) for key in reference_keys)
    strength = 1.0 - math.exp(-EVIDENCE_RATE * evidence)
    score = 0.5 * strength + 0.3 * precision + 0.2 * math.sqrt(coverage)
    shared = tuple(key for key, value in credit.items() if value > 0)
    return Overlap(round(min(1.0, score), 4), shared)


def contradictions(headline: list[Term], reference: list[Term]) -> list[Conflict]:
    """Opposite stances between two texts: axis direction, quantity direction, presence."""
    stated = [term for term in headline if not term.in_question]
    found: dict[str, Conflict] = {}
    for ours in stated:
        for theirs in reference:
            if theirs.in_question:
                continue
            if ours.axis and theirs.axis and ours.axis[0] == theirs.axis[0] \
                    and ours.axis[1] != theirs.axis[1]:
                found.setdefault(f"axis:{ours.axis[0]}", Conflict(
                    f"{ours.axis[0]}: '{ours.label}' opposes '{theirs.label}'"))
            if ours.key != theirs.key:
                continue
            if ours.quantity and theirs.quantity and ours.quantity != theirs.quantity:
                found.setdefault(f"quantity:{ours.key}", Conflict(
                    f"{ours.key}: '{ours.label}' goes the other way from '{theirs.label}'"))
            if ours.key not in PRESENCE_NEUTRAL and ours.presence != theirs.presence:
                absent, present = (ours, theirs) if ours.presence < 0 else (theirs, ours)
                found.setdefault(f"presence:{ours.key}", Conflict(
                    f"{ours.key}: one side says without '{absent.surface}', the other has it"))
    return [found[key] for key in sorted(found)]
