"""The element dimensions the genome scores (spec 10.2): one definition, for the genome and for
generation, which writes them into every ad's `element_tags`.

Values are compared as strings (UUIDs and integers such as awareness stages are str()-ed);
None means the ad does not carry the dimension. Generation also writes `hook_id` and
`content_source` for traceability; they are not scored.
"""

ELEMENT_DIMENSIONS: tuple[str, ...] = (
    "hook_type", "belief_angle_id", "persona_id", "color_mode", "visual_style", "template_category",
    "awareness_stage", "offer_variant_id", "canvas_size", "template_id", "prompt_version",
)
