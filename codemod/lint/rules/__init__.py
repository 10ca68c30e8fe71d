"""Lint rules, one per module, each named by its id.

A rule module has ID, SEVERITY, FIX and `check(path, scan)`, which yields the
rule's findings for one scanned helper file.
"""
from __future__ import annotations

from codemod.lint.rules import empty_file
from codemod.lint.rules import missing_annotation
from codemod.lint.rules import missing_prefix
from codemod.lint.rules import not_c_source
from codemod.lint.rules import parse_error
from codemod.lint.rules import static_inline_helper

FILE_RULES = (not_c_source, missing_annotation, missing_prefix, static_inline_helper, parse_error, empty_file)
