"""Lex a stretch of top-level code again, where tree-sitter's parse of it
cannot be trusted, and read the header before every `{` at brace depth 0.

A `Stretch` is fed piece by piece as the tree walk (toplevel.py) goes on,
and stays open until its braces are back to depth 0 at the end of an item,
so a stretch that begins before a broken function body goes on to its
real end whatever tree-sitter made of it. `#if` branches each start from
the depth of their `#if`, so a header written twice (`#ifdef A int f(int
a) { #else int f(long a) { #endif`) counts one brace.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from tree_sitter import Node

from codemod.c_source import header
from codemod.c_source import lexer
from codemod.c_source.conditions import Branches
from codemod.c_source.found import Found
from codemod.c_source.found import MacroDef
from codemod.c_source.found import Problem
from codemod.c_source.found import Walk
from codemod.c_source.macros import Knowledge

_CONDITIONAL = frozenset((b'if', b'ifdef', b'ifndef'))
_ALTERNATIVE = frozenset((b'elif', b'else', b'elifdef', b'elifndef'))
_DEFINE = re.compile(rb'\#[ \t]*define[ \t]+([A-Za-z_]\w*)(\([^)]*\))?(?:[ \t]|\\\r?\n)*')
SPLIT = 'the declaration is split by #if lines; cannot tell what it is'


def define_from_text(token: lexer.Token, where: Node, conditions: tuple[str, ...]) -> MacroDef | None:
    """A #define directive token: its name, parameters and body."""
    m = _DEFINE.match(token.text)
    if m is None:
        return None
    body = token.text[m.end():].rstrip()
    return MacroDef(m.group(1), m.group(2), token.start + m.end(), token.start + m.end() + len(body), where, conditions)


class Stretch:
    def __init__(
            self, doc: bytes, start: int, where: Node, known: Callable[[], Knowledge], out: Walk,
            in_macro: bool,
    ):
        self.doc = doc
        self.pos = start
        self.where = where
        self.known = known
        self.out = out
        self.in_macro = in_macro
        self.depth = 0
        self.pending: list[lexer.Token] = []
        self.crossed = False        # the pending tokens go on across an #if line
        self.branches: list[list[int | None]] = []
        self.conditions = Branches()
        self.opened_at = start      # the header of the block now open
        self.cut: int | None = None  # tokens an #if line cut off, taken as a whole item

    @property
    def done(self) -> bool:
        """Back at depth 0 with nothing pending: the next item starts afresh."""
        return self.depth == 0 and not self.pending and self.cut is None

    def feed(self, end: int) -> None:
        """Lex on up to `end` (a directive is read whole, even past it)."""
        doc = self.doc
        while self.pos < end:
            t = lexer.next_token(doc, self.pos, end, in_body=self.depth > 0)
            if t is None:
                break
            self.pos = t.end
            if t.kind == lexer.DIRECTIVE:
                self._directive(t)
            elif self.depth:
                self.depth += 1 if t.text == b'{' else -1
            elif t.text == b'{':
                self._header(t)
                self.depth, self.pending, self.crossed, self.cut = 1, [], False, None
            elif t.text == b'}':
                self.pending, self.cut = [], None
            elif t.text == b';' and not _old_style_open(
                    header.strip_instantiations(doc, self.pending, self.known())):
                self.pending, self.crossed, self.cut = [], False, None
            else:
                self.pending.append(t)
        self.pos = max(self.pos, end)

    def close(self) -> None:
        """End the stretch (at the end of the document, if not done before)."""
        if self.depth:
            self.out.problems.append(Problem(
                self.opened_at, self.pos, 'the braces from here on do not pair up; a definition may be missed'))

    def _directive(self, t: lexer.Token) -> None:
        self.conditions.directive(t.text)
        name = lexer.directive_name(t)
        if name == b'define':
            define = define_from_text(t, self.where, self.conditions.current())
            if define is not None:
                self.out.macros.append(define)
        if name in _CONDITIONAL:
            self.branches.append([self.depth, None])
        elif name in _ALTERNATIVE and self.branches:
            if self.branches[-1][1] is None:
                self.branches[-1][1] = self.depth
            self.depth = self.branches[-1][0]
        elif name == b'endif' and self.branches:
            _, first = self.branches.pop()
            if first is not None:
                self.depth = first
        elif name not in _ALTERNATIVE and name != b'endif':
            if self.depth == 0:
                self.pending = []   # #define, #include, ...: no declaration goes on across it
            return
        if self.depth == 0 and self.pending:
            if _ends_declaration_start(self.doc, self.pending, self.known()):
                self.crossed = True
            else:
                if self.cut is None:
                    self.cut = self.pending[0].start
                self.pending = []   # `DEFINE_X(a)` with no `;`: a whole item

    def _header(self, brace: lexer.Token) -> None:
        doc = self.doc
        pending = self.pending
        self.opened_at = pending[0].start if pending else brace.start
        if not pending:
            if self.cut is not None:
                self.out.problems.append(Problem(self.cut, brace.start, SPLIT))
            elif not self.in_macro:
                self.out.problems.append(Problem(brace.start, brace.start, 'a block with no declaration before it'))
            return
        known = self.known()
        result = header.analyse(doc, pending, known)
        if result is None and any(t.text == b';' for t in pending):
            # Not an old-style definition after all: read what follows the last `;`.
            last = max(k for k, t in enumerate(pending) if t.text == b';')
            result = header.analyse(doc, pending[last + 1:], known)
        if isinstance(result, header.Declared):
            if self.crossed:
                self.out.problems.append(Problem(pending[0].start, brace.start, SPLIT))
                return
            name = result.name
            self.out.found.append(Found(
                name.start, name.end, result.first, brace.start, result.static, result.inline,
                result.annotated, self.where, self.conditions.current(),
            ))
        elif isinstance(result, header.Unclear):
            reason = SPLIT if self.crossed else result.reason
            self.out.problems.append(Problem(pending[0].start, brace.start, reason))


def _ends_declaration_start(doc: bytes, pending: list[lexer.Token], known: Knowledge) -> bool:
    """Whether tokens cut off by an #if line may begin a declaration that
    goes on after it (`static`, `struct foo *`, `void f(int a)`), rather
    than be whole items (`DEFINE_X(a)` lines with no `;`)."""
    pending = header.strip_instantiations(doc, pending, known)
    if not pending:
        return False
    if pending[-1].text != b')':
        return True
    # `NAME(...)` alone is a macro line; with words before it, a declarator.
    depth = 0
    for k in range(len(pending) - 1, -1, -1):
        t = pending[k].text
        depth += (t == b')') - (t == b'(')
        if depth == 0:
            return k >= 2 and pending[k - 1].kind == lexer.ID
    return True


def _old_style_open(pending: list[lexer.Token]) -> bool:
    """`int f(a, b) int a;` so far: more parameter declarations, then the
    body, follow (`int f(a, b);` alone is an old-style prototype)."""
    for k in range(len(pending) - 2):
        if pending[k].kind == lexer.ID and pending[k + 1].text == b'(':
            close = next((j for j in range(k + 2, len(pending)) if pending[j].text == b')'), -1)
            inner = pending[k + 2:close]
            if close > k + 2 and header.is_identifier_list(inner):
                rest = pending[close + 1:]
                if rest and header.declares_only(rest, {t.text for t in inner if t.kind == lexer.ID}):
                    return True
    return False
