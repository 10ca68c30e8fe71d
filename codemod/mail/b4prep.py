"""What a `b4 prep` branch holds, so that b4 takes ours for its own. Pure.

Read from b4 0.16's own code (b4/ez.py): with the default `commit` cover
strategy, b4 keeps the cover letter in an empty commit at the start of the
series. Its message is the cover text (subject line, blank line, body),
then a blank line and the tracking block:

    --- b4-submit-tracking ---
    # This section is used internally by b4 prep for tracking purposes.
    {JSON, indented by 2}

`load_cover()` splits the message on that marker line and reads the JSON
from the first `{`; b4 finds the commit with `git log --grep` for the
marker, committed by the current user.email within the last year. The
JSON is `{"series": {"revision": N, "change-id": ..., "prefixes": [...],
"presubject": ""}}` as `b4 prep -n` writes it (no "base-branch": only the
other strategies need it). b4 drops the cover's lines that start with `#`
(its comments) and turns `>#` back into `#`, so our own `#` lines are
written as `>#`. `To:`/`Cc:` trailers at the end of the cover are the
series' recipients to b4 (`b4 prep --auto-to-cc` adds to them).
The branch config `branch.NAME.b4-prep-cover-strategy = commit` is what
`b4 prep` sets; the caller writes it.
"""
from __future__ import annotations

import json
from collections.abc import Sequence

MAGIC_MARKER = '--- b4-submit-tracking ---'
TRACKING_COMMENT = '# This section is used internally by b4 prep for tracking purposes.'
COVER_STRATEGY_KEY = 'b4-prep-cover-strategy'
COVER_STRATEGY = 'commit'


def tracking(change_id: str, revision: int, prefixes: Sequence[str] = ()) -> dict[str, object]:
    return {'series': {'revision': revision, 'change-id': change_id, 'prefixes': list(prefixes),
                       'presubject': ''}}


def _escape_comments(text: str) -> str:
    return '\n'.join('>' + line if line.startswith('#') else line for line in text.split('\n'))


def cover_message(cover_text: str, data: dict[str, object], to: Sequence[str] = (),
                  cc: Sequence[str] = ()) -> str:
    """The message of the cover commit: our cover text (`title\\n\\nbody`),
    the --to/--cc recipients as trailers, and b4's tracking block."""
    text = _escape_comments(cover_text.strip())
    trailers = [f'To: {a}' for a in to] + [f'Cc: {a}' for a in cc]
    if trailers:
        text += '\n\n' + '\n'.join(trailers)
    return f'{text}\n\n{MAGIC_MARKER}\n{TRACKING_COMMENT}\n{json.dumps(data, indent=2)}\n'


def read_tracking(message: str) -> dict[str, object] | None:
    """The tracking data of a cover commit's message, as b4 reads it."""
    if MAGIC_MARKER not in message:
        return None
    _, block = message.split(MAGIC_MARKER, 1)
    if '{' not in block:
        return None
    return json.loads('{' + block.split('{', 1)[1])
