"""The bounds every door applies to what a person or a program sends us (layer 0, no Django).

Pages, the API, the CLI and the job parameters all validate with these, so a value that one
door accepts is never one another door (or the database) would crash on: an id beyond the
64-bit primary keys, a seed numpy refuses, a NUL byte PostgreSQL cannot store, a date whose
next day does not exist.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

# Primary keys are BigAutoField: anything above this cannot exist, and the database driver
# would overflow on it (a 500) rather than find nothing.
MAX_ID = 2**63 - 1
# numpy's Generator takes 0..2**63-1 comfortably, and the seed travels as a JSON number.
MAX_SEED = 2**63 - 1
# The last day whose next day exists (an inclusive "to" date becomes "< next day").
MAX_DATE = date(9999, 12, 30)
MIN_DATE = date(1970, 1, 1)
# An offset into a paged list: far beyond any real list, far below an integer overflow.
MAX_OFFSET = 10_000_000


def refuse_nul(text: str) -> str:
    """PostgreSQL text cannot hold U+0000; refusing it at the door beats a database error."""
    if "\x00" in text:
        raise PydanticCustomError("nul_character", "Must not contain a NUL character.")
    return text


DbId = Annotated[int, Field(ge=1, le=MAX_ID)]
Seed = Annotated[int, Field(ge=0, le=MAX_SEED)]
Text = Annotated[str, AfterValidator(refuse_nul)]


def nul_free(value: object) -> bool:
    return not (isinstance(value, str) and "\x00" in value)
