"""A patch file as `get_maintainer.pl PATCHFILE` reads it: the file names it
takes from the diff and the MAINTAINERS K: keywords its lines hit.

The script reads the patch line by line, as bytes, and tries these in turn
on each line; the first that matches takes the line:

* ` mode change OLD => NEW PATH` (a diffstat summary line), `rename from
  PATH`, `rename to PATH`, `diff --git a/PATH b/PATH`: file names;
* `Fixes: SHA` (the fixed commit's signers come from git, not MAINTAINERS);
* `+++ NAME` or `--- NAME`: a file name, everything up to the first `/`
  dropped (so `/dev/null` gives `dev/null`); from this line on the
  keywords only count on lines that start with `+` or `-`;
* `@@ -N,M`: a hunk header;
* any other line is matched against every K: regex: before the first
  `---`/`+++` line (mail headers, message, diffstat) anywhere in it, after
  it as `^[+-].*` followed by the K: text, one regex. Like Perl's string
  interpolation the two are simply joined: a K: with a top-level `|` (e.g.
  `phylink\\.h|struct\\s+phylink`) has its other alternatives match
  anywhere, context lines included.

The file names are then sorted and made unique. The script reads every
file as UTF-8 (`use open qw(:std :encoding(UTF-8))`), so `\\w`, `\\b` and
`(?i)` follow Unicode rules, as Python's do for str; a byte that is not
valid UTF-8 reads as the four characters `\\xHH`, Perl's fallback.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

DIFF_PREFIX = r'^[+-].*'
_FLAGS = re.VERBOSE
_ESCAPED_BYTE = re.compile('[\udc80-\udcff]')

_MODE_CHANGE = re.compile(r'^ mode change [0-7]+ => [0-7]+ (\S+)\s*$')
_RENAME = re.compile(r'^rename (?:from|to) (\S+)\s*$')
_DIFF_GIT = re.compile(r'^diff --git a/(\S+) b/(\S+)\s*$')
_FIXES = re.compile(r'^Fixes:\s+[0-9a-fA-F]{6,40}')
_FILE_LINE = re.compile(r'^(?:\+\+\+|---)\s+(\S+)')
_HUNK = re.compile(r'^@@ -\d+,\d+')
_DIRECTORY_PART = re.compile(r'^[^/]*/')
_LEADING_FLAGS = re.compile(r'\(\?([a-zA-Z]+)\)')


class PatchRead(NamedTuple):
    files: list[str]            # sorted, unique: the order get_maintainer.pl routes them in
    keywords: frozenset[int]    # indices into the keyword list that some line hits


def _class_opening(pattern: str, i: int) -> int:
    """The length of the `[`, `[^`, `[]` or `[^]` that opens a class at i
    (a `]` first in a class is literal)."""
    n = 1 + (pattern[i + 1:i + 2] == '^')
    return n + (pattern[i + n:i + n + 1] == ']')


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
            i += _class_opening(pattern, i)
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


_CONTEXT_ESCAPES = frozenset('AZzGbB')


def is_context_free(keyword: str) -> bool:
    """Whether a match inside one line is also a match inside the whole text
    at the same place: no anchors or lookarounds, which look past a line's
    ends (`\\b` looks at one character before, and a line starts after a
    newline, which is as much a non-word as the start of the text)."""
    i, in_class = 0, False
    while i < len(keyword):
        c = keyword[i]
        if c == '\\':
            if not in_class and keyword[i + 1:i + 2] in _CONTEXT_ESCAPES - {'b', 'B'}:
                return False
            i += 2
            continue
        if in_class:
            in_class = c != ']'
        elif c == '[':
            in_class = True
            i += _class_opening(keyword, i)
            continue
        elif c in '^$':
            return False
        elif keyword.startswith(('(?=', '(?!', '(?<'), i):
            return False
        i += 1
    return True


class Keywords:
    """The K: regexes, compiled both ways get_maintainer.pl uses them on a patch."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.anywhere = [re.compile(p, _FLAGS) for p in patterns]
        self.in_diff = [re.compile(joined(DIFF_PREFIX, p), _FLAGS) for p in patterns]
        # A K: that matches nowhere in the text cannot match a line of it.
        self.prefilter = [self.anywhere[i] if is_context_free(p) else None for i, p in enumerate(patterns)]


def _lines(text: str) -> list[str]:
    """Perl's `<$fh>` lines: each keeps its newline; a last one may have none."""
    lines = text.split('\n')
    last = lines.pop()
    lines = [line + '\n' for line in lines]
    if last:
        lines.append(last)
    return lines


def perl_text(data: bytes) -> str:
    """The bytes as the script's UTF-8 input layer reads them."""
    text = data.decode('utf-8', 'surrogateescape')
    return _ESCAPED_BYTE.sub(lambda m: '\\x%02X' % (ord(m.group()) - 0xdc00), text)


def read(data: bytes, keywords: Keywords) -> PatchRead:
    """The file names and keyword hits of one patch file."""
    text = perl_text(data)
    candidates = [i for i, f in enumerate(keywords.prefilter) if f is None or f.search(text)]
    hits: set[int] = set()
    files: list[str] = []
    in_diff = False
    for line in _lines(text):
        first = line[:1]
        if first == ' ' and (m := _MODE_CHANGE.match(line)):
            files.append(m.group(1))
        elif first == 'r' and (m := _RENAME.match(line)):
            files.append(m.group(1))
        elif first == 'd' and (m := _DIFF_GIT.match(line)):
            files += [m.group(1), m.group(2)]
        elif first == 'F' and _FIXES.match(line):
            pass
        elif first in ('+', '-') and (m := _FILE_LINE.match(line)):
            files.append(_DIRECTORY_PART.sub('', m.group(1), count=1))
            in_diff = True
        elif first == '@' and _HUNK.match(line):
            pass
        elif candidates:
            regexes = keywords.in_diff if in_diff else keywords.anywhere
            found = [i for i in candidates if regexes[i].search(line)]
            if found:
                hits.update(found)
                candidates = [i for i in candidates if i not in hits]
    return PatchRead(sorted(set(files)), frozenset(hits))
