"""What the tokens before a top-level `{` declare: read without a grammar.

Used where tree-sitter's parse of a declaration cannot be trusted (a parse
error in or before it, see toplevel.py). The rule for words we do not know,
in one sentence: **the name is the first identifier whose parenthesised
group is followed only by declarator parentheses, suffixes and attribute-like
words up to the body, with at least one word before it; every word before
the name is a declaration specifier, so an unknown one is taken as an
attribute-like macro that neither hides `static` nor becomes the name.**
A group of numbers or strings (`MY_ATTR(2)`) is an attribute's arguments,
never a parameter list.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from codemod.c_source.lexer import ID
from codemod.c_source.lexer import NUMBER
from codemod.c_source.lexer import PUNCT
from codemod.c_source.lexer import STRING
from codemod.c_source.lexer import Token
from codemod.c_source.macros import Knowledge

ANNOTATION = b'__rust_helper'

# Words followed by a group that is never a parameter list.
_GROUP_WORDS = frozenset((b'__attribute__', b'__attribute', b'__declspec'))
_NOT_NAMES = frozenset(b'''
    sizeof typeof __typeof__ __typeof _Alignof alignof __alignof__ __alignof _Alignas alignas
    __attribute__ __attribute __declspec asm __asm__ __asm _Pragma __pragma _Static_assert
    static_assert _Generic __extension__ if else for while do switch return goto case default
    break continue defined
'''.split())
_STATEMENTS = frozenset(b'if else for while do switch return goto case default break continue'.split())
# Words that can only be part of the specifiers, never an attribute after `)`.
_SPECIFIER_WORDS = frozenset(b'''
    void char short int long float double signed unsigned _Bool bool _Complex struct union enum
    const volatile restrict __restrict __restrict__ static extern typedef auto register inline
    __inline __inline__ _Thread_local __thread __signed__ __const
'''.split())
_AGGREGATES = frozenset((b'struct', b'union', b'enum'))
_NOT_KR = frozenset((b'static', b'extern', b'typedef', b'inline', b'__inline', b'__inline__'))
_INLINE = frozenset((b'inline', b'__inline', b'__inline__', b'__always_inline'))


class Declared(NamedTuple):
    """A function definition's header, read from its tokens."""
    name: Token
    first: int          # offset of the header's first token
    static: bool
    inline: bool
    annotated: bool


class Unclear(NamedTuple):
    """A header that looks like a function's but cannot be read for sure."""
    first: int
    reason: str


def _close(toks: list[Token], i: int) -> int:
    """toks[i] opens a group; the index of its closing token, or -1."""
    opening = toks[i].text
    closing = b')' if opening == b'(' else b']'
    depth = 0
    for j in range(i, len(toks)):
        t = toks[j]
        if t.kind != PUNCT:
            continue
        if t.text == opening:
            depth += 1
        elif t.text == closing:
            depth -= 1
            if depth == 0:
                return j
    return -1


def _line_ends_after(data: bytes, toks: list[Token], i: int) -> bool:
    return i + 1 < len(toks) and b'\n' in data[toks[i].end:toks[i + 1].start]


def strip_instantiations(data: bytes, toks: list[Token], known: Knowledge) -> list[Token]:
    """Drop leading `DEFINE_X(...)` lines: known macros that expand to a whole item."""
    while len(toks) > 2 and toks[1].text == b'(' and known.is_item(toks[0].text):
        close = _close(toks, 1)
        if close < 0 or not _line_ends_after(data, toks, close):
            break
        toks = toks[close + 1:]
    return toks


def _depth0(toks: list[Token]) -> list[Token]:
    out, depth = [], 0
    for t in toks:
        if t.kind == PUNCT and t.text in (b'(', b'['):
            depth += 1
        elif t.kind == PUNCT and t.text in (b')', b']'):
            depth -= 1
        elif depth == 0:
            out.append(t)
    return out


def _is_aggregate(toks: list[Token], known: Knowledge) -> bool:
    """`struct x {`, `union __packed {`, `enum e __attribute__((x)) {`: after
    the last struct/union/enum keyword, only a tag and attributes."""
    last = max((k for k, t in enumerate(toks) if t.text in _AGGREGATES), default=-1)
    if last < 0:
        return False
    i = last + 1
    while i < len(toks):
        t = toks[i]
        if t.kind != ID:
            return False
        if i + 1 < len(toks) and toks[i + 1].text == b'(':
            if not (t.text in _GROUP_WORDS or known.takes_args(t.text)):
                return False
            i = _close(toks, i + 1)
            if i < 0:
                return False
        i += 1
    return True


