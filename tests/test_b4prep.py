"""The cover commit of a b4 prep branch, as b4 0.16 reads it."""
from __future__ import annotations

import json

from codemod.mail import b4prep


def test_cover_message_is_text_then_the_tracking_block():
    data = b4prep.tracking('20261122-x-0123456789ab', 2)
    message = b4prep.cover_message('Title\n\nBody.\n', data)
    assert message == (
        'Title\n\nBody.\n\n--- b4-submit-tracking ---\n'
        '# This section is used internally by b4 prep for tracking purposes.\n'
        + json.dumps(data, indent=2) + '\n'
    )
    assert data == {'series': {'revision': 2, 'change-id': '20261122-x-0123456789ab', 'prefixes': [],
                               'presubject': ''}}
    assert b4prep.read_tracking(message) == data


def test_hash_lines_are_escaped_for_b4_and_recipients_are_trailers():
    message = b4prep.cover_message('Title\n\n#include <x.h> is what it adds.\n', b4prep.tracking('c', 1),
                                   to=['A <a@example.org>'], cc=['list@example.org'])
    text = message.split(b4prep.MAGIC_MARKER)[0]
    # b4 drops lines starting with '#' (its comments) and turns '>#' back into '#'.
    assert text == 'Title\n\n>#include <x.h> is what it adds.\n\nTo: A <a@example.org>\nCc: list@example.org\n\n'


def test_no_tracking_without_the_marker():
    assert b4prep.read_tracking('Just a commit\n') is None
