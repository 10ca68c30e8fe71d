"""C tokens of a stretch of bytes, for the places tree-sitter got wrong.

Only the stretches around parse errors are lexed (relex.py), in Python, so
it is made cheap: one regular-expression search per token at file scope,
and inside a body (`in_body`) one per brace, comment, string or directive,
everything between skipped by the regex engine. Comments, blanks and line
splices are skipped; a preprocessor directive is one token with its
continuation lines, even past the end asked for; a string or character
literal is one token. Offsets are offsets in the bytes given.
"""
from __future__ import annotations

import re
from typing import NamedTuple

ID = 'id'
NUMBER = 'num'
STRING = 'str'
PUNCT = 'punct'
DIRECTIVE = 'pp'
_SKIPPED = frozenset(('comment', 'splice'))


class Token(NamedTuple):
    kind: str
    text: bytes
    start: int
    end: int


_DIRECTIVE_TEXT = rb'^[ \t]*\#(?:\\\r?\n|/\*.*?(?:\*/|\Z)|[^\n])*'
_COMMENT = rb'/\*.*?(?:\*/|\Z)|//(?:\\\r?\n|[^\n])*'
_STRING = rb'"(?:\\.|[^"\\\n])*"?|\'(?:\\.|[^\'\\\n])*\'?'
_TOKEN = re.compile(
    rb'(?P<comment>' + _COMMENT + rb')'
    rb'|(?P<pp>' + _DIRECTIVE_TEXT + rb')'
    rb'|(?P<splice>\\\r?\n)'
    rb'|(?P<id>[A-Za-z_$][A-Za-z0-9_$]*)'
    rb'|(?P<num>\.?[0-9](?:[eEpP][+-]|[A-Za-z0-9_.\'])*)'
    rb'|(?P<str>' + _STRING + rb')'
    rb'|(?P<punct>\#\#|->|\.\.\.|[^\s])',
    re.M | re.S,
)
# Inside a body only these matter.
_IN_BODY = re.compile(
    rb'(?P<comment>' + _COMMENT + rb')'
    rb'|(?P<pp>' + _DIRECTIVE_TEXT + rb')'
    rb'|(?P<str>' + _STRING + rb')'
    rb'|(?P<punct>[{}])',
    re.M | re.S,
)
_WHOLE_DIRECTIVE = re.compile(_DIRECTIVE_TEXT, re.M | re.S)


def next_token(data: bytes, pos: int, end: int, in_body: bool = False) -> Token | None:
    """The first token at or after `pos` (in a body: brace, string or directive)."""
    pattern = _IN_BODY if in_body else _TOKEN
    while True:
        m = pattern.search(data, pos, end)
        if m is None:
            return None
        kind = m.lastgroup
        if kind in _SKIPPED:
            pos = m.end()
            continue
        if kind == DIRECTIVE:
            # A directive goes on to the end of its logical line, wherever `end` is.
            m = _WHOLE_DIRECTIVE.match(data, m.start())
            text = m.group().lstrip(b' \t')
            return Token(DIRECTIVE, text, m.end() - len(text), m.end())
        if kind == STRING and in_body:
            pos = m.end()
            continue
        return Token(kind, m.group(), m.start(), m.end())


def tokens(data: bytes, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of data[start:end]."""
    end = len(data) if end is None else end
    out = []
    pos = start
    while True:
        t = next_token(data, pos, end)
        if t is None:
            return out
        out.append(t)
        pos = t.end


_DIRECTIVE_NAME = re.compile(rb'#[ \t]*(?:/\*.*?\*/[ \t]*)*([A-Za-z_]+)', re.S)


def directive_name(token: Token) -> bytes:
    """`if`, `ifdef`, `else`, `define`, ... of a directive token."""
    m = _DIRECTIVE_NAME.match(token.text)
    return m.group(1) if m else b''
