"""The words of a generation request: canvas sizes and colour modes (spec sections 2 and 4).

The one definition every door and layer reads: the create form's choices, the API schema, the
CLI, the job parameters, the prompt contract, the database CHECK constraints and the pages.
A size is named by its ratio at the doors ("4:5") and stored by its pixels ("1080x1350", the
`canvas_size` of an ad and of its element tags); `CanvasSize` carries both, so no layer
converts one into the other by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

SizeRatio = Literal["1:1", "4:5", "9:16", "16:9"]
ColorMode = Literal["original", "complementary", "brand"]


@dataclass(frozen=True)
class CanvasSize:
    ratio: SizeRatio
    width: int
    height: int
    placement: str  # where Meta shows this ratio, as the create form explains it

    @property
    def canvas(self) -> str:
        """The stored spelling: `GeneratedAd.canvas_size` and the `canvas_size` element tag."""
        return canvas_label(self.width, self.height)

    @property
    def display(self) -> str:
        return f"{self.ratio} ({self.width}×{self.height}) — {self.placement}"


@dataclass(frozen=True)
class ColorModeSpec:
    value: ColorMode
    name: str
    explanation: str

    @property
    def display(self) -> str:
        return f"{self.name} — {self.explanation}"


SIZES: tuple[CanvasSize, ...] = (
    CanvasSize("1:1", 1080, 1080, "Feed posts"),
    CanvasSize("4:5", 1080, 1350, "Feed, portrait"),
    CanvasSize("9:16", 1080, 1920, "Stories & Reels"),
    CanvasSize("16:9", 1920, 1080, "Landscape & in-stream"),
)
COLOR_MODE_SPECS: tuple[ColorModeSpec, ...] = (
    ColorModeSpec("original", "Original", "the template's own colours"),
    ColorModeSpec("complementary", "Complementary", "a contrasting palette"),
    ColorModeSpec("brand", "Brand", "your brand colours"),
)


def canvas_label(width: int, height: int) -> str:
    return f"{width}x{height}"


SIZE_BY_RATIO: dict[str, CanvasSize] = {size.ratio: size for size in SIZES}
SIZE_BY_CANVAS: dict[str, CanvasSize] = {size.canvas: size for size in SIZES}
SIZE_RATIOS: tuple[str, ...] = tuple(SIZE_BY_RATIO)
CANVAS_VALUES: tuple[str, ...] = tuple(SIZE_BY_CANVAS)
# Ratio → (width, height), in display order: the shape the renderer and the layout math use.
CANVAS_SIZES: dict[str, tuple[int, int]] = {size.ratio: (size.width, size.height) for size in SIZES}
COLOR_MODES: tuple[str, ...] = tuple(spec.value for spec in COLOR_MODE_SPECS)

# The Literal types are what pydantic validates against; they must name the same words.
assert SIZE_RATIOS == get_args(SizeRatio), "SizeRatio and SIZES disagree"
assert COLOR_MODES == get_args(ColorMode), "ColorMode and COLOR_MODE_SPECS disagree"


def size_for_canvas(canvas_size: str) -> CanvasSize:
    """The size stored as "1080x1350"; ValueError for any other spelling."""
    try:
        return SIZE_BY_CANVAS[canvas_size]
    except KeyError:
        raise ValueError(f"unknown canvas size {canvas_size!r}; expected one of {', '.join(CANVAS_VALUES)}") from None


def nearest_ratio(width: int, height: int) -> SizeRatio | None:
    """The ratio of SIZES closest to an image's shape (a template's native ratio)."""
    if not width or not height:
        return None
    shape = width / height
    return min(SIZES, key=lambda size: abs(size.width / size.height - shape)).ratio
