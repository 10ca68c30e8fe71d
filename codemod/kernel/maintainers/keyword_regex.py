"""A MAINTAINERS K: regex read as text, for routing a patch quickly and as
Perl would: its top-level alternatives, how get_maintainer.pl joins it to
the `^[+-].*` prefix, and literal
texts that every match contains (so that a patch without them is not
searched at all: Python's re scans slowly for a pattern that starts with
`\\b` or a group)."""
from __future__ import annotations

import re
from typing import NamedTuple

_LEADING_FLAGS = re.compile(r'\(\?([a-zA-Z]+)\)')


def class_opening(pattern: str, i: int) -> int:
    """The length of the `[`, `[^`, `[]` or `[^]` that opens a class at i
    (a `]` first in a class is literal)."""
    n = 1 + (pattern[i + 1:i + 2] == '^')
    return n + (pattern[i + n:i + n + 1] == ']')


def without_leading_flags(pattern: str) -> str:
    m = _LEADING_FLAGS.match(pattern)
    return pattern[m.end():] if m else pattern


def top_level_alternatives(pattern: str) -> list[str]:
    """`a|b(c|d)|[|]` -> ['a', 'b(c|d)', '[|]']: the pattern split on the `|`
    outside groups, classes and escapes."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == '\\':
            i += 2
            continue
        if in_class:
            in_class = c != ']'
        elif c == '[':
            in_class = True
            i += class_opening(pattern, i)
            continue
        elif c == '(':
            depth += 1
        elif c == ')':
            depth -= 1
        elif c == '|' and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def joined(prefix: str, keyword: str) -> str:
    """The regex Perl builds from `m/${prefix}$keyword/x`, in Python syntax.

    Joining is plain concatenation, except that Python wants a flag group
    like `(?i)` at the very start: Perl applies it to everything after it,
    i.e. to each top-level alternative, so it becomes `(?i:...)` around each.
    """
    m = _LEADING_FLAGS.match(keyword)
    if not prefix or m is None:
        return prefix + keyword
    flags = m.group(1)
    alternatives = top_level_alternatives(keyword[m.end():])
    return prefix + '|'.join(f'(?{flags}:{a})' for a in alternatives)


_ESCAPES = {'t': '\t', 'n': '\n', 'r': '\r', 'f': '\f', 'v': '\v', 'a': '\a', 'e': '\x1b'}


class _Item(NamedTuple):
    kind: str        # 'char', 'group' or 'other'
    text: str        # the character, or the group's content
    ignore_case: bool
    optional: bool   # a quantifier lets it match nothing
    repeated: bool   # a quantifier lets it match more than once


def _items(pattern: str, ignore_case: bool) -> list[_Item] | None:
    """The pattern's top-level items, quantifiers applied; None for syntax
    this reader does not follow (a verbose-mode comment)."""
    items: list[_Item] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c.isspace():          # /x: unescaped white space is nothing
            i += 1
            continue
        if c == '#':
            return None
        if c == '\\':
            nxt = pattern[i + 1:i + 2]
            if nxt and not nxt.isalnum():
                items.append(_Item('char', nxt, ignore_case, False, False))
            elif nxt in _ESCAPES:
                items.append(_Item('char', _ESCAPES[nxt], ignore_case, False, False))
            else:
                items.append(_Item('other', '', ignore_case, False, False))
            i += 2
        elif c == '[':
            i += class_opening(pattern, i)
            while i < len(pattern) and pattern[i] != ']':
                i += 2 if pattern[i] == '\\' else 1
            items.append(_Item('other', '', ignore_case, False, False))
            i += 1
        elif c == '(':
            depth, j = 1, i + 1
            while j < len(pattern) and depth:
                if pattern[j] == '\\':
                    j += 1
                elif pattern[j] == '[':
                    j += class_opening(pattern, j)
                    while j < len(pattern) and pattern[j] != ']':
                        j += 2 if pattern[j] == '\\' else 1
                elif pattern[j] in '()':
                    depth += 1 if pattern[j] == '(' else -1
                j += 1
            content = pattern[i + 1:j - 1]
            flags = re.match(r'\?([a-zA-Z]*):', content)
            if content.startswith('?') and flags is None:
                items.append(_Item('other', '', ignore_case, False, False))   # lookaround and the like
            else:
                group_ci = ignore_case or (flags is not None and 'i' in flags.group(1))
                items.append(_Item('group', content[flags.end():] if flags else content, group_ci, False, False))
            i = j
        elif c in '*+?{':
            if not items:
                return None
            end = i + 1
            if c == '{':
                end = pattern.find('}', i) + 1 or len(pattern)
            minimum = 0 if c in '*?' else 1 if c == '+' else int(re.match(r'\{(\d*)', pattern[i:]).group(1) or 0)
            last = items.pop()
            items.append(last._replace(optional=last.optional or minimum == 0, repeated=True))
            i = end + (pattern[end:end + 1] in ('?', '+'))   # lazy and possessive forms
        elif c in '.^$':
            items.append(_Item('other', '', ignore_case, False, False))
            i += 1
        else:
            items.append(_Item('char', c, ignore_case, False, False))
            i += 1
    return items


Literal = tuple[str, bool]   # (text, case-insensitive)


def required_literals(pattern: str, ignore_case: bool = False) -> list[Literal] | None:
    """Texts of which every match of the pattern contains one, or None when
    this reader cannot tell: a cheap test to skip a K: regex on a patch."""
    if (m := _LEADING_FLAGS.match(pattern)) is not None:
        ignore_case = ignore_case or 'i' in m.group(1)
        pattern = pattern[m.end():]
    found: list[Literal] = []
    for alternative in top_level_alternatives(pattern):
        literals = _required_in_sequence(alternative, ignore_case)
        if literals is None:
            return None
        found += literals
    return found


def _required_in_sequence(pattern: str, ignore_case: bool) -> list[Literal] | None:
    items = _items(pattern, ignore_case)
    if items is None:
        return None
    best: list[Literal] | None = None
    run: list[str] = []
    run_ci = False

    def close_run() -> None:
        nonlocal best, run
        if run and (best is None or len(best) > 1 or len(''.join(run)) > len(best[0][0])):
            best = [(''.join(run), run_ci)]
        run = []

    for item in items:
        if item.kind == 'char' and not item.optional:
            if run and item.ignore_case != run_ci:
                close_run()
            run_ci = item.ignore_case
            run.append(item.text)
            if item.repeated:
                close_run()
            continue
        close_run()
        if item.kind == 'group' and not item.optional and best is None:
            best = required_literals(item.text, item.ignore_case) or None
    close_run()
    return best
