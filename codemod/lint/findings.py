"""A lint finding, and the ways we print findings: text, json, github, b4."""
from __future__ import annotations

from typing import NamedTuple
from typing import TextIO

ERROR = 'error'
WARNING = 'warning'
NOTE = 'note'


class Finding(NamedTuple):
    path: str
    line: int
    col: int
    severity: str
    rule: str
    message: str
    fix: str | None = None      # what to do about it
    name: str | None = None     # the helper concerned, if any

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def as_text(f: Finding) -> str:
    return f'{f.path}:{f.line}:{f.col}: {f.severity}: {f.message} [{f.rule}]'


_GITHUB_LEVEL = {ERROR: 'error', WARNING: 'warning', NOTE: 'notice'}


def _github_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace('%', '%25').replace('\r', '%0D').replace('\n', '%0A')
    return text.replace(':', '%3A').replace(',', '%2C') if prop else text


def as_github(f: Finding) -> str:
    """A GitHub Actions workflow command, which annotates the PR diff."""
    return workflow_command(f.severity, f.message, file=f.path, line=f.line, col=f.col, title=f.rule)


def workflow_command(severity: str, message: str, **props: object) -> str:
    """`::error file=...,line=...::message`; props left None are omitted."""
    given = ','.join(f'{k}={_github_escape(str(v), prop=True)}' for k, v in props.items() if v is not None)
    return f'::{_GITHUB_LEVEL[severity]} {given}::{_github_escape(message)}'


def without_subject(message: str) -> str:
    """A patch finding's message without the `(patch "...")` it names."""
    import re
    return re.sub(r' \(patch ".*?"\)(?=;|$)', '', message)


B4_TOOL = 'rust-helpers'
_B4_STATUS = {ERROR: 'fail', WARNING: 'warn', NOTE: 'pass'}


def as_b4(findings: list[Finding]) -> list[dict[str, str]]:
    """What a `b4.review-perpatch-check-cmd` prints: one result per finding,
    or one `pass` when there is none.

    b4 0.16 keys the results it stores, and the columns of its matrix, by
    message and tool name (b4/review/checks.py, store_results: INSERT OR
    REPLACE on (msgid, tool)), so each result of one mail needs a tool of
    its own: `rust-helpers/<rule>`, then `rust-helpers/<rule>#2`, ...
    """
    if not findings:
        return [{'tool': B4_TOOL, 'status': 'pass', 'summary': 'no helper missing __rust_helper',
                 'url': '', 'details': ''}]
    results = []
    seen: dict[str, int] = {}
    for f in findings:
        seen[f.rule] = seen.get(f.rule, 0) + 1
        n = seen[f.rule]
        results.append({
            'tool': f'{B4_TOOL}/{f.rule}' + (f'#{n}' if n > 1 else ''),
            'status': _B4_STATUS[f.severity],
            'summary': f'{f.path}:{f.line}: {without_subject(f.message)}',
            'url': '',
            'details': f'fix: {f.fix}' if f.fix else '',
        })
    return results


def render(findings: list[Finding], fmt: str) -> str:
    """All findings in one of: text, json, github, b4. Ends with a newline if not empty."""
    if fmt in ('json', 'b4'):
        import json
        if fmt == 'b4':
            return json.dumps(as_b4(findings), indent=2) + '\n'
        return json.dumps([f._asdict() for f in findings], indent=2) + '\n'
    line = as_github if fmt == 'github' else as_text
    return ''.join(line(f) + '\n' for f in findings)


class Writer:
    """Findings written as they come, file by file, in one of the formats."""

    def __init__(self, out: TextIO, fmt: str):
        self.out = out
        self.fmt = fmt
        self._first = True
        if fmt == 'json':
            import json
            self._json = json

    def write(self, findings: list[Finding]) -> None:
        if self.fmt != 'json':
            line = as_github if self.fmt == 'github' else as_text
            self.out.write(''.join(line(f) + '\n' for f in findings))
            return
        for f in findings:
            item = self._json.dumps(f._asdict(), indent=2).replace('\n', '\n  ')
            self.out.write(('[\n  ' if self._first else ',\n  ') + item)
            self._first = False

    def close(self) -> None:
        if self.fmt == 'json':
            self.out.write('[]\n' if self._first else '\n]\n')
