"""Palette arithmetic against hand-checked WCAG values."""

from __future__ import annotations

import pytest

from adcreator.prompts.palette import (
    DARK_TEXT,
    FALLBACK_PALETTE,
    LIGHT_TEXT,
    best_text_color,
    contrast_ratio,
    ensure_contrast,
    min_contrast,
    palette_for_mode,
    parse_hex,
    relative_luminance,
    to_hex,
    to_hls,
)


def test_hex_round_trip_and_short_form():
    assert parse_hex("#0b3d91") == (11, 61, 145)
    assert parse_hex("fff") == (255, 255, 255)
    assert to_hex((11, 61, 145)) == "#0b3d91"
    assert to_hex((300, -4, 127.6)) == "#ff0080"  # clamped and rounded
    with pytest.raises(ValueError):
        parse_hex("#12345")


def test_relative_luminance_of_known_colours():
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    assert relative_luminance("#000000") == pytest.approx(0.0)
    # sRGB 0x80 linearises to 0.2158 (WCAG formula), and grey has equal channels.
    assert relative_luminance("#808080") == pytest.approx(0.2158, abs=1e-4)
    assert relative_luminance("#ff0000") == pytest.approx(0.2126)


def test_contrast_ratio_hand_checked_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#3a86ff", "#3a86ff") == pytest.approx(1.0)
    # #767676 is the lightest grey that passes AA on white (4.54:1); #777777 just fails (4.48:1).
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    # Pure red on white: (1.05) / (0.2126 + 0.05) = 3.998.
    assert contrast_ratio("#ff0000", "#ffffff") == pytest.approx(3.998, abs=0.001)


def test_best_text_color_picks_the_readable_neutral():
    assert best_text_color("#ffffff") == DARK_TEXT
    assert best_text_color("#f6efe4") == DARK_TEXT
    assert best_text_color("#000000") == LIGHT_TEXT
    assert best_text_color("#0b3d91") == LIGHT_TEXT


def test_ensure_contrast_darkens_until_the_ratio_is_met_and_keeps_the_hue():
    adjusted = ensure_contrast("#ff8080", "#ffffff")
    assert contrast_ratio(adjusted, "#ffffff") >= 4.5
    assert to_hls(adjusted)[0] == pytest.approx(to_hls("#ff8080")[0], abs=0.02)
    assert relative_luminance(adjusted) < relative_luminance("#ff8080")


def test_ensure_contrast_lightens_on_dark_backgrounds_and_leaves_good_pairs_alone():
    adjusted = ensure_contrast("#3a4a6b", "#101420")
    assert contrast_ratio(adjusted, "#101420") >= 4.5
    assert relative_luminance(adjusted) > relative_luminance("#3a4a6b")
    assert ensure_contrast("#111111", "#ffffff") == "#111111"


def test_ensure_contrast_against_several_backgrounds_at_once():
    backgrounds = ["#ffffff", "#c8d6f0"]
    adjusted = ensure_contrast("#6f8fd0", backgrounds)
    assert min_contrast(adjusted, backgrounds) >= 4.5
    # Black and white behind the same text: only a mid grey reaches 4.5 on both (max is sqrt(21)).
    between = ensure_contrast("#2050a0", ["#000000", "#ffffff"])
    assert min_contrast(between, ["#000000", "#ffffff"]) >= 4.5
    # With mid grey added no colour can work: the best-scoring neutral is returned.
    impossible = ["#000000", "#ffffff", "#777777"]
    fallback = ensure_contrast("#2050a0", impossible)
    assert min_contrast(fallback, impossible) < 4.5
    assert min_contrast(fallback, impossible) >= max(min_contrast(c, impossible) for c in ("#111111", "#ffffff", "#000000"))


def test_original_mode_is_the_template_palette_normalised():
    assert palette_for_mode("original", ["#F6EFE4", "d9482b"], ["#0b3d91"]) == ["#f6efe4", "#d9482b"]


def test_complementary_rotates_hue_by_half_a_turn_keeping_lightness_and_saturation():
    rotated = palette_for_mode("complementary", ["#ff0000", "#d9482b", "#808080"], [])
    assert rotated[0] == "#00ffff"
    hue, lightness, saturation = to_hls(rotated[1])
    original_hue, original_lightness, original_saturation = to_hls("#d9482b")
    assert (hue - original_hue) % 1.0 == pytest.approx(0.5, abs=0.01)
    assert lightness == pytest.approx(original_lightness, abs=0.01)
    assert saturation == pytest.approx(original_saturation, abs=0.02)
    assert rotated[2] == "#808080"  # a grey has no hue to rotate
    round_trip = palette_for_mode("complementary", rotated, [])
    for back, original in zip(round_trip, ["#ff0000", "#d9482b", "#808080"]):
        assert max(abs(a - b) for a, b in zip(parse_hex(back), parse_hex(original))) <= 2


def test_brand_mode_uses_brand_colours_and_falls_back_to_the_template():
    assert palette_for_mode("brand", ["#ffffff"], ["#0B3D91", "#f2a900"]) == ["#0b3d91", "#f2a900"]
    assert palette_for_mode("brand", ["#ffffff", "#222222"], []) == ["#ffffff", "#222222"]


def test_empty_template_palette_gets_a_usable_fallback_and_unknown_modes_fail():
    assert palette_for_mode("original", [], []) == FALLBACK_PALETTE
    with pytest.raises(ValueError):
        palette_for_mode("neon", ["#ffffff"], [])
