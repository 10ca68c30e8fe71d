"""The check job: run the rules over scanned files."""
from __future__ import annotations

from codemod.c_source.scan import ScannedFile
from codemod.lint.findings import Finding
from codemod.lint.rules import FILE_RULES
from codemod.plumbing.text import plural


def lint_file(s: ScannedFile) -> list[Finding]:
    """One file's findings, in line order."""
    findings = [f for rule in FILE_RULES for f in rule.check(s.rel, s.scan)]
    return sorted(findings, key=lambda f: (f.line, f.col, f.rule))


class Tally:
    """What the summary line counts, kept as findings go by."""

    def __init__(self) -> None:
        self.files = self.helpers = self.errors = self.missing = 0
        self.missing_files: set[str] = set()

    def add(self, s: ScannedFile, findings: list[Finding]) -> None:
        self.files += 1
        self.helpers += len(s.scan.helpers)
        for f in findings:
            if f.is_error:
                self.errors += 1
                if f.rule == 'missing-annotation':
                    self.missing += 1
                    self.missing_files.add(f.path)

    def summary(self) -> str:
        checked = f'{plural(self.helpers, "helper")} in {plural(self.files, "file")}'
        if not self.errors:
            return f'all {checked} have __rust_helper'
        parts = []
        if self.missing:
            parts.append(f'{plural(self.missing, "helper")} missing __rust_helper '
                         f'in {plural(len(self.missing_files), "file")}')
        others = self.errors - self.missing
        if others:
            parts.append(plural(others, 'other error'))
        return ', '.join(parts) + f' ({checked} checked)'
