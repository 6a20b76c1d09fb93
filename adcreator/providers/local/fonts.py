"""Fonts that ship inside PyPI packages, so every machine renders the same pixels."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import font_lato
import font_roboto
from PIL import ImageFont

Family = Literal["Lato", "Roboto"]
Weight = Literal["Regular", "Bold", "Black", "Light", "Italic", "Medium"]

_FONT_DIRS: dict[str, Path] = {
    "Lato": Path(font_lato.__file__).parent / "files",
    "Roboto": Path(font_roboto.__file__).parent / "files",
}


def font_path(family: Family = "Lato", weight: Weight = "Regular") -> Path:
    path = _FONT_DIRS[family] / f"{family}-{weight}.ttf"
    if not path.exists():
        raise FileNotFoundError(f"font {family}-{weight} is not shipped by its package ({path})")
    return path


@lru_cache(maxsize=256)
def load_font(family: Family = "Lato", weight: Weight = "Regular", size: int = 32) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(family, weight)), size=size)
