"""Plan and apply `__rust_helper` insertions: bytes in, bytes out.

Insertions are applied from the end of the file backwards so that the
offsets of the earlier ones stay valid. Plain definitions only get the token;
their declarations are reformatted afterwards (clangformat.py) over the line
ranges returned here. Definitions inside a `#define` body are never given to
clang-format (it would re-flow the whole macro); instead the line's
continuation backslash is put back in its column.
"""
from __future__ import annotations

from dataclasses import dataclass

from codemod.helpers import ANNOTATION
from codemod.helpers import Helper

TOKEN = ANNOTATION.encode() + b' '
TAB_WIDTH = 8


@dataclass(frozen=True)
class Annotated:
    data: bytes
    # 1-based inclusive line ranges, in the new file, of the declarations
    # that clang-format should reformat.
    format_ranges: tuple[tuple[int, int], ...]
    count: int


def needs_annotation(helpers: tuple[Helper, ...] | list[Helper]) -> list[Helper]:
    return [h for h in helpers if not h.annotated]


def _width(text: bytes) -> int:
    col = 0
    for c in text:
        col = (col // TAB_WIDTH + 1) * TAB_WIDTH if c == 9 else col + 1
    return col


def _pad(from_col: int, to_col: int, use_tabs: bool) -> bytes:
    if not use_tabs:
        return b' ' * (to_col - from_col)
    tabs = b''
    col = from_col
    while (col // TAB_WIDTH + 1) * TAB_WIDTH <= to_col:
        tabs += b'\t'
        col = (col // TAB_WIDTH + 1) * TAB_WIDTH
    return tabs + b' ' * (to_col - col)


def _split_continuation(line: bytes) -> tuple[bytes, bytes, bytes] | None:
    """Split `code<pad>\\<eol>` into (code, pad, eol), or None if no `\\`."""
    eol = b'\r\n' if line.endswith(b'\r\n') else b'\n' if line.endswith(b'\n') else b''
    body = line[:len(line) - len(eol)]
    if not body.endswith(b'\\'):
        return None
    code = body[:-1].rstrip(b' \t')
    return code, body[len(code):-1], eol


def _annotate_macro_line(line: bytes, at: int) -> tuple[bytes, int]:
    """Insert the token at `at` in one `#define` body line.

    Returns the new text and the number of lines added. The backslash stays
    in its column; if the longer line no longer fits before it, the
    annotation goes on a line of its own above, which also counts as
    annotated.
    """
    parts = _split_continuation(line)
    if parts is None:
        return line[:at] + TOKEN + line[at:], 0
    code, pad, eol = parts
    backslash_col = _width(code + pad)
    use_tabs = b'\t' in pad
    new_code = code[:at] + TOKEN + code[at:]
    if _width(new_code) < backslash_col:
        return new_code + _pad(_width(new_code), backslash_col, use_tabs) + b'\\' + eol, 0
    indent = code[:at]
    own = indent + ANNOTATION.encode()
    if _width(own) >= backslash_col:
        # Nothing sensible keeps the column; keep the code intact instead.
        return new_code + b' \\' + eol, 0
    own_line = own + _pad(_width(own), backslash_col, use_tabs) + b'\\' + eol
    return own_line + line, 1


def insert_annotations(data: bytes, helpers: list[Helper]) -> Annotated:
    """Insert `__rust_helper ` before each helper's first token."""
    out = data
    added_lines: list[tuple[int, int]] = []   # (line, count) where lines were added
    for helper in sorted(helpers, key=lambda h: h.start, reverse=True):
        if helper.macro is None:
            out = out[:helper.start] + TOKEN + out[helper.start:]
            continue
        line_start = out.rfind(b'\n', 0, helper.start) + 1
        line_end = out.find(b'\n', helper.start)
        line_end = len(out) if line_end == -1 else line_end + 1
        new_line, added = _annotate_macro_line(out[line_start:line_end], helper.start - line_start)
        out = out[:line_start] + new_line + out[line_end:]
        if added:
            added_lines.append((helper.line, added))

    ranges = []
    for helper in sorted(helpers, key=lambda h: h.start):
        if helper.macro is not None:
            continue
        shift = sum(n for line, n in added_lines if line <= helper.line)
        first, last = helper.header_lines
        ranges.append((first + shift, last + shift))
    return Annotated(out, tuple(ranges), len(helpers))

