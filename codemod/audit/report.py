"""What the audit found, as compiler-style lines, JSON or GitHub workflow
commands: one finding per call site left, one note per annotated helper
still called (its likely causes), the per-helper summary, then the helpers
a linked image carries that nothing calls (information, not errors)."""
from __future__ import annotations

import json
from dataclasses import dataclass

from codemod.audit.demangle import demangle_all
from codemod.audit.sites import ADDRESS
from codemod.audit.sites import Audit
from codemod.audit.sites import CALL
from codemod.audit.sites import Site
from codemod.audit.sites import UnusedHelper
from codemod.audit.source import HelperSource
from codemod.audit.source import SourceIndex
from codemod.lint.findings import ERROR
from codemod.lint.findings import NOTE
from codemod.lint.findings import workflow_command
from codemod.plumbing.text import plural

NOT_INLINED = 'not-inlined'
ANNOTATED_NOT_INLINED = 'annotated-not-inlined'
UNUSED_HELPER = 'unused-helper'

CAUSE_NOT_LINKED = ('its bitcode was not linked into the Rust object (inline helpers off in this build, '
                    'e.g. clang and rustc on different LLVM majors)')
CAUSE_NOT_INLINED = ('its bitcode was linked in but LLVM did not inline it: __rust_helper may not expand to '
                     '__always_inline in this build, or the helpers were built with flags the Rust code lacks '
                     '(e.g. -fno-delete-null-pointer-checks)')
CAUSES_UNKNOWN = ('the helpers built with flags the Rust code lacks (e.g. -fno-delete-null-pointer-checks), '
                  'clang and rustc on different LLVM majors, or the helpers\' bitcode not linked')


@dataclass(frozen=True)
class HelperSummary:
    helper: str
    calls: int
    source: HelperSource | None
    causes: str | None          # for an annotated helper still called


@dataclass
class Report:
    sites: list[Site]
    names: dict[str, str]       # mangled -> demangled caller
    helpers: list[HelperSummary]
    unused: list[UnusedHelper]
    audited: int
    joined: bool                # whether a tree's sources were scanned

    @property
    def has_errors(self) -> bool:
        return bool(self.sites)


def _causes(sites: list[Site]) -> str:
    linked = {s.helper_linked for s in sites}
    if False in linked:
        return CAUSE_NOT_LINKED
    if linked == {True}:
        return CAUSE_NOT_INLINED
    return CAUSES_UNKNOWN


def build(audits: list[Audit], sources: SourceIndex | None) -> Report:
    sites = sorted(s for a in audits for s in a.sites)
    by_helper: dict[str, list[Site]] = {}
    for s in sites:
        by_helper.setdefault(s.helper, []).append(s)
    summaries = []
    for helper in sorted(by_helper):
        src = sources.find(helper) if sources else None
        causes = _causes(by_helper[helper]) if src and src.annotated else None
        summaries.append(HelperSummary(helper, len(by_helper[helper]), src, causes))
    unused = sorted(u for a in audits for u in a.unused)
    names = demangle_all(s.function for s in sites)
    return Report(sites, names, summaries, unused, len(audits), sources is not None)


def _what(site: Site) -> str:
    if site.kind == ADDRESS:
        return f'address of {site.helper} taken, so it was not inlined'
    return f'{"call" if site.kind == CALL else "tail call"} to {site.helper} was not inlined'


def _why(src: HelperSource | None, joined: bool) -> str:
    if not joined:
        return ''
    if src is None:
        return ' (no definition of it under rust/helpers/)'
    if src.annotated:
        return f' although it has __rust_helper ({src.where})'
    if src.generator:
        return f': {src.where} lacks __rust_helper; the file is generated, change {src.generator}'
    return f': {src.where} lacks __rust_helper (rust-helpers check reports it)'


def site_message(site: Site, report: Report, src: HelperSource | None) -> str:
    return _what(site) + _why(src, report.joined)


def _where(site: Site, report: Report) -> str:
    return f'{site.input}: {report.names.get(site.function, site.function)}+{site.offset:#x}'


def _note(h: HelperSummary) -> str:
    return (f'{h.helper} has __rust_helper but {plural(h.calls, "call site")} '
            f'{"is" if h.calls == 1 else "are"} left; likely cause: {h.causes}')


def _unused_message(u: UnusedHelper) -> str:
    return f'{u.helper} is in the image but no Rust code calls it (dead weight, {plural(u.size, "byte")})'