def _group_is_arguments(inner: list[Token]) -> bool:
    """A group of literals or expressions: an attribute's arguments."""
    depth = 0
    for t in inner:
        if t.kind == PUNCT and t.text == b'[':
            depth += 1
        elif t.kind == PUNCT and t.text == b']':
            depth -= 1
        elif depth:
            continue
        elif t.kind in (NUMBER, STRING):
            return True
        elif t.kind == PUNCT and t.text not in (b',', b'*', b'(', b')', b'...'):
            return True
    return False


def _group_is_parameters(inner: list[Token]) -> bool:
    """A group that can only be a parameter list: `(void)`, `(int a, ...)`."""
    if _group_is_arguments(inner):
        return False
    words = 0
    for t in inner:
        if t.kind == ID and t.text in _SPECIFIER_WORDS:
            return True
        if t.kind == ID:
            words += 1
        elif t.text == b',':
            if words >= 2:
                return True
            words = 0
    return words >= 2


def _tail_is_valid(toks: list[Token], at: int, depth: int, known: Knowledge, kr: set[bytes]) -> bool:
    """After the parameter list: closing declarator parens and their suffix
    groups, then only attribute-like words (or K&R parameter declarations)."""
    i = at
    n = len(toks)
    while depth and i < n:
        t = toks[i]
        if t.text == b')':
            depth -= 1
            i += 1
            while i < n and toks[i].text in (b'(', b'['):
                close = _close(toks, i)
                if close < 0:
                    return False
                i = close + 1
        else:
            return False
    if depth:
        return False
    if kr and b';' in (t.text for t in toks[i:]):
        return _kr_declarations(toks[i:], kr)
    plain_before = False
    while i < n:
        t = toks[i]
        if t.kind != ID or t.text in _SPECIFIER_WORDS or t.text in _STATEMENTS:
            return False
        if i + 1 < n and toks[i + 1].text == b'(':
            close = _close(toks, i + 1)
            if close < 0:
                return False
            attribute = t.text in _NOT_NAMES or known.takes_args(t.text)
            if not attribute and (plain_before or _group_is_parameters(toks[i + 2:close])):
                return False    # `type name(params)`: the real declarator
            i = close + 1
            plain_before = False
        else:
            plain_before = not known.is_attribute(t.text)
            i += 1
    return True


def declares_only(toks: list[Token], names: set[bytes]) -> bool:
    """`int a; char *b, c[2]` declares only some of `names`: old-style
    parameter declarations (the last part may lack its `;`)."""
    part: list[Token] = []
    for t in list(toks) + [Token(PUNCT, b';', -1, -1)]:
        if t.text != b';':
            if t.kind == STRING or t.text in (b'{', b'}', b'=') or t.text in _NOT_KR:
                return False
            part.append(t)
            continue
        if not part:
            continue
        words = _depth0(part)
        declared = [x.text for k, x in enumerate(words)
                    if x.kind == ID and (k + 1 == len(words) or words[k + 1].text == b',')]
        if not declared or not set(declared) <= names:
            return False
        part = []
    return True


def _kr_declarations(toks: list[Token], names: set[bytes]) -> bool:
    return b';' in (t.text for t in toks) and toks[-1].text == b';' and declares_only(toks, names)


_CAPITALS = re.compile(rb'[A-Z][A-Z0-9_]*\Z')


def _looks_like_header_macro(name: Token, inner: list[Token]) -> bool:
    """`BPF_PROG(handler, struct ctx *c)`: a capitalised name whose first
    argument is a bare name and a later one a typed parameter."""
    if not _CAPITALS.match(name.text):
        return False
    items: list[list[Token]] = [[]]
    depth = 0
    for t in inner:
        if t.text in (b'(', b'['):
            depth += 1
        elif t.text in (b')', b']'):
            depth -= 1
        if depth == 0 and t.text == b',':
            items.append([])
        else:
            items[-1].append(t)
    return (len(items) > 1 and len(items[0]) == 1 and items[0][0].kind == ID
            and any(len(item) > 1 for item in items[1:]))


def is_identifier_list(inner: list[Token]) -> bool:
    """`a, b, c`: the parameters of an old-style (K&R) definition."""
    return bool(inner) and all(
        (t.kind == ID and t.text not in _SPECIFIER_WORDS) if k % 2 == 0 else t.text == b','
        for k, t in enumerate(inner)
    )


