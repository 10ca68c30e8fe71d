"""Which of the patches found in an archive to review. Pure.

Patches are grouped into postings by their cover letter (the nearest
cover in their References), or by their thread's first message when they
came without one. A series is known across versions by its cover's title
and sender (a single patch: by its own subject and sender); only the
newest version seen, now or in an earlier run, is reviewed. A patch is
skipped when a reply in the archive already names `__rust_helper` under
it or under its cover.
"""
from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from email.utils import parseaddr
from typing import NamedTuple

from codemod.inbox.sift import Cover
from codemod.inbox.sift import Patch


class Posting(NamedTuple):
    series: str                  # the series across versions
    version: int
    cover: Cover | None
    patches: tuple[Patch, ...]   # in the order of their numbers
    skip: frozenset[str] = frozenset()   # Message-IDs already answered: read, not reported


class Selection(NamedTuple):
    review: list[Posting]
    notes: list[str]
    versions: dict[str, int]     # series -> newest version seen


def _cover_of(p: Patch, covers: Mapping[str, Cover]) -> Cover | None:
    for ref in reversed(p.patch.headers.references if p.patch.headers else ()):
        if ref in covers:
            return covers[ref]
    return None


def _sender(p: Patch) -> str:
    return parseaddr(p.patch.headers.sender if p.patch.headers else '')[1].lower()


def postings(patches: Iterable[Patch], covers: Mapping[str, Cover]) -> list[Posting]:
    groups: dict[str, list[Patch]] = {}
    found: dict[str, Cover | None] = {}
    for p in patches:
        cover = _cover_of(p, covers)
        h = p.patch.headers
        assert h is not None and h.message_id is not None
        key = cover.message_id if cover else (h.references[0] if h.references else h.message_id)
        groups.setdefault(key, []).append(p)
        found[key] = cover
    out = []
    for key, members in groups.items():
        members.sort(key=lambda p: p.counter)
        cover = found[key]
        if cover is not None:
            series, version = f'{cover.author} {cover.title.lower()}', cover.version
        elif len(members) == 1 and members[0].root is None:
            first = members[0]
            series, version = f'{_sender(first)} {(first.patch.subject or "").lower()}', first.version
        else:
            series, version = f'thread {key}', max(p.version for p in members)
        out.append(Posting(series, version, cover, tuple(members)))
    return out


def select(patches: Iterable[Patch], covers: Mapping[str, Cover], answered: set[str],
           known: Mapping[str, int]) -> Selection:
    """`known`: the newest version of each series reviewed in earlier runs."""
    found = postings(patches, covers)
    versions = dict(known)
    for posting in found:
        versions[posting.series] = max(versions.get(posting.series, 0), posting.version)
    review, notes = [], []
    for posting in found:
        newest = versions[posting.series]
        if posting.version < newest:
            first = posting.patches[0]
            notes.append(f'{first.where}: note: skipped "{first.patch.subject}" and the rest of its '
                         f'v{posting.version}: v{newest} of the series is in the archive')
            continue
        skip = set()
        for p in posting.patches:
            msgid = p.patch.headers.message_id if p.patch.headers else None
            if msgid in answered or (posting.cover and posting.cover.message_id in answered):
                notes.append(f'{p.where}: note: skipped "{p.patch.subject}": a reply already names __rust_helper')
                skip.add(msgid)
        if len(skip) < len(posting.patches):
            # The skipped ones are still read: later patches apply on top of them.
            review.append(posting._replace(skip=frozenset(skip)))
    return Selection(review, notes, versions)
