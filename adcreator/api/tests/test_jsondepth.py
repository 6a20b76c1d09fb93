"""The nesting-depth scan that runs before any JSON is decoded (hand-counted depths)."""

import json

import pytest

from adcreator.api.jsondepth import exceeds_depth


@pytest.mark.parametrize(("text", "depth"), [
    ("{}", 1), ("[]", 1), ('{"a": [1, {"b": []}]}', 4), ("[[[]], [[]]]", 3), ('"[[[["', 0), ("3", 0),
    ('{"k": "a \\" [ { still a string"}', 1),  # an escaped quote does not end the string
    ('["\\\\", [[]]]', 3),  # an escaped backslash does
])
def test_depth_is_counted_outside_strings(text, depth):
    json.loads(text)  # every example is valid JSON
    assert not exceeds_depth(text.encode(), depth)
    if depth:
        assert exceeds_depth(text.encode(), depth - 1)


def test_the_issues_payload_is_caught_and_a_wide_flat_body_is_not():
    assert exceeds_depth(b"[" * 2000 + b"]" * 2000, 64)
    assert not exceeds_depth(json.dumps([[i] for i in range(5000)]).encode(), 64)


def test_brackets_inside_a_long_or_unterminated_string_cost_no_depth():
    assert not exceeds_depth(json.dumps({"note": "[" * 10_000}).encode(), 2)
    assert exceeds_depth(b'{"a": "unterminated [[[[', 2)  # not JSON either way: refused early is fine
