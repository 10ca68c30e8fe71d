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

from codemod.kernel.maintainers.keyword_regex import joined
from codemod.kernel.maintainers.keyword_regex import Literal
from codemod.kernel.maintainers.keyword_regex import required_literals
from codemod.kernel.maintainers.keyword_regex import top_level_alternatives
from codemod.kernel.maintainers.keyword_regex import without_leading_flags

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


class PatchRead(NamedTuple):
    files: list[str]            # sorted, unique: the order get_maintainer.pl routes them in
    keywords: frozenset[int]    # indices into the keyword list that some line hits


# Python's (?i) also matches these with ASCII letters; folding them as it
# does keeps a case-insensitive literal test exact, and offsets unchanged.
_FOLD = str.maketrans({**{chr(c): chr(c + 32) for c in range(ord('A'), ord('Z') + 1)},
                       '\u0130': 'i', '\u0131': 'i', '\u017f': 's', '\u212a': 'k'})
# Every line that may be something else than a line for K: starts so.
_SPECIAL_LINE = re.compile(r'^(?: mode change |rename |diff --git |Fixes:|\+\+\+|---|@@ -)', re.M)


class Keywords:
    """The K: regexes, compiled both ways get_maintainer.pl uses them on a patch."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.anywhere = [re.compile(p, _FLAGS) for p in patterns]
        self.in_diff = [re.compile(joined(DIFF_PREFIX, p), _FLAGS) for p in patterns]
        # Each K:'s literals (ASCII if case-insensitive), or None: try every line.
        self.literals = []
        for p in patterns:
            literals = required_literals(p)
            if literals is not None and any(ci and not text.isascii() for text, ci in literals):
                literals = None
            self.literals.append(None if literals is None else
                                 [(text.lower() if ci else text, ci) for text, ci in literals])
        # In the diff a line needs a + or -, unless a top-level `|` lets the
        # other alternatives match any line.
        self.alternation = [len(top_level_alternatives(without_leading_flags(p))) > 1 for p in patterns]


class _Text:
    """A patch's text with what the line-by-line pass learnt about it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded: str | None = None
        self.taken: set[int] = set()     # starts of lines that K: is not matched against
        self.diff_start = len(text) + 1  # the first ---/+++ line: after it, the diff

    @property
    def folded(self) -> str:
        if self._folded is None:
            self._folded = self.text.translate(_FOLD)
        return self._folded

    def line_at(self, start: int) -> str:
        end = self.text.find('\n', start)
        return self.text[start:] if end == -1 else self.text[start:end + 1]

    def line_starts(self, literals: list[Literal] | None) -> list[int]:
        """Starts of the lines that hold one of the literals (all lines for None)."""
        text = self.text
        if literals is None:
            starts = [0] + [m.end() for m in re.finditer('\n', text)]
            return starts[:-1] if text.endswith('\n') else starts   # no line after the last newline
        found: set[int] = set()
        for literal, ignore_case in literals:
            haystack = self.folded if ignore_case else text
            at = haystack.find(literal)
            while at != -1:
                found.add(text.rfind('\n', 0, at) + 1)
                at = haystack.find(literal, at + 1)
        return sorted(found)


def perl_text(data: bytes) -> str:
    """The bytes as the script's UTF-8 input layer reads them."""
    text = data.decode('utf-8', 'surrogateescape')
    return _ESCAPED_BYTE.sub(lambda m: '\\x%02X' % (ord(m.group()) - 0xdc00), text)


def _file_lines(text: _Text) -> list[str]:
    """The file names, from the lines that may name one; marks every line
    that is not for K: and where the diff starts."""
    files: list[str] = []
    for m in _SPECIAL_LINE.finditer(text.text):
        start = m.start()
        line = text.line_at(start)
        if (found := _MODE_CHANGE.match(line)) or (found := _RENAME.match(line)):
            files.append(found.group(1))
        elif found := _DIFF_GIT.match(line):
            files += [found.group(1), found.group(2)]
        elif _FIXES.match(line) or _HUNK.match(line):
            pass
        elif found := _FILE_LINE.match(line):
            files.append(_DIRECTORY_PART.sub('', found.group(1), count=1))
            text.diff_start = min(text.diff_start, start)
        else:
            continue
        text.taken.add(start)
    return files


def read(data: bytes, keywords: Keywords) -> PatchRead:
    """The file names and keyword hits of one patch file."""
    text = _Text(perl_text(data))
    files = _file_lines(text)
    hits = set()
    for i, literals in enumerate(keywords.literals):
        for start in text.line_starts(literals):
            if start in text.taken:
                continue
            line = text.line_at(start)
            if start <= text.diff_start:
                hit = keywords.anywhere[i].search(line)
            elif line[:1] in ('+', '-') or keywords.alternation[i]:
                hit = keywords.in_diff[i].search(line)
            else:
                continue
            if hit:
                hits.add(i)
                break
    return PatchRead(sorted(set(files)), frozenset(hits))
