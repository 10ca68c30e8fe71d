"""The #if conditions a definition sits under, as text.

From the parse tree where it is clean (`conditions_of`), and from the
directive lines themselves where a stretch is lexed again (`Branches`).
"""
from __future__ import annotations

import re

from tree_sitter import Node


def _condition_text(node: Node, text: bytes) -> str:
    if node.type in ('preproc_ifdef', 'preproc_elifdef'):
        name = node.child_by_field_name('name')
        ident = text[name.start_byte:name.end_byte].decode() if name else '?'
        directive = text[node.start_byte:name.start_byte if name else node.end_byte]
        return f'!{ident}' if b'ifndef' in directive or b'elifndef' in directive else ident
    cond = node.child_by_field_name('condition')
    raw = text[cond.start_byte:cond.end_byte].decode('utf-8', 'replace') if cond else '?'
    return ' '.join(raw.split())


def negate(cond: str) -> str:
    if cond.startswith('!') and re.fullmatch(r'!\w+', cond):
        return cond[1:]
    if re.fullmatch(r'\w+|defined\s*\(\s*\w+\s*\)', cond):
        return '!' + cond
    return f'!({cond})'


_CONDITIONAL = ('preproc_if', 'preproc_ifdef', 'preproc_elif', 'preproc_elifdef')


def conditions_of(node: Node, text: bytes) -> tuple[str, ...]:
    """The #if conditions a node sits under, outermost first."""
    conds: list[str] = []
    cur = node
    while cur.parent is not None:
        parent = cur.parent
        if parent.type in _CONDITIONAL:
            alternative = parent.child_by_field_name('alternative')
            cond = _condition_text(parent, text)
            if alternative is not None and alternative.id == cur.id:
                conds.append(negate(cond))
            else:
                conds.append(cond)
        cur = parent
    return tuple(reversed(conds))


def conditions_in(block: Node, text: bytes) -> tuple[str, ...]:
    """The #if conditions of what sits directly in `block` (an #if branch or the root)."""
    own = (_condition_text(block, text),) if block.type in _CONDITIONAL else ()
    return conditions_of(block, text) + own


_DIRECTIVE = re.compile(rb'#[ \t]*([A-Za-z_]+)(.*)', re.S)
_COMMENT = re.compile(rb'/\*.*?\*/|//[^\n]*', re.S)


def _directive(text: bytes) -> tuple[bytes, str]:
    m = _DIRECTIVE.match(_COMMENT.sub(b' ', text).replace(b'\\\n', b' '))
    if not m:
        return b'', ''
    return m.group(1), ' '.join(m.group(2).decode('utf-8', 'replace').split())


class Branches:
    """The conditions of the #if branches a lexer is inside, line by line."""

    def __init__(self) -> None:
        # One frame per open #if: the conditions of the branches before, negated,
        # and the current branch's own (None in #else).
        self._frames: list[tuple[list[str], str | None]] = []

    def directive(self, text: bytes) -> None:
        kind, rest = _directive(text)
        if kind in (b'if', b'ifdef', b'ifndef'):
            own = rest if kind == b'if' else rest.split(' ')[0]
            self._frames.append(([], '!' + own if kind == b'ifndef' else own))
        elif not self._frames:
            return      # the #if is before where the lexing started
        elif kind in (b'elif', b'elifdef', b'elifndef', b'else'):
            before, own = self._frames[-1]
            before = before + ([negate(own)] if own is not None else [])
            if kind == b'else':
                self._frames[-1] = (before, None)
            else:
                own = rest if kind == b'elif' else rest.split(' ')[0]
                self._frames[-1] = (before, '!' + own if kind == b'elifndef' else own)
        elif kind == b'endif':
            self._frames.pop()

    def current(self) -> tuple[str, ...]:
        out: list[str] = []
        for before, own in self._frames:
            out += before + ([own] if own is not None else [])
        return tuple(out)
