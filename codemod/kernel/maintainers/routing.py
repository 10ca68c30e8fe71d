"""Route files to people and lists like get_maintainer.pl, from MAINTAINERS.

The kernel's scripts/get_maintainer.pl is the reference: for
`get_maintainer.pl --nogit --nogit-fallback --norolestats -f FILE...`
`Maintainers.recipients()` prints the same lines, and `Maintainers.route()`
gives b4's split of them: To is the `--nol` run (maintainers and reviewers),
Cc the `--nom` run (reviewers and lists) minus what is already in To.
For a patch file (`get_maintainer.pl ... PATCHFILE`, as b4 and git
send-email run it) `patch_recipients()` and `route_patch()` do the same on
the names and K: hits patch_text.py reads from the patch.

What get_maintainer.pl does, and so what this module (with
sections.py, which reads the file) does:

* Sections start at a title line; tag lines `X:<space>value` follow. Lines
  before the first section are the preamble and are ignored; blank lines
  and `#` comments are ignored everywhere.
* A section matches a file through its F: patterns (see codemod.kernel.maintainers.globs) or
  N: regexes, unless one of its X: patterns matches. Matching sections are
  ordered by pattern depth, deepest first; the depth of a section is that of
  the *last* of its F:/N: lines that matched (N: counts as 0).
  get_maintainer breaks ties in Perl hash order, i.e. at random; we break
  them by position in MAINTAINERS.
* K: regexes are matched against a file's contents: by `matches()` and
  `sections_for()` whenever the content is passed, by `recipients()` and
  `route()` only with `keywords_in_file=True` (get_maintainer's
  --keywords-in-file, off by default in -f mode). K: sections come after
  all F:/N: ones, ordered by their line's index *as a string*.
* For `.yaml` files the addresses written in the file are added too,
  which needs the file's text (`contents`).
* Linus (the "chief penguin" of THE REST) is dropped; names and addresses
  go through .mailmap; a person or list is printed once, matched on
  lower-cased name or address; subscribers-only lists are left out and
  moderated ones kept, without their annotations.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from codemod.kernel.maintainers import patch_text
from codemod.kernel.maintainers import sections
from codemod.kernel.maintainers.globs import PatternIndex
from codemod.kernel.maintainers.mailmap import address_of
from codemod.kernel.maintainers.mailmap import emails_in_text
from codemod.kernel.maintainers.mailmap import Mailmap
from codemod.kernel.maintainers.mailmap import RecipientList
from codemod.kernel.maintainers.sections import MaintainersError
from codemod.kernel.maintainers.sections import Section
from codemod.plumbing.errors import PathError

_PLAIN_WORD = re.compile(r'[A-Za-z0-9_/,-]+')


@dataclass(frozen=True)
class Match:
    section: Section
    depth: int | None  # get_maintainer's pattern depth; None for a K: (content) match


@dataclass(frozen=True)
class Route:
    to: tuple[str, ...]  # maintainers + reviewers, get_maintainer order, deduplicated
    cc: tuple[str, ...]  # the lists (and anyone else --nom prints) not already in `to`


def _normalize(path: str) -> str:
    # File::Spec's canonpath: no `.` components, no doubled slashes. A
    # trailing slash is kept: get_maintainer adds it back to directories.
    if '//' not in path and '/./' not in path and not path.startswith('./') \
            and not path.endswith('/.') and path != '.':
        return path
    parts = [p for p in path.split('/') if p not in ('', '.')]
    normal = ('/' if path.startswith('/') else '') + '/'.join(parts)
    return normal + '/' if path.endswith('/') and parts else normal


class Maintainers:
    """A parsed MAINTAINERS with an index for routing many files quickly."""

    def __init__(self, parsed: sections.Parsed, mailmap: Mailmap) -> None:
        self.sections = parsed.sections
        self.mailmap = mailmap
        self._excludes = parsed.exclude_rules
        regex_rules = parsed.regex_rules
        # Most N: values are plain words: a substring test does for them.
        self._word_rules = [(s, o, r.pattern) for s, o, r in regex_rules if _PLAIN_WORD.fullmatch(r.pattern)]
        self._regex_rules = [rule for rule in regex_rules if not _PLAIN_WORD.fullmatch(rule[2].pattern)]
        self._regex_prefilter = _any_of([r.pattern for _, _, r in self._regex_rules])
        self._keywords = sorted(parsed.keywords, key=lambda k: k.sort_key)
        self._file_index: PatternIndex[tuple[int, int]] = PatternIndex()
        for section, order, pattern in parsed.file_rules:
            self._file_index.add(pattern, (section, order))
        self._cache: dict[tuple[str, int], list[tuple[int, int]]] = {}
        self._patch_keywords: patch_text.Keywords | None = None

    @classmethod
    def parse(cls, text: str, *, path: str = 'MAINTAINERS', mailmap_text: str | None = None,
              is_dir: Callable[[str], bool] | None = None) -> Maintainers:
        """Parse MAINTAINERS text.

        `is_dir` answers get_maintainer's `-d` test for an F:/X: pattern
        (relative to the tree); without it no pattern names a directory.
        """
        return cls(sections.parse(text, path, is_dir), Mailmap.parse(mailmap_text or ''))

    # -- matching ---------------------------------------------------------

    def matches(self, path: str, content: str | None = None, *,
                pattern_depth: int = 0) -> list[Match]:
        """The sections for one file, in get_maintainer's order.

        F:/N: matches first, deepest first; then, if `content` is given,
        sections whose K: regex matches it.
        """
        path = _normalize(path)
        found = [Match(self.sections[s], depth) for s, depth in self._path_matches(path, pattern_depth)]
        if content is not None:
            seen = {m.section.line for m in found}
            for s in self._keyword_sections(path, content):
                if self.sections[s].line not in seen:
                    seen.add(self.sections[s].line)
                    found.append(Match(self.sections[s], None))
        return found

    def sections_for(self, path: str, content: str | None = None, *,
                     pattern_depth: int = 0) -> list[Section]:
        """The sections of `matches()`, most specific first."""
        return [m.section for m in self.matches(path, content, pattern_depth=pattern_depth)]

    def most_specific(self, path: str, content: str | None = None) -> Section | None:
        """The section a file belongs to most: the first non-catch-all match.

        Among F:/N: matches that is the deepest pattern (get_maintainer's
        order); RUST and THE REST only count when nothing else matches.
        """
        found = self.sections_for(path, content)
        return next((s for s in found if not s.is_catch_all), found[0] if found else None)

    def _path_matches(self, path: str, pattern_depth: int) -> list[tuple[int, int]]:
        key = (path, pattern_depth)
        if (cached := self._cache.get(key)) is not None:
            return cached
        file_depth = path.count('/')
        # section -> (line order, depth) of its last matching F:/N: line.
        last_hit: dict[int, tuple[int, int]] = {}

        def hit(section: int, order: int, depth: int) -> None:
            if section not in last_hit or last_hit[section][0] < order:
                last_hit[section] = (order, depth)

        for (section, order), pattern in self._file_index.matching(path):
            if pattern_depth == 0 or file_depth - pattern.depth < pattern_depth:
                hit(section, order, pattern.depth)
        for section, order, word in self._word_rules:
            if word in path:
                hit(section, order, 0)
        # The other N: regexes rarely match: one combined regex rules them all out.
        if self._regex_prefilter is None or self._regex_prefilter.search(path):
            for section, order, regex in self._regex_rules:
                if regex.search(path):
                    hit(section, order, 0)
        result = [
            (section, depth) for section, (_, depth) in last_hit.items()
            if not any(x.matches(path) for x in self._excludes.get(section, ()))
        ]
        result.sort(key=lambda sd: (-sd[1], sd[0]))
        self._cache[key] = result
        return result

    def _keyword_sections(self, path: str, content: str) -> list[int]:
        if path == 'MAINTAINERS':
            return []
        return [k.section for k in self._keywords if k.regex.search(content)]

    # -- recipients -------------------------------------------------------

    def recipients(self, paths: Iterable[str], contents: Mapping[str, str] | None = None, *,
                   maintainers: bool = True, reviewers: bool = True, lists: bool = True,
                   keywords_in_file: bool = False, file_emails: bool = False,
                   pattern_depth: int = 0, keywords: Iterable[int] = (), normalize: bool = True) -> list[str]:
        """The lines one `get_maintainer.pl --nogit --nogit-fallback --norolestats -f PATHS`
        run prints; `maintainers=False` is --nom, `lists=False` --nol.

        `contents` (path -> text) is consulted for `.yaml` files (or every
        file with `file_emails`, and for K: with `keywords_in_file`); a path
        missing from it is taken not to exist. `keywords` are K: hits found
        elsewhere (indices, as `patch_keywords()` gives them); `normalize`
        canonicalizes the paths as the script does for command-line names.
        """
        contents = {} if contents is None else contents
        run = RecipientList(self.mailmap, maintainers=maintainers, reviewers=reviewers, lists=lists)
        keyword_hits: set[int] = set(keywords)
        found_emails: list[str] = []
        for path in map(_normalize, paths) if normalize else paths:
            text = contents.get(path) if (keywords_in_file or file_emails or path.endswith('.yaml')) else None
            if keywords_in_file and text is not None:
                keyword_hits.update(
                    i for i, k in enumerate(self._keywords) if path != 'MAINTAINERS' and k.regex.search(text))
            for section, _ in self._path_matches(path, pattern_depth):
                run.add_section(section, self.sections[section].entries)
            if text is not None and (file_emails or path.endswith('.yaml')) \
                    and not re.search(r'\bMAINTAINERS$', path):
                found_emails.extend(emails_in_text(text))
        for i in sorted(keyword_hits):
            section = self._keywords[i].section
            run.add_section(section, self.sections[section].entries)
        return run.finish(found_emails)

    def route(self, paths: Iterable[str], contents: Mapping[str, str] | None = None, *,
              keywords_in_file: bool = False, pattern_depth: int = 0) -> Route:
        """b4's To/Cc for files given with `-f` (in the order given).

        Pass `contents` (e.g. `TreeFiles(tree)`) to agree with get_maintainer
        on `.yaml` files, whose own addresses it adds.
        """
        paths = list(dict.fromkeys(map(_normalize, paths)))
        options = dict(keywords_in_file=keywords_in_file, pattern_depth=pattern_depth)
        return b4_split(self.recipients(paths, contents, lists=False, **options),
                        self.recipients(paths, contents, maintainers=False, **options))

    # -- patch files ------------------------------------------------------

    def read_patch(self, data: bytes) -> patch_text.PatchRead:
        """The file names and K: hits get_maintainer.pl takes from a patch file."""
        if self._patch_keywords is None:
            self._patch_keywords = patch_text.Keywords([k.regex.pattern for k in self._keywords])
        return patch_text.read(data, self._patch_keywords)

    def patch_recipients(self, data: bytes, contents: Mapping[str, str] | None = None, *,
                         maintainers: bool = True, lists: bool = True) -> list[str]:
        """The lines `get_maintainer.pl --nogit --nogit-fallback --norolestats PATCHFILE`
        prints for a patch file's bytes; `maintainers=False` is --nom, `lists=False` --nol."""
        read = self.read_patch(data)
        return self.recipients(read.files, contents, maintainers=maintainers, lists=lists,
                               keywords=read.keywords, normalize=False)

    def route_patch(self, data: bytes, contents: Mapping[str, str] | None = None) -> Route:
        """b4's To/Cc for a patch file, as `b4 prep --auto-to-cc` runs the
        script on it: To from --nol, Cc from --nom minus To.

        Pass `contents` (e.g. `TreeFiles(tree)`) for the `.yaml` files the
        patch names, whose own addresses the script adds.
        """
        read = self.read_patch(data)
        options = dict(keywords=read.keywords, normalize=False)
        return b4_split(self.recipients(read.files, contents, lists=False, **options),
                        self.recipients(read.files, contents, maintainers=False, **options))


