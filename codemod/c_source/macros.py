"""Which identifiers are attribute-like macros, from the code that defines them.

Three sources, asked in this order: our list (codemod/data/
attribute_macros.txt), the file's own `#define`s, and what was learned from
the tree's headers (kernel/header_macros.py; lazily, only when a file needs
it). A `#define` is attribute-like when its body is empty or made only of
`__attribute__((...))` groups, storage and qualifier keywords, and other
attribute-like macros (so chains such as `__init` -> `__section(...)
__cold` resolve). A function-like macro that is not attribute-like is an
"item" macro (`DEFINE_X(name)`): it expands to whole declarations.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import NamedTuple

from codemod.c_source.lexer import ID
from codemod.c_source.lexer import PUNCT
from codemod.c_source.lexer import STRING
from codemod.c_source.lexer import tokens
from codemod.plumbing.packages import read_package_text

ATTRIBUTE = 1       # attribute-like: part of the specifiers, never a name or a type
TAKES_ARGS = 2      # used with an argument list
STATIC = 4          # expands to `static`
INLINE = 8          # expands to `inline`
ITEM = 16           # function-like, expands to whole declarations or statements
MAYBE_STATIC = 32   # `static` in some of its definitions only: depends on the configuration
LISTED = 64         # in our list: trusted even where its group looks like parameters

_GROUP_KEYWORDS = frozenset((b'__attribute__', b'__attribute', b'__declspec'))
_KEYWORDS = {
    b'static': STATIC, b'inline': INLINE, b'__inline': INLINE, b'__inline__': INLINE,
    b'extern': 0, b'const': 0, b'volatile': 0, b'__volatile__': 0, b'register': 0,
    b'__extension__': 0, b'__always_inline': INLINE,
}


class AttributeMacros(NamedTuple):
    """Our list, codemod/data/attribute_macros.txt."""
    plain: frozenset[str]
    with_args: frozenset[str]
    # Subset of with_args whose argument is an expression, not a constant.
    expression_args: frozenset[str] = frozenset()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self.plain | self.with_args))

    @property
    def clang_format_names(self) -> tuple[str, ...]:
        """The names clang-format should treat as attributes."""
        return tuple(n for n in self.names if n not in self.expression_args)


def parse_macro_list(text: str) -> AttributeMacros:
    """Lines `name`, `name()` (takes arguments) or `name(expr)` (takes an expression)."""
    plain, with_args, expression_args = set(), set(), set()
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        if line.endswith('(expr)'):
            with_args.add(line[:-6])
            expression_args.add(line[:-6])
        elif line.endswith('()'):
            with_args.add(line[:-2])
        else:
            plain.add(line)
    return AttributeMacros(frozenset(plain), frozenset(with_args), frozenset(expression_args))


@functools.cache
def attribute_macros() -> AttributeMacros:
    return parse_macro_list(read_package_text('data', 'attribute_macros.txt'))


class Define(NamedTuple):
    params: bytes | None    # the `(a, b)` text of a function-like macro
    body: bytes


Lookup = Callable[[bytes], list[Define]]


def _group_end(toks, i: int) -> int:
    depth = 0
    for j in range(i, len(toks)):
        if toks[j].kind == PUNCT and toks[j].text == b'(':
            depth += 1
        elif toks[j].kind == PUNCT and toks[j].text == b')':
            depth -= 1
            if depth == 0:
                return j
    return -1


def _body_flags(define: Define, flags_of: Callable[[bytes], int]) -> int | None:
    """ATTRIBUTE | STATIC | INLINE of one body, or None if not attribute-like."""
    toks = tokens(define.body)
    params = {t.text for t in tokens(define.params) if t.kind == ID} if define.params else set()
    out = ATTRIBUTE
    i = 0
    while i < len(toks):
        t = toks[i]
        after = toks[i + 1].text if i + 1 < len(toks) else b''
        if t.kind == STRING and i and toks[i - 1].text == b'extern':
            i += 1      # extern "C"
            continue
        if t.kind != ID or t.text in params:
            return None
        if t.text in _KEYWORDS:
            out |= _KEYWORDS[t.text]
            i += 1
            continue
        flags = ATTRIBUTE | TAKES_ARGS if t.text in _GROUP_KEYWORDS else flags_of(t.text)
        if not flags & ATTRIBUTE:
            return None
        out |= flags & (STATIC | INLINE | MAYBE_STATIC)
        if after == b'(' and flags & TAKES_ARGS:
            i = _group_end(toks, i + 1)
            if i < 0:
                return None
        i += 1
    return out


def classify(defines: list[Define], flags_of: Callable[[bytes], int]) -> int:
    """The flags of a name from all its definitions (they must all agree).

    A function-like macro defined empty everywhere is a stub for a function
    (`#define set_ops(x)` where the real one is not built), not an attribute.
    """
    takes_args = any(d.params is not None for d in defines)
    if takes_args and not any(d.body.strip() for d in defines):
        return ITEM
    out = ATTRIBUTE | (TAKES_ARGS if takes_args else 0)
    statics = 0
    for d in defines:
        flags = _body_flags(d, flags_of)
        if flags is None:
            return ITEM if takes_args else 0
        out |= flags & ~STATIC
        statics += bool(flags & STATIC)
    if statics:
        out |= STATIC if statics == len(defines) else MAYBE_STATIC
    return out


def _packaged() -> dict[bytes, int]:
    macros = attribute_macros()
    flags = {n.encode(): ATTRIBUTE | LISTED for n in macros.plain}
    flags.update({n.encode(): ATTRIBUTE | TAKES_ARGS | LISTED for n in macros.with_args})
    flags[b'__always_inline'] |= INLINE
    return flags


class Knowledge:
    """What each identifier is, asked one name at a time and remembered."""

    def __init__(self, local: Lookup | None = None, learned: Callable[[], dict[bytes, int]] | None = None):
        self._local = local
        self._learned = learned
        self._learned_flags: dict[bytes, int] | None = None
        self._memo = _packaged()

    def add_local(self, local: Lookup) -> None:
        """The file's own #defines, asked before the tree's headers."""
        self._local = local

    def flags(self, name: bytes, deep: bool = True) -> int:
        """What `name` is. With `deep` off, the tree's headers are not asked
        (the answer is then what our list and the file say)."""
        known = self._memo.get(name)
        if known is not None:
            return known
        defines = self._local(name) if self._local else []
        if not defines and not deep:
            return 0
        self._memo[name] = 0    # a macro defined in terms of itself is nothing
        if defines:
            flags = classify(defines, self.flags)
        else:
            flags = self._learned_of(name)
        self._memo[name] = flags
        return flags

    def _learned_of(self, name: bytes) -> int:
        if self._learned is None:
            return 0
        if self._learned_flags is None:
            self._learned_flags = self._learned()
        return self._learned_flags.get(name, 0)

    def is_attribute(self, name: bytes, deep: bool = True) -> bool:
        return bool(self.flags(name, deep) & ATTRIBUTE)

    def takes_args(self, name: bytes) -> bool:
        return self.flags(name) & (ATTRIBUTE | TAKES_ARGS) == ATTRIBUTE | TAKES_ARGS

    def is_plain_attribute(self, name: bytes) -> bool:
        return self.flags(name) & (ATTRIBUTE | TAKES_ARGS) == ATTRIBUTE

    def is_item(self, name: bytes) -> bool:
        return bool(self.flags(name) & ITEM)

    def is_static(self, name: bytes) -> bool:
        return bool(self.flags(name) & STATIC)

    def is_maybe_static(self, name: bytes) -> bool:
        return bool(self.flags(name) & MAYBE_STATIC)

    def is_listed(self, name: bytes) -> bool:
        return bool(self.flags(name, deep=False) & LISTED)

    def is_inline(self, name: bytes) -> bool:
        return bool(self.flags(name) & INLINE)


# A body with anything else (digits first, operators, ...) is not attribute-like.
_MAY_BE_ATTRIBUTE = re.compile(rb'[\s\w(),"\'.]*\Z')
_NUMBER_FIRST = re.compile(rb'\s*[0-9]')


def _may_be_attribute(body: bytes) -> bool:
    return bool(_MAY_BE_ATTRIBUTE.match(body)) and not _NUMBER_FIRST.match(body)


def learn(defines: dict[bytes, list[Define]]) -> dict[bytes, int]:
    """Flags of every name a set of headers defines (only the useful ones kept).

    Bodies that cannot be attribute-like are told apart by one regular
    expression; only the rest are tokenised.
    """
    def local(name: bytes) -> list[Define]:
        return defines.get(name, [])

    knowledge = Knowledge(local=local)
    out = {}
    for name, defs in defines.items():
        if all(_may_be_attribute(d.body) for d in defs):
            flags = knowledge.flags(name)
        else:
            flags = ITEM if any(d.params is not None for d in defs) else 0
        if flags:
            out[name] = flags
    return out