def _annotated(h: HelperSummary, joined: bool) -> str:
    if not joined:
        return 'unknown (no --tree)'
    if h.source is None:
        return 'not found in rust/helpers/'
    return f'{"yes" if h.source.annotated else "no"} ({h.source.where})'


def summary_table(report: Report) -> str:
    if not report.helpers:
        return ''
    rows = [(h.helper, str(h.calls), _annotated(h, report.joined)) for h in report.helpers]
    width = max(len('helper'), *(len(r[0]) for r in rows))
    lines = [f'{"helper":<{width}}  calls left  annotated']
    lines += [f'{name:<{width}}  {calls:>10}  {annotated}' for name, calls, annotated in rows]
    return '\n'.join(lines) + '\n'


def as_text(report: Report, sources: SourceIndex | None) -> str:
    out = []
    for s in report.sites:
        src = sources.find(s.helper) if sources else None
        out.append(f'{_where(s, report)}: {site_message(s, report, src)} [{NOT_INLINED}]\n')
    for h in report.helpers:
        if h.causes:
            out.append(f'{h.source.where}: note: {_note(h)} [{ANNOTATED_NOT_INLINED}]\n')
    table = summary_table(report)
    if table:
        out.append('\n' + table)
    if report.unused:
        out.append('\n')
        out += [f'{u.input}: note: {_unused_message(u)} [{UNUSED_HELPER}]\n' for u in report.unused]
    return ''.join(out)


def as_github(report: Report, sources: SourceIndex | None) -> str:
    """Each site annotates its helper's definition when the tree is known
    (the line a PR can change), else the object."""
    out = []
    for s in report.sites:
        src = sources.find(s.helper) if sources else None
        message = f'{_where(s, report)}: {site_message(s, report, src)}'
        file, line, col = (src.path, src.line, src.col) if src else (s.input, None, None)
        out.append(workflow_command(ERROR, message, file=file, line=line, col=col, title=NOT_INLINED))
    for h in report.helpers:
        if h.causes:
            out.append(workflow_command(NOTE, _note(h), file=h.source.path, line=h.source.line,
                                        col=h.source.col, title=ANNOTATED_NOT_INLINED))
    for u in report.unused:
        out.append(workflow_command(NOTE, _unused_message(u), file=u.input, title=UNUSED_HELPER))
    return ''.join(line + '\n' for line in out)


def _source_json(src: HelperSource | None) -> dict[str, object] | None:
    if src is None:
        return None
    return {'path': src.path, 'line': src.line, 'column': src.col, 'annotated': src.annotated,
            'macro': src.macro, 'generator': src.generator}


def as_json(report: Report, sources: SourceIndex | None) -> str:
    findings = []
    for s in report.sites:
        src = sources.find(s.helper) if sources else None
        findings.append({
            'input': s.input, 'function': report.names.get(s.function, s.function), 'symbol': s.function,
            'offset': s.offset, 'helper': s.helper, 'kind': s.kind, 'found_by': s.found_by,
            'helper_linked': s.helper_linked, 'severity': ERROR, 'rule': NOT_INLINED,
            'message': site_message(s, report, src), 'source': _source_json(src),
        })
    helpers = [{'helper': h.helper, 'calls': h.calls, 'source': _source_json(h.source), 'likely_cause': h.causes}
               for h in report.helpers]
    unused = [{'input': u.input, 'helper': u.helper, 'address': u.address, 'size': u.size,
               'severity': NOTE, 'rule': UNUSED_HELPER} for u in report.unused]
    return json.dumps({'audited': report.audited, 'findings': findings, 'helpers': helpers, 'unused': unused},
                      indent=2) + '\n'


def render(report: Report, sources: SourceIndex | None, fmt: str) -> str:
    return {'text': as_text, 'json': as_json, 'github': as_github}[fmt](report, sources)


def summary_line(report: Report, skipped: int = 0) -> str:
    """The one line for stderr."""
    audited = plural(report.audited, 'file')
    extra = f', {skipped} without Rust symbols skipped' if skipped else ''
    if not report.sites:
        line = f'no call to a helper left in {audited} audited{extra}'
    else:
        inputs = len({s.input for s in report.sites})
        line = (f'{plural(len(report.sites), "call site")} left to {plural(len(report.helpers), "helper")} '
                f'in {inputs} of {audited} audited{extra}')
    if report.unused:
        line += f'; {plural(len(report.unused), "helper")} in images with no callers'
    return line
