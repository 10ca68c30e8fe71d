"""review ARCHIVE: the new patches of a list archive that touch
rust/helpers/, linted as check --patch lints them, with reply drafts.

The edges: find the archive's kind, load the state, walk the new messages,
lint the chosen patches against the tree (or their hunks), print, write
the drafts and then the state. Nothing new, nothing printed or written.
"""
from __future__ import annotations

import argparse
import sys
from datetime import datetime
from datetime import timezone
from pathlib import Path

from codemod.inbox import sift
from codemod.inbox import sources
from codemod.inbox import state as saved_state
from codemod.plumbing import git
from codemod.plumbing.errors import EXIT_CLEAN
from codemod.plumbing.errors import EXIT_FINDINGS
from codemod.plumbing.errors import PathError
from codemod.plumbing.text import plural

_PROGRESS_EVERY = 5000


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise PathError('--since', f'not an ISO 8601 date: {text!r}') from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _newer(p: sift.Patch, since: datetime | None) -> bool:
    if since is None or p.patch.date is None:
        return True
    date = p.patch.date if p.patch.date.tzinfo else p.patch.date.replace(tzinfo=timezone.utc)
    return date >= since


class _Found:
    """What the walk keeps of the messages it reads."""

    def __init__(self) -> None:
        self.covers: dict[str, sift.Cover] = {}
        self.patches: list[sift.Patch] = []
        self.answered: set[str] = set()
        self.seen: set[str | None] = set()    # Message-IDs of the patches kept
        self.notes: list[str] = []
        self.walked = 0

    def add(self, item: sift.Item) -> None:
        if isinstance(item, sift.Cover):
            self.covers[item.message_id] = item
        elif isinstance(item, sift.Patch):
            msgid = item.patch.headers.message_id if item.patch.headers else None
            if msgid in self.seen:
                self.notes.append(f'{item.where}: note: a copy of <{msgid}>, skipped')
                return
            self.seen.add(msgid)
            self.patches.append(item)
        elif isinstance(item, sift.Reply):
            self.answered.add(item.answers)
        elif isinstance(item, sift.Note):
            self.notes.append(item.text)


def _walk(walk: sources.Walk) -> _Found:
    found = _Found()
    progress = sys.stderr.isatty()
    for raw in walk:
        found.walked += 1
        found.add(sift.sift(raw.where, raw.data))
        if progress and found.walked % _PROGRESS_EVERY == 0:
            print(f'\r{found.walked} messages read', end='', file=sys.stderr, flush=True)
    if progress and found.walked >= _PROGRESS_EVERY:
        print('\r' + ' ' * 40 + '\r', end='', file=sys.stderr, flush=True)
    found.notes[:0] = walk.notes
    return found


def _lint(chosen: list, tree: str | None, source: str):
    """Each posting's patches in order, each on top of the earlier ones;
    the answered ones are read but not reported."""
    # Imported here: most runs of a cron job find nothing new to lint.
    from codemod.commands import check_patch
    context = check_patch.Context(tree)
    patches, each, images = [], [], []
    for posting in chosen:
        result = check_patch.review_patches([p.patch for p in posting.patches], context, source)
        for p, findings, image in zip(posting.patches, result.each, result.images):
            if p.patch.headers and p.patch.headers.message_id in posting.skip:
                continue
            patches.append(p.patch)
            each.append(findings)
            images.append(image)
    from codemod.lint.patches import summary
    findings = [f for fs in each for f in fs]
    return check_patch.Review(findings, context.note(source), summary(patches, findings), patches, each,
                              images)


def main(args: argparse.Namespace) -> int:
    archive = Path(args.archive)
    kind = sources.kind_of(archive)
    since = _since(args.since)
    state_path = Path(args.state) if args.state else None
    before = saved_state.load(state_path, archive, kind) if state_path else None
    walk = sources.Walk(archive, kind, before['position'] if before else None)
    try:
        found = _walk(walk)
    except git.GitError as e:
        raise PathError(archive, f'cannot read the inbox: {e}') from None
    known = before['series'] if before else {}
    review, versions, notes = [], dict(known), list(found.notes)
    if found.patches:
        # Imported here: email and socket cost a run that finds nothing new 10 ms.
        from codemod.inbox import select
        chosen = select.select([p for p in found.patches if _newer(p, since)], found.covers,
                               found.answered, known)
        review, versions = chosen.review, chosen.versions
        notes += chosen.notes
    result = _lint(review, args.tree, str(archive)) if review else None
    if result is not None:
        notes += result.notes
        from codemod.commands import check_patch
        from codemod.lint.findings import render
        if args.reply is not None:
            check_patch.write_drafts(args.reply, result, args.sender, args.tree, notes, str(archive))
        sys.stdout.write(render(result.findings, args.format))
    after = saved_state.make(archive, kind, walk.position, versions)
    if state_path is not None and after != before:
        saved_state.save(state_path, after)
    for note in notes:
        print(note, file=sys.stderr)
    if found.walked:
        reviewed = f'{plural(len(result.patches), "patch")} reviewed' if result else 'no patch to review'
        print(f'{plural(found.walked, "new message")}, {reviewed}'
              + (f': {result.summary}' if result else ''), file=sys.stderr)
    return EXIT_FINDINGS if result and any(f.is_error for f in result.findings) else EXIT_CLEAN
