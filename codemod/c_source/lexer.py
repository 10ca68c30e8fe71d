"""C tokens of a stretch of bytes, for the places tree-sitter got wrong.

Only the stretches around parse errors and suspicious declarations are
lexed (see toplevel.py), so this is plain Python. Comments, blanks and
line splices are skipped; a preprocessor directive is one token, with its
continuation lines; string and character literals are one token each.
Offsets are offsets in the bytes given.
"""
from __future__ import annotations

import re
from typing import NamedTuple

ID = 'id'
NUMBER = 'num'
STRING = 'str'
PUNCT = 'punct'
DIRECTIVE = 'pp'


class Token(NamedTuple):
    kind: str
    text: bytes
    start: int
    end: int


_SKIP = re.compile(rb'(?:[ \t\r\n\f\v]+|\\\r?\n|/\*.*?(?:\*/|\Z)|//(?:\\\r?\n|[^\n])*)*', re.S)
_TOKEN = re.compile(
    rb'''
      (?P<id>[A-Za-z_$][A-Za-z0-9_$]*)
    | (?P<num>\.?[0-9](?:[eEpP][+-]|[A-Za-z0-9_.'])*)
    | (?P<str>"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?)
    | (?P<punct>\#\#|->|\.\.\.|[^\s])
    ''',
    re.X | re.S,
)
_DIRECTIVE = re.compile(rb'\#(?:\\\r?\n|/\*.*?(?:\*/|\Z)|[^\n])*', re.S)


def _at_line_start(data: bytes, pos: int) -> bool:
    return not data[data.rfind(b'\n', 0, pos) + 1:pos].strip(b' \t\f\v')


def tokens(data: bytes, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of data[start:end]; a `#` first on its line starts a
    directive, which runs to the end of its logical line even past `end`."""
    end = len(data) if end is None else end
    out = []
    pos = start
    while True:
        pos = _SKIP.match(data, pos, end).end()
        if pos >= end:
            return out
        if data[pos] == 0x23 and data[pos + 1:pos + 2] != b'#' and _at_line_start(data, pos):
            m = _DIRECTIVE.match(data, pos)
            out.append(Token(DIRECTIVE, m.group(), pos, m.end()))
            pos = m.end()
            continue
        m = _TOKEN.match(data, pos, end)
        out.append(Token(m.lastgroup, m.group(), pos, m.end()))
        pos = m.end()


_DIRECTIVE_NAME = re.compile(rb'#[ \t]*(?:/\*.*?\*/[ \t]*)*([A-Za-z_]+)', re.S)


def directive_name(token: Token) -> bytes:
    """`if`, `ifdef`, `else`, `define`, ... of a directive token."""
    m = _DIRECTIVE_NAME.match(token.text)
    return m.group(1) if m else b''