def _words(toks: list[Token]) -> set[bytes]:
    return {t.text for t in _depth0(toks) if t.kind == ID}


# Kernel type names: never a macro that hides `static` (not worth asking
# the tree's headers, which costs a walk of their folders).
_TYPE_NAME = re.compile(rb'\w+_t|_*[su](?:8|16|32|64|128)|bool')


def _tag_names(toks: list[Token]) -> set[bytes]:
    """`page` of `struct page`: a tag, not a macro."""
    return {toks[k + 1].text for k in range(len(toks) - 1) if toks[k].text in _AGGREGATES}


def _macro_candidates(words: set[bytes]) -> list[bytes]:
    """The words that may be macros expanding to `static` or `inline`."""
    return [w for w in words if w not in _SPECIFIER_WORDS and not _TYPE_NAME.fullmatch(w)]


def analyse(data: bytes, toks: list[Token], known: Knowledge) -> Declared | Unclear | None:
    """Read the header tokens before a top-level `{` (None: not a function)."""
    toks = strip_instantiations(data, toks, known)
    if not toks:
        return None
    if toks[0].text in _STATEMENTS or any(t.text == b'=' for t in _depth0(toks)):
        return None
    if _is_aggregate(toks, known):
        return None
    depth = 0
    # Per open group: could it be declarator parentheses (`(*name(...))`)?
    # A name is never inside a macro's arguments (`DEFINE_X(a, f(b))`).
    declarator: list[bool] = []
    shaped = False
    i = 0
    while i < len(toks):
        t = toks[i]
        i += 1
        if t.kind == PUNCT:
            if t.text in (b'(', b'['):
                depth += 1
                declarator.append(t.text == b'(' and i < len(toks) and toks[i].text in (b'*', b'('))
            elif t.text in (b')', b']'):
                depth -= 1
                if declarator:
                    declarator.pop()
            continue
        if t.kind != ID or i >= len(toks) or toks[i].text != b'(' or not all(declarator):
            continue
        close = _close(toks, i)
        # Our list and the file's own macros: the tree's headers are not asked
        # about a name with a parameter list (an attribute of theirs there has
        # numbers or strings for arguments, or nothing before it).
        attribute = t.text in _NOT_NAMES or known.is_attribute(t.text, deep=False)
        if attribute and not known.is_listed(t.text) and t.text not in _NOT_NAMES and close > 0:
            # A learned macro may share a real function's name: parameters say which.
            attribute = not _group_is_parameters(toks[i + 1:close])
        if attribute:
            if known.takes_args(t.text) or t.text in _NOT_NAMES:
                if close < 0:
                    break
                i = close + 1   # an attribute's arguments: no name in there
            continue
        shaped = True
        if close < 0:
            break
        before = toks[:i - 1]
        inner = toks[i + 1:close]
        if _group_is_arguments(inner):
            continue
        kr = {x.text for x in inner if x.kind == ID} if is_identifier_list(inner) else set()
        old_style = bool(kr) and _kr_declarations(toks[close + 1:], kr)
        # A name has specifiers before it, unless it is an old-style
        # definition with the implicit `int` (`f(a, b) int a; int b; {`).
        if not old_style and not any(x.kind == ID for x in before):
            continue
        if not _tail_is_valid(toks, close + 1, depth, known, kr):
            continue
        words = _words(before)
        if b'typedef' in words:
            return None
        if _looks_like_header_macro(t, inner):
            return Unclear(toks[0].start, f'{t.text.decode()}(...) looks like a macro that makes the function header')
        macros = _macro_candidates(words - _tag_names(before))
        maybe = next((w for w in macros if known.is_maybe_static(w)), None)
        if maybe is not None and b'static' not in words:
            return Unclear(toks[0].start, f'{maybe.decode()} is static in some configurations only')
        return Declared(
            name=t,
            first=toks[0].start,
            static=b'static' in words or any(known.is_static(w) for w in macros),
            inline=not words.isdisjoint(_INLINE) or any(known.is_inline(w) for w in macros),
            annotated=any(x.text == ANNOTATION for x in toks),
        )
    if not shaped:
        return None
    words = _words(toks)
    if b'static' in words or any(known.is_static(w) for w in _macro_candidates(words - _tag_names(toks))):
        return None     # a static definition, whatever its name: not a helper
    head = toks[0]
    if head.kind == ID and len(toks) > 1 and toks[1].text == b'(':
        return Unclear(head.start, f'the function header is made by the macro {head.text.decode()}(...)')
    return Unclear(head.start, 'cannot tell which word names the function')
