"""Plan and apply `__rust_helper` insertions: bytes in, bytes out.

`insert_annotations` is a pure insertion (what --no-format gives), applied
from the end of the file backwards so that earlier offsets stay valid. The
layout step comes after: plain declarations are reformatted by clang-format
over the line ranges returned here (clangformat.py), and `#define` body
lines, which clang-format must not re-flow, get their continuation
backslash put back in its column by `realign_continuations`.
"""
from __future__ import annotations

from typing import NamedTuple

from codemod.c_source.helpers import ANNOTATION
from codemod.c_source.helpers import Helper

TOKEN = ANNOTATION.encode() + b' '
TAB_WIDTH = 8


class Annotated(NamedTuple):
    data: bytes
    # 1-based inclusive line ranges of the declarations that clang-format
    # should reformat.
    format_ranges: tuple[tuple[int, int], ...]
    count: int
    # `#define` body lines that got a token: (1-based line, byte offset of
    # the token in the line, column of the line's `\` before the insertion).
    continuation_lines: tuple[tuple[int, int, int], ...] = ()
    # Per format range: where on its last line the body's `{` is (a byte
    # offset in that line), or None if the brace has a line of its own. The
    # line from there on is not the declaration's and is kept as it is.
    format_cuts: tuple[int | None, ...] = ()


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


def _realign_line(line: bytes, at: int, backslash_col: int) -> tuple[bytes, int]:
    """Put a `#define` line's `\\` back in its column after an insertion at `at`.

    Returns the new text and the number of lines added. If the longer line
    no longer fits before the column, the annotation moves to a line of its
    own above, which also counts as annotated.
    """
    parts = _split_continuation(line)
    if parts is None:
        return line, 0
    code, pad, eol = parts
    use_tabs = b'\t' in pad or not pad
    if _width(code) < backslash_col:
        return code + _pad(_width(code), backslash_col, use_tabs) + b'\\' + eol, 0
    indent, rest = code[:at], code[at + len(TOKEN):]
    own = indent + ANNOTATION.encode()
    if _width(own) >= backslash_col:
        return line, 0   # nothing sensible keeps the column; leave it
    own_line = own + _pad(_width(own), backslash_col, use_tabs) + b'\\' + eol
    rest_line = indent + rest
    return own_line + rest_line + _pad(_width(rest_line), backslash_col, use_tabs) + b'\\' + eol, 1


def _line_bounds(data: bytes, offset: int) -> tuple[int, int]:
    start = data.rfind(b'\n', 0, offset) + 1
    end = data.find(b'\n', offset)
    return start, len(data) if end == -1 else end + 1


def insert_annotations(data: bytes, helpers: list[Helper]) -> Annotated:
    """Insert `__rust_helper ` before each helper's first token: nothing else."""
    out = data
    for helper in sorted(helpers, key=lambda h: h.start, reverse=True):
        out = out[:helper.start] + TOKEN + out[helper.start:]
    ranges, continuations, cuts = [], [], []
    starts = sorted(h.start for h in helpers)
    for helper in sorted(helpers, key=lambda h: h.start):
        if helper.macro is None:
            ranges.append(helper.header_lines)
            cuts.append(_body_column(out, helper, starts))
            continue
        start, end = _line_bounds(data, helper.start)
        parts = _split_continuation(data[start:end])
        if parts is not None:
            continuations.append((helper.line, helper.col - 1, _width(parts[0] + parts[1])))
    return Annotated(out, tuple(ranges), len(helpers), tuple(continuations), tuple(cuts))


def _body_column(out: bytes, helper: Helper, starts: list[int]) -> int | None:
    """Where the body's `{` is on the declaration's last line of `out`, if there."""
    body = helper.body + len(TOKEN) * sum(1 for s in starts if s <= helper.body)
    line_start = out.rfind(b'\n', 0, body) + 1
    if not out[line_start:body].strip():
        return None
    return body - line_start


def realign_continuations(annotated: Annotated) -> Annotated:
    """Restore the backslash columns of the `#define` lines that got a token.

    Clang-format is never run on macro bodies (it would re-flow the whole
    macro), so this is their formatting step. Lines it adds shift the
    format ranges below them.
    """
    lines = annotated.data.splitlines(keepends=True)
    added: list[int] = []
    for line_no, at, column in sorted(annotated.continuation_lines, reverse=True):
        new, extra = _realign_line(lines[line_no - 1], at, column)
        lines[line_no - 1] = new
        added += [line_no] * extra
    ranges = tuple(
        (a + sum(1 for n in added if n < a), b + sum(1 for n in added if n < a))
        for a, b in annotated.format_ranges
    )
    return Annotated(b''.join(lines), ranges, annotated.count, (), annotated.format_cuts)
