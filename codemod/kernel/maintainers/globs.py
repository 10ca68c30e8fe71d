"""MAINTAINERS `F:`/`X:` file patterns with get_maintainer.pl's exact semantics.

get_maintainer.pl does not implement shell globs. It turns a pattern into a
Perl regex (`.` -> `\\.`, `*` -> `.*`, `?` -> `.`; every other regex
character passes through, so `[ch]` is a class) and then:

* a pattern ending in `/` matches every path that starts with it, at any
  depth (here `*` does cross `/`: `drivers/*/` matches `drivers/a/b/c.c`);
* any other pattern must match a prefix of the path *and* have as many `/`
  as the path. So `*`/`?` cannot add path components, and a file pattern
  also matches longer names in the same directory: `F: foo/bar.c` matches
  `foo/bar.c.orig`, `F: foo/bar` matches `foo/barrier.h`;
* a pattern that names an existing directory (checked with `-d` on the
  *converted* regex, relative to the tree) gets a trailing `/` first, so
  `F: rust` becomes `rust/`, while `F: drivers/foo.d` (converted to
  `drivers/foo\\.d`) never does.
* `**` is no special case: it is `.*.*`, the same as `*`.

How specific a match is ("pattern depth") is get_maintainer's value_pd:
the number of `/` in the pattern, plus one unless it ends with `/`, and -1
for patterns that start with `*` (the catch-alls).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Generic
from typing import TypeVar

T = TypeVar('T')

# The text before the first wildcard is a literal prefix of every match.
_WILDCARDS = '*?['
# With these anywhere (alternation, anchors, quantifiers, escapes) we cannot
# tell what prefix a match must start with, so the pattern is always tried.
_UNBUCKETABLE = '|+{}()^$\\'
_UNBUCKETABLE_SET = frozenset(_UNBUCKETABLE)
_SPECIAL = frozenset(_WILDCARDS + _UNBUCKETABLE)


def to_perl_regex(pattern: str) -> str:
    """get_maintainer.pl's conversion of an F:/X: pattern into a regex."""
    return pattern.replace('.', r'\.').replace('*', '.*').replace('?', '.')


class FilePattern:
    """One compiled F:/X: pattern."""

    __slots__ = ('text', 'regex', 'recursive', 'slashes', 'depth', 'prefix', 'bucket', 'literal', '_compiled')

    def __init__(self, text: str, regex: str) -> None:
        self.text = text                          # as written after `F:`
        self.regex = regex                        # what get_maintainer matches with `m@^$regex@`
        self.recursive = regex.endswith('/')      # matches everything below
        self.slashes = regex.count('/')
        # get_maintainer's value_pd: how specific a match is.
        self.depth = -1 if regex.startswith('.*') else self.slashes + (0 if self.recursive else 1)
        # The literal text every match starts with, and its directory part;
        # None when regex syntax makes that unknowable.
        self.prefix = _literal_prefix(text)
        self.bucket = None if self.prefix is None else self.prefix[: self.prefix.rfind('/') + 1]
        # Most patterns are plain paths: a prefix test does, and it spares
        # compiling thousands of regexes when MAINTAINERS is loaded.
        special = set(text) & _SPECIAL
        # The whole pattern as a plain string, when it is one.
        self.literal = regex.replace('\\.', '.') if not special else None
        self._compiled: re.Pattern[str] | None = None
        # `*` and `?` alone always give a valid regex: compile those on first
        # use (only the patterns of a routed file's directories ever are).
        # Anything else is compiled now, so a bad pattern fails at load time.
        if special - {'*', '?'}:
            self._compiled = re.compile('^' + regex)

    def __repr__(self) -> str:
        return f'FilePattern({self.text!r})'

    def matches(self, path: str) -> bool:
        if self.literal is not None:
            if not path.startswith(self.literal):
                return False
        else:
            if self._compiled is None:
                self._compiled = re.compile('^' + self.regex)
            if self._compiled.search(path) is None:
                return False
        return self.recursive or path.count('/') == self.slashes


def compile_file_pattern(text: str, is_dir: Callable[[str], bool] | None = None) -> FilePattern:
    """Compile one F:/X: value. `is_dir` answers get_maintainer's `-d` test.

    Raises re.error if the converted regex is not valid.
    """
    regex = to_perl_regex(text)
    if regex and not regex.endswith('/') and is_dir is not None and is_dir(regex):
        regex += '/'
    return FilePattern(text, regex)


_LITERAL_PART = re.compile(r'[^*?[]*')


def _literal_prefix(text: str) -> str | None:
    if not _UNBUCKETABLE_SET.isdisjoint(text):
        return None
    return _LITERAL_PART.match(text).group()  # type: ignore[union-attr]


def directory_prefixes(path: str) -> list[str]:
    """'', 'a/', 'a/b/' ... : the buckets a path's patterns can live in."""
    prefixes = ['']
    start = 0
    while (slash := path.find('/', start)) != -1:
        prefixes.append(path[: slash + 1])
        start = slash + 1
    return prefixes


class PatternIndex(Generic[T]):
    """F: patterns indexed so that a path is only tested against plausible ones.

    * plain directories (`drivers/net/`) are looked up by each of the
      path's parent directories;
    * plain file patterns match a prefix in the path's own directory (they
      need as many `/` as the path), so they are looked up by each prefix
      of the path that starts with its directory;
    * wildcard patterns are bucketed by their literal directory and, unless
      recursive, their number of `/`; a prefix test comes before the regex;
    * the few patterns with other regex syntax are always tried.
    """

    def __init__(self) -> None:
        self._directories: dict[str, list[tuple[T, FilePattern]]] = {}
        self._files: dict[str, list[tuple[T, FilePattern]]] = {}
        self._wildcards: dict[tuple[str, int | None], list[tuple[T, FilePattern]]] = {}
        self._always: list[tuple[T, FilePattern]] = []
        # Directory -> lengths of the plain file patterns in it, so a path
        # only looks up prefixes that some pattern has.
        self._file_lengths: dict[str, list[int]] = {}
        self._wildcard_directories: set[str] = set()

    def add(self, pattern: FilePattern, value: T) -> None:
        entry = (value, pattern)
        if pattern.bucket is None:
            self._always.append(entry)
        elif pattern.literal is not None:
            table = self._directories if pattern.recursive else self._files
            table.setdefault(pattern.literal, []).append(entry)
            if not pattern.recursive:
                lengths = self._file_lengths.setdefault(pattern.bucket, [])
                if len(pattern.literal) not in lengths:
                    lengths.append(len(pattern.literal))
                    lengths.sort()
        else:
            key = (pattern.bucket, None if pattern.recursive else pattern.slashes)
            self._wildcards.setdefault(key, []).append(entry)
            self._wildcard_directories.add(pattern.bucket)

    def matching(self, path: str) -> list[tuple[T, FilePattern]]:
        """(value, pattern) for every added pattern that matches `path`."""
        found: list[tuple[T, FilePattern]] = []
        parents = directory_prefixes(path)
        slashes = len(parents) - 1
        for parent in parents:
            found += self._directories.get(parent, ())
        for length in self._file_lengths.get(parents[-1], ()):
            if length > len(path):
                break
            found += self._files.get(path[:length], ())
        for parent in parents:
            if parent not in self._wildcard_directories:
                continue
            for key in ((parent, slashes), (parent, None)):
                for value, pattern in self._wildcards.get(key, ()):
                    if path.startswith(pattern.prefix) and pattern.matches(path):  # type: ignore[arg-type]
                        found.append((value, pattern))
        found += [(v, p) for v, p in self._always if p.matches(path)]
        return found
