"""The cover letter's text: the user's file, or a default that claims only facts."""
from __future__ import annotations

import pytest

from codemod.mail import cover
from codemod.plumbing.errors import PathError


@pytest.mark.parametrize(('text', 'title', 'body'), [
    pytest.param('Title\n\nBody one.\n\nBody two.\n', 'Title', 'Body one.\n\nBody two.\n', id='title-and-body'),
    pytest.param('A title\nthat goes on\n\nBody.\n', 'A title that goes on', 'Body.\n', id='first-paragraph'),
    pytest.param('Only a title\n', 'Only a title', '', id='no-body'),
    pytest.param('\n\nTitle\n\nBody\n', 'Title', 'Body\n', id='leading-blank-lines'),
    pytest.param('Title\r\n\r\nBody\r\n', 'Title', 'Body\n', id='crlf'),
])
def test_from_text(text, title, body):
    assert cover.from_text(text, 'c.txt') == (title, body)


def test_from_text_needs_a_title():
    with pytest.raises(PathError, match='c.txt: error: no title'):
        cover.from_text('\n\n', 'c.txt')


FACTS = cover.Facts(macro_in='a new rust/helpers/helpers.h', group_patches=3, helpers=7, files=4,
                    grouping='section', same_recipients=False)


def test_default_states_the_series_facts():
    text = cover.default_body(FACTS)
    assert 'adds __rust_helper to the C helpers in rust/helpers/ that\nlack it: 7 helpers in 4 files.' in text
    assert 'Patch 1 defines __rust_helper in a new rust/helpers/helpers.h' in text
    assert 'Patches 2-4 add the annotation, grouped by the MAINTAINERS sections' in text
    assert 'Each patch is addressed to the maintainers and lists of its\nown files.' in text
    assert all(len(line) <= 72 for line in text.splitlines())


@pytest.mark.parametrize(('facts', 'present', 'absent'), [
    pytest.param(FACTS.__class__(**{**FACTS.__dict__, 'same_recipients': True}),
                 'All of them go to the same maintainers and lists.', 'its own files', id='same-people'),
    pytest.param(FACTS.__class__(**{**FACTS.__dict__, 'macro_in': None, 'group_patches': 1}),
                 'Patch 1 adds the annotation', 'defines', id='macro-already-there'),
    pytest.param(FACTS.__class__(**{**FACTS.__dict__, 'group_patches': 0, 'helpers': 0, 'files': 0}),
                 'Patch 1 defines', 'the annotation,', id='macro-only'),
    pytest.param(FACTS.__class__(**{**FACTS.__dict__, 'grouping': 'file'}), 'one patch per file', 'MAINTAINERS',
                 id='by-file'),
])
def test_default_follows_the_series(facts, present, absent):
    text = ' '.join(cover.default_body(facts).split())
    assert present in text
    assert absent not in text


def test_default_claims_no_figures_or_trees():
    text = cover.default_body(FACTS)
    assert ' ns ' not in text and 'own tree' not in text
