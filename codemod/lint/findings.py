"""A lint finding, and the three ways we print findings."""
from __future__ import annotations

from typing import NamedTuple

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


def render(findings: list[Finding], fmt: str) -> str:
    """All findings in one of: text, json, github. Ends with a newline if not empty."""
    if fmt == 'json':
        import json
        return json.dumps([f._asdict() for f in findings], indent=2) + '\n'
    line = as_github if fmt == 'github' else as_text
    return ''.join(line(f) + '\n' for f in findings)
