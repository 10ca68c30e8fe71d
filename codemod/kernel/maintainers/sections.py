"""Read MAINTAINERS text: its sections, their tag lines, and the rules they make.

The layout rules are get_maintainer.pl's (see codemod/maintainers.py for
the routing). A line the script would misread (a tag line before the first
section, a line that is neither a title nor a tag) is an error naming its
line, rather than a silent new section.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass

from codemod.kernel.maintainers.globs import compile_file_pattern
from codemod.kernel.maintainers.globs import FilePattern

# Sections that match (nearly) everything below a top-level directory: a
# file they share with a narrower section belongs to the narrower one.
CATCH_ALL_FILE_PATTERNS = frozenset({'rust/', '*', '*/'})

_TAG_LINE = re.compile(r'([A-Z]):\s*(.*)')
_BLANK_OR_COMMENT = re.compile(r'\s*(?:#|$)')


class MaintainersError(ValueError):
    """A MAINTAINERS line we cannot read; the message starts `FILE:LINE:`."""


@dataclass(frozen=True)
class Entry:
    tag: str    # one upper-case letter
    value: str  # the text after `X:` and its whitespace
    line: int   # 1-based


def _tag_values(tag: str) -> property:
    return property(lambda self: self.values(tag), doc=f'The values of the {tag}: lines.')


@dataclass(frozen=True)
class Section:
    name: str
    line: int  # 1-based line of the title
    entries: tuple[Entry, ...]

    def values(self, tag: str) -> tuple[str, ...]:
        return tuple(e.value for e in self.entries if e.tag == tag)

    maintainers = _tag_values('M')
    reviewers = _tag_values('R')
    lists = _tag_values('L')
    status = _tag_values('S')
    web = _tag_values('W')
    trees = _tag_values('T')
    files = _tag_values('F')
    excludes = _tag_values('X')
    regexes = _tag_values('N')
    keywords = _tag_values('K')

    @property
    def is_catch_all(self) -> bool:
        """RUST (`F: rust/`) and THE REST (`F: *`, `F: */`)."""
        return any(f.strip() in CATCH_ALL_FILE_PATTERNS for f in self.files)


@dataclass(frozen=True)
class Keyword:
    sort_key: str  # get_maintainer sorts K: hits by their line index *as a string*
    section: int
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Parsed:
    """A MAINTAINERS file, read; rules refer to sections by index."""

    sections: list[Section]
    file_rules: list[tuple[int, int, FilePattern]]      # F: (section, order in section, pattern)
    exclude_rules: dict[int, list[FilePattern]]         # X: by section
    regex_rules: list[tuple[int, int, re.Pattern[str]]]  # N: (section, order, regex)
    keywords: list[Keyword]                             # K:


def parse(text: str, path: str = 'MAINTAINERS', is_dir: Callable[[str], bool] | None = None) -> Parsed:
    """`is_dir` answers get_maintainer's `-d` test for an F:/X: pattern
    (relative to the tree); without it no pattern names a directory."""
    return _Parser(path, is_dir).parse(text)


class _Parser:
    def __init__(self, path: str, is_dir: Callable[[str], bool] | None) -> None:
        self.path = path
        self.is_dir = is_dir

    def error(self, line: int, message: str) -> MaintainersError:
        return MaintainersError(f'{self.path}:{line}: {message}')

    def parse(self, text: str) -> Parsed:
        sections: list[Section] = []
        file_rules: list[tuple[int, int, FilePattern]] = []
        exclude_rules: dict[int, list[FilePattern]] = {}
        regex_rules: list[tuple[int, int, re.Pattern[str]]] = []
        keywords: list[Keyword] = []
        for title, title_line, tagged in self._sections(text):
            index = len(sections)
            entries = []
            for order, (tag, value, line, tv_index) in enumerate(tagged):
                entries.append(Entry(tag, value, line))
                if tag in 'FX':
                    pattern = self._file_pattern(value, line)
                    if tag == 'F':
                        file_rules.append((index, order, pattern))
                    else:
                        exclude_rules.setdefault(index, []).append(pattern)
                elif tag == 'N':
                    regex_rules.append((index, order, self._regex(value, line)))
                elif tag == 'K':
                    keywords.append(Keyword(str(tv_index), index, self._regex(value, line)))
            sections.append(Section(title, title_line, tuple(entries)))
        return Parsed(sections, file_rules, exclude_rules, regex_rules, keywords)

    def _sections(self, text: str) -> Iterator[tuple[str, int, list[tuple[str, str, int, int]]]]:
        """(title, line, [(tag, value, line, get_maintainer's @typevalue index)])."""
        lines = text.split('\n')
        if lines and lines[-1] == '':
            lines.pop()
        # @typevalue holds every line but blanks and comments; K: hits are
        # ordered by an index into it, preamble included.
        numbered = []
        for number, line in enumerate(lines, 1):
            if not _BLANK_OR_COMMENT.match(line):
                numbered.append((number, line, len(numbered)))
        first_tag = next((i for i, (_, line, _) in enumerate(numbered) if _TAG_LINE.match(line)), None)
        if first_tag is None:
            return
        if first_tag == 0:
            raise self.error(numbered[0][0], f'tag line before any section title: {numbered[0][1]!r}')
        start = numbered[first_tag - 1][0]  # the first title; what precedes it is the preamble
        title: tuple[str, int] | None = None
        tagged: list[tuple[str, str, int, int]] = []
        after_blank = True
        tv_index = numbered[first_tag - 1][2]
        for number in range(start, len(lines) + 1):
            line = lines[number - 1]
            if _BLANK_OR_COMMENT.match(line):
                after_blank = after_blank or not line.strip()  # a comment is transparent
                continue
            if m := _TAG_LINE.match(line):
                tagged.append((m.group(1), m.group(2), number, tv_index))
                after_blank = False
            elif after_blank and not line[0].isspace():
                if title is not None:
                    yield title[0], title[1], tagged
                title, tagged = (line.rstrip(), number), []
                after_blank = False
            else:
                # get_maintainer would silently start a new section here.
                raise self.error(number, f'malformed line: {line!r}')
            tv_index += 1
        if title is not None:
            yield title[0], title[1], tagged

    def _file_pattern(self, value: str, line: int) -> FilePattern:
        try:
            return compile_file_pattern(value, self.is_dir)
        except re.error as e:
            raise self.error(line, f'bad file pattern {value!r}: {e}') from None

    def _regex(self, value: str, line: int) -> re.Pattern[str]:
        try:  # get_maintainer matches N: and K: with Perl's /x
            return re.compile(value, re.VERBOSE)
        except re.error as e:
            raise self.error(line, f'bad regex {value!r}: {e}') from None
