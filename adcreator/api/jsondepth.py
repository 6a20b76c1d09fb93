"""How deeply a JSON document nests, read from its bytes without decoding it.

Python's json module recurses once per level: a 2 KB body of 2,000 "[" exhausts the
interpreter's stack (RecursionError). The API measures the depth first and refuses deep
bodies before json sees them. Strings are skipped whole (a "[" inside a string does not
count), so the scan costs one regular-expression pass, in C, over the structural characters.
"""

from __future__ import annotations

import re

# A complete string (escapes included, possessive so an unterminated one cannot backtrack), or
# one bracket. Anything else between them is skipped by the search.
_TOKEN = re.compile(rb'"(?:[^"\\]++|\\.)*+"|[\[\]{}]')
_OPENERS = frozenset(b"[{")


def exceeds_depth(data: bytes, limit: int) -> bool:
    """True when `data` opens more than `limit` arrays/objects inside each other."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return False  # cannot be deeper than it has brackets: the common case costs two counts
    depth = 0
    for match in _TOKEN.finditer(data):
        token = match.group()
        if len(token) != 1:
            continue  # a string
        if token[0] in _OPENERS:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False
