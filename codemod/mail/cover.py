"""The cover letter's own text: the user's (--cover FILE), or one that says
only what is true of this series. Pure.

The default is built from the series itself: how many helpers in how many
files, where the macro goes, how the files were grouped, and whether the
patches go to different people. It claims nothing it cannot see: no
figures, no promise that each patch can go through its own tree. The
shortlog, diffstat, base-commit and change-id are added by the caller.
"""
from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from codemod.mail.mbox import format_subject
from codemod.plumbing.errors import PathError
from codemod.plumbing.text import plural

GROUPINGS = {
    'section': 'grouped by the MAINTAINERS sections of their files',
    'file': 'one patch per file',
    'manual': 'grouped by hand (--groups)',
}


@dataclass(frozen=True)
class Facts:
    """What the default text may state."""

    macro_in: str | None            # where patch 1 defines __rust_helper; None: no macro patch
    group_patches: int              # patches that add the annotation
    helpers: int                    # helpers they annotate
    files: int                      # in this many files
    grouping: str                   # a key of GROUPINGS
    same_recipients: bool           # every patch goes to the same To and Cc


def from_text(text: str, source: str) -> tuple[str, str]:
    """(title, body) of a --cover FILE, as `git format-patch
    --cover-from-description=subject` reads a description: the first
    paragraph is the title (its lines joined), the rest is the body."""
    title, body = format_subject(text.replace('\r\n', '\n'))
    if not title.strip():
        raise PathError(source, 'no title: the first line of the cover text is its subject')
    return title.strip(), body.strip('\n') + '\n' if body.strip() else ''


def _fill(text: str) -> str:
    return textwrap.fill(text, 72, break_long_words=False, break_on_hyphens=False)


def _patches(first: int, count: int) -> str:
    return f'Patch {first}' if count == 1 else f'Patches {first}-{first + count - 1}'


def default_body(facts: Facts) -> str:
    paragraphs = []
    if facts.group_patches:
        paragraphs.append(
            f'This series adds __rust_helper to the C helpers in rust/helpers/ that lack it: '
            f'{plural(facts.helpers, "helper")} in {plural(facts.files, "file")}.')
    if facts.macro_in is not None:
        paragraphs.append(
            f'Patch 1 defines __rust_helper in {facts.macro_in}: __always_inline, so that LLVM can '
            'inline the helpers into Rust code when their bitcode is linked with it, and nothing '
            'when bindgen reads the helpers, since bindgen skips inline functions.')
    if facts.group_patches:
        first = 2 if facts.macro_in is not None else 1
        who = ('All of them go to the same maintainers and lists.' if facts.same_recipients else
               'Each patch is addressed to the maintainers and lists of its own files.')
        verb = 'adds' if facts.group_patches == 1 else 'add'
        paragraphs.append(f'{_patches(first, facts.group_patches)} {verb} the annotation, '
                          f'{GROUPINGS[facts.grouping]}. {who}')
    return '\n\n'.join(_fill(p) for p in paragraphs) + '\n'


def generated_note(generated: Sequence[tuple[str, str | None, int]]) -> str:
    """The helper files a series cannot patch: (path, generator, missing)."""
    lines = ['Generated helper files are not patched by hand:']
    for path, generator, missing in generated:
        by = generator or 'its generator'
        lines.append(f'- {path} lacks __rust_helper on {plural(missing, "helper")}: change {by} to emit it.')
    return '\n'.join(lines) + '\n'
