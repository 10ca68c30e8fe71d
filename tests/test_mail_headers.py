"""incoming.headers_of: the headers a reply needs, read from the raw lines."""
from __future__ import annotations

from email.parser import BytesParser

import pytest

from codemod.mail.incoming import headers_of

MAIL = (b'From: =?UTF-8?q?J=C3=B6rg=20Z?= <jz@example.org>\n'
        b'To: "Doe, Jane" <jane@example.org>, plain@example.org\n'
        b'Cc: Zo\xc3\xab <zoe@example.org>,\n Ann <ann@example.org>\n'
        b'Subject: [PATCH v2 1/3] rust: =?UTF-8?q?caf=C3=A9=3A?=\n add helpers\n'
        b'Date: Mon, 3 Mar 2025 10:00:00 +0000\n'
        b'Message-ID: <1.2@example.org>\n'
        b'In-Reply-To: <0.2@example.org>\n'
        b'References: <0.1@example.org>\n <0.2@example.org>\n'
        b'\nbody\n')


@pytest.mark.parametrize('field', [
    pytest.param(('subject', '[PATCH v2 1/3] rust: café: add helpers'), id='rfc2047-subject-folded'),
    pytest.param(('sender', 'Jörg Z <jz@example.org>'), id='rfc2047-name'),
    pytest.param(('to', ('"Doe, Jane" <jane@example.org>', 'plain@example.org')), id='quoted-name'),
    pytest.param(('cc', ('Zoë <zoe@example.org>', 'Ann <ann@example.org>')), id='raw-8bit-folded'),
    pytest.param(('message_id', '1.2@example.org'), id='message-id'),
    pytest.param(('in_reply_to', '0.2@example.org'), id='in-reply-to'),
    pytest.param(('references', ('0.1@example.org', '0.2@example.org')), id='references'),
    pytest.param(('date', 'Mon, 3 Mar 2025 10:00:00 +0000'), id='date-as-written'),
])
def test_headers_of(field):
    name, expected = field
    assert getattr(headers_of(BytesParser().parsebytes(MAIL)), name) == expected
