"""The check job: run the rules over scanned files."""
from __future__ import annotations

from codemod.c_source.scan import ScannedFile
from codemod.lint.findings import Finding
from codemod.lint.rules import FILE_RULES
from codemod.plumbing.text import plural


def lint(scanned: list[ScannedFile]) -> list[Finding]:
    findings = [f for s in scanned for rule in FILE_RULES for f in rule.check(s.rel, s.scan)]
    return sorted(findings, key=lambda f: (f.path, f.line, f.col, f.rule))


def summary(scanned: list[ScannedFile], findings: list[Finding]) -> str:
    helpers = sum(len(s.scan.helpers) for s in scanned)
    errors = [f for f in findings if f.is_error]
    if not errors:
        return f'all {plural(helpers, "helper")} in {plural(len(scanned), "file")} have __rust_helper'
    missing = [f for f in errors if f.rule == 'missing-annotation']
    parts = []
    if missing:
        files = len({f.path for f in missing})
        parts.append(f'{plural(len(missing), "helper")} missing __rust_helper in {plural(files, "file")}')
    others = len(errors) - len(missing)
    if others:
        parts.append(plural(others, 'other error'))
    return ', '.join(parts) + f' ({plural(helpers, "helper")} in {plural(len(scanned), "file")} checked)'
