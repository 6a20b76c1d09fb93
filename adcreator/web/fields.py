"""Form fields and URL converters that hold the bounds of adcreator.inputs on the pages.

A page parameter reaches a view only through a form (or a converter) built from these, so an
id beyond the database's integers, a superscript digit that `str.isdigit()` accepts and
`int()` refuses, a NUL byte or a date without a next day is a form error or a 404, never a 500.
"""

from __future__ import annotations

import re

from django import forms

from adcreator.inputs import MAX_DATE, MAX_ID, MAX_OFFSET, MAX_SEED, MIN_DATE

_ASCII_INTEGER = re.compile(r"[0-9]{1,19}")


def parse_id(raw) -> int | None:
    """A row id from text, or None: ASCII digits only, within the primary-key range."""
    if not isinstance(raw, str) or not _ASCII_INTEGER.fullmatch(raw.strip()):
        return None
    value = int(raw.strip())
    return value if 1 <= value <= MAX_ID else None


class IdField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class SeedField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=MAX_SEED, **kwargs)


class OffsetField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=MAX_OFFSET, **kwargs)


class BoundedDateField(forms.DateField):
    """A date whose next day exists: an inclusive "to" date becomes "before the next day"."""

    def validate(self, value):
        super().validate(value)
        if value is not None and not MIN_DATE <= value <= MAX_DATE:
            raise forms.ValidationError(f"Choose a date between {MIN_DATE:%Y-%m-%d} and {MAX_DATE:%Y-%m-%d}.",
                                        code="out_of_range")


class IdListField(forms.Field):
    """Repeated `name=1&name=2` values as a list of distinct ids, each within the id range."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        ids: list[int] = []
        for raw in values:
            number = parse_id(raw) if isinstance(raw, str) else (raw if isinstance(raw, int) and 1 <= raw <= MAX_ID else None)
            if number is None:
                raise forms.ValidationError(f"{str(raw)[:30]!r} is not an id", code="invalid_id")
            if number not in ids:
                ids.append(number)
        return ids


class IdConverter:
    """`<id:name>` in a URL: digits within the primary-key range; anything else is a 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError("out of the id range")  # Django answers 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))



class BoundedModelChoiceField(forms.ModelChoiceField):
    """A row chosen by id: a value that cannot be an id is "not a valid choice" before any query."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if parse_id(str(value)) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)
