"""Is it C source at all? One answer per file, before any parse.

A binary file under rust/helpers/ would otherwise give hundreds of parse
errors. C source is text: no NUL bytes, next to no control bytes, and
UTF-8 apart from a stray byte or two (a Latin-1 name in a comment).
"""
from __future__ import annotations

import re

# Control bytes other than tab, newline, vertical tab, form feed, return and escape.
_CONTROL = re.compile(rb'[\x01-\x08\x0e-\x1a\x1c-\x1f]')
# More than this share of odd bytes is not a stray one.
_MOST_ODD = 0.01


def not_c_text(data: bytes) -> str | None:
    """Why `data` is not C source text, or None if it is."""
    if b'\0' in data:
        return 'not C source: a binary file (it has NUL bytes)'
    controls = len(_CONTROL.findall(data)) if _CONTROL.search(data) else 0
    if controls > max(2, len(data) * _MOST_ODD):
        return f'not C source: a binary file ({controls} control bytes)'
    try:
        data.decode('utf-8')
    except UnicodeDecodeError:
        odd = data.decode('utf-8', 'replace').count('\ufffd')
        if odd > max(2, len(data) * _MOST_ODD):
            return f'not C source: not UTF-8 text ({odd} bytes cannot be decoded)'
    return None