def b4_split(to_lines: list[str], nom_lines: list[str]) -> Route:
    """b4's To and Cc from the --nol and --nom runs' lines: each address once,
    Cc without what is in To."""
    to = _unique_by_address(to_lines)
    taken = {address_of(e) for e in to}
    cc = [e for e in _unique_by_address(nom_lines) if address_of(e) not in taken]
    return Route(to=tuple(to), cc=tuple(cc))


def _unique_by_address(emails: list[str]) -> list[str]:
    seen: set[str] = set()
    unique = []
    for email in emails:
        address = address_of(email)
        if address and address not in seen:  # get_maintainer prints '' for an L: without `@`
            seen.add(address)
            unique.append(email)
    return unique


def _any_of(patterns: list[str]) -> re.Pattern[str] | None:
    """One regex that matches where any of the N: regexes does, to skip them all at once."""
    if not patterns:
        return None
    try:  # each alternative ends with a newline: it closes a verbose-mode `#` comment
        return re.compile('|'.join(f'(?:{p}\n)' for p in patterns), re.VERBOSE)
    except re.error:
        return None


class TreeFiles(Mapping[str, str]):
    """Lazy path -> text reader for a source tree, for `contents=`."""

    def __init__(self, tree: Path) -> None:
        self.tree = Path(tree)

    def __getitem__(self, path: str) -> str:
        file = self.tree / path
        if not file.is_file():
            raise KeyError(path)
        return file.read_text(encoding='utf-8', errors='replace')

    def __iter__(self) -> Iterator[str]:
        for root, _, names in os.walk(self.tree):
            for name in names:
                yield os.path.relpath(os.path.join(root, name), self.tree)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def load(tree: Path) -> Maintainers:
    """The MAINTAINERS (and .mailmap, if any) of a kernel tree."""
    tree = Path(tree)
    maintainers_file = tree / 'MAINTAINERS'
    mailmap_file = tree / '.mailmap'
    mailmap_text = mailmap_file.read_text(encoding='utf-8') if mailmap_file.is_file() else None
    return Maintainers.parse(
        maintainers_file.read_text(encoding='utf-8'),
        path=str(maintainers_file),
        mailmap_text=mailmap_text,
        is_dir=lambda pattern: os.path.isdir(os.path.join(tree, pattern)),  # os.path: 8000 calls
    )


def load_tree(root: Path) -> Maintainers:
    """The tree's MAINTAINERS; a missing or bad file is a PathError at its line."""
    if not (root / 'MAINTAINERS').is_file():
        raise PathError('MAINTAINERS', f'no such file in {root}: series routes each patch by it')
    try:
        return load(root)
    except MaintainersError as e:
        # Its message is `FILE:LINE: what`; show FILE relative to the tree.
        m = re.match(r'(.*?):(\d+): (.*)', str(e), re.S)
        if m is None:
            raise PathError('MAINTAINERS', str(e)) from None
        raise PathError(f'{os.path.relpath(m.group(1), root)}:{m.group(2)}', m.group(3)) from None
