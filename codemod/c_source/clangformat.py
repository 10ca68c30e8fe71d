"""Reformat only the touched declarations, with the tree's own style.

We run `clang-format --lines=A:B` (one range per annotated declaration) and
then splice: every byte outside the given ranges is taken from the input,
never from clang-format's output. So a formatter that wants to change an
unrelated line cannot, and if it changed the lines around a range in a way
that hides where the range ends, we stop with an error instead of guessing.
"""
from __future__ import annotations

import functools
import os
import re
import subprocess

from codemod.c_source.macros import attribute_macros
from codemod.plumbing.errors import PathError
from codemod.plumbing.fsio import create_exclusive
from codemod.plumbing.fsio import remove_if_present
from codemod.plumbing.packages import package_dir
from codemod.plumbing.packages import read_package_text

ENV_BINARY = 'RUST_HELPERS_CLANG_FORMAT'


class FormatError(PathError):
    """clang-format is missing, failed, or touched lines it must not."""


@functools.cache
def binary() -> str:
    """The clang-format the package pins (PyPI wheel), unless overridden."""
    explicit = os.environ.get(ENV_BINARY)
    if explicit:
        return explicit
    # Found without importing clang_format: its __init__ imports sysconfig,
    # and its get_executable() breaks where sysconfig has no EXE var.
    return os.path.join(package_dir('clang_format'), 'data', 'bin', 'clang-format')


def _fallback_style() -> str:
    return read_package_text('data', 'fallback.clang-format')


def _with_attribute_macros(style: str, names: tuple[str, ...]) -> str:
    """Teach the style the kernel's attribute macros.

    Without this clang-format reads `__realloc_size(2)` as a call and indents
    the function name after it. Existing AttributeMacros entries are kept.
    """
    lines = [ln for ln in style.splitlines() if ln.strip() != '...']
    existing: list[str] = []
    key = re.compile(r'^AttributeMacros:\s*(\[.*\])?\s*$')
    for i, ln in enumerate(lines):
        m = key.match(ln)
        if not m:
            continue
        j = i + 1
        if m.group(1):
            existing = [x.strip() for x in m.group(1)[1:-1].split(',') if x.strip()]
        else:
            while j < len(lines) and re.match(r'^\s+-\s', lines[j]):
                existing.append(lines[j].split('-', 1)[1].strip())
                j += 1
        del lines[i:j]
        break
    merged = existing + [n for n in names if n not in existing]
    lines.append('AttributeMacros:')
    lines.extend(f'  - {n}' for n in merged)
    return '\n'.join(lines) + '\n'


def style_text(tree: str | os.PathLike[str]) -> str:
    """The tree's .clang-format (or our fallback) plus the attribute macros."""
    own = os.path.join(tree, '.clang-format')
    try:
        with open(own, encoding='utf-8') as f:
            style = f.read()
    except FileNotFoundError:
        style = _fallback_style()
    except (OSError, UnicodeDecodeError) as e:
        raise FormatError(own, f'cannot read style: {e}') from e
    return _with_attribute_macros(style, attribute_macros().clang_format_names)


# What follows each declaration in the batch document: an empty body, so
# clang-format sees a definition, and a blank line to keep them apart.
_BODY = b'{\n}\n\n'


class Formatter:
    """One style file for a run, and one clang-format process for all its files.

    The touched declarations of every file are laid out one after another
    in a single document, each followed by an empty body, and formatted in
    one go; each formatted declaration then goes back into its file. A
    declaration's layout does not depend on the code around it, and process
    start-up is most of what formatting costs.
    """

    def __init__(self, style: str) -> None:
        folder = os.environ.get('TMPDIR') or '/tmp'
        fd, path = create_exclusive(folder, 'rust-helpers-style', '.clang-format')
        with os.fdopen(fd, 'w', encoding='utf-8') as f:
            f.write(style)
        self.style_path = path

    def close(self) -> None:
        remove_if_present(self.style_path)

    def __enter__(self) -> Formatter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, data: bytes, ranges: tuple[tuple[int, int], ...], name: str,
            cuts: tuple[int | None, ...] = ()) -> bytes:
        return self.run_many([(data, ranges, name, cuts)])[0]

    def run_many(self, jobs: list[tuple]) -> list[bytes]:
        """Each file's bytes with its line ranges formatted.

        A job is (data, ranges, name) or (data, ranges, name, cuts): a cut
        says where on a range's last line its declaration ends (the body's
        `{` follows on that line); the rest of that line is kept as it is,
        so `int f(void) {return 0;}` keeps its body byte for byte.
        """
        jobs = [(j[0], j[1], j[2], j[3] if len(j) > 3 and j[3] else (None,) * len(j[1])) for j in jobs]
        document, doc_ranges, tails = [], [], []
        line = 1
        for data, ranges, _, cuts in jobs:
            lines = _lines(data)
            for (first, last), cut in zip(ranges, cuts):
                header, tail = _declaration(lines[first - 1:last], cut)
                header = header.replace(b'\r\n', b'\n')
                header += b'' if header.endswith(b'\n') else b'\n'
                height = header.count(b'\n')
                document.append(header + _BODY)
                doc_ranges.append((line, line + height - 1))
                tails.append(tail)
                line += height + _BODY.count(b'\n')
        if not document:
            return [data for data, _, _, _ in jobs]
        names = [name for _, ranges, name, _ in jobs if ranges]
        source = b''.join(document)
        formatted = self._clang_format(source, tuple(doc_ranges), names[0])
        # splice() proves clang-format left the bodies alone.
        headers = splice(source, formatted, tuple(doc_ranges), names[0]).split(_BODY)[:-1]
        if len(headers) != len(doc_ranges):
            raise FormatError(names[0], 'clang-format merged declarations')
        headers = [h if tail is None else h[:-1] + tail for h, tail in zip(headers, tails)]
        out, taken = [], 0
        for data, ranges, name, cuts in jobs:
            new_headers = headers[taken:taken + len(ranges)]
            taken += len(ranges)
            out.append(_put_back(data, ranges, new_headers, cuts))
        return out

    def _clang_format(self, source: bytes, ranges: tuple[tuple[int, int], ...], name: str) -> bytes:
        cmd = [binary(), f'--style=file:{self.style_path}', f'--assume-filename={name}']
        cmd += [f'--lines={a}:{b}' for a, b in ranges]
        try:
            res = subprocess.run(cmd, input=source, capture_output=True)
        except OSError as e:
            raise FormatError(name, f'cannot run clang-format ({cmd[0]}): {e.strerror}') from e
        if res.returncode != 0:
            msg = res.stderr.decode('utf-8', 'replace').strip().splitlines()
            raise FormatError(name, f'clang-format failed: {msg[0] if msg else res.returncode}')
        return res.stdout


def _declaration(lines: list[bytes], cut: int | None) -> tuple[bytes, bytes | None]:
    """A range's declaration text, and what follows it on its last line
    (from the blanks before the `{`), if the body starts there."""
    if cut is None:
        return b''.join(lines), None
    last = lines[-1]
    declaration = last[:cut].rstrip(b' \t')
    return b''.join(lines[:-1]) + declaration + b'\n', last[len(declaration):]


def _put_back(data: bytes, ranges: tuple[tuple[int, int], ...], headers: list[bytes],
              cuts: tuple[int | None, ...]) -> bytes:
    """Replace each line range of `data` by its formatted text, keeping line ends."""
    lines = _lines(data)
    out, prev = [], 0
    for (first, last), header, cut in zip(ranges, headers, cuts):
        out.append(b''.join(lines[prev:first - 1]))
        original = b''.join(lines[first - 1:last])
        if cut is None and not original.endswith(b'\n'):
            header = header[:-1]   # the range was the last line, without a newline
        out.append(_eol_like(header, original))
        prev = last
    out.append(b''.join(lines[prev:]))
    return b''.join(out)


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def splice(original: bytes, formatted: bytes, ranges: tuple[tuple[int, int], ...], name: str) -> bytes:
    """Take the ranges' new text from `formatted` and everything else from `original`."""
    lines = _lines(original)
    # The untouched stretches around the ranges: gaps[0] before the first,
    # gaps[k] between range k-1 and range k, gaps[-1] after the last.
    gaps = []
    prev_end = 0
    for first, last in ranges:
        gaps.append(b''.join(lines[prev_end:first - 1]))
        prev_end = last
    gaps.append(b''.join(lines[prev_end:]))

    changed_outside = FormatError(name, 'clang-format changed lines outside the declarations')
    if not formatted.startswith(gaps[0]) or not formatted.endswith(gaps[-1]):
        raise changed_outside
    out = [gaps[0]]
    pos = len(gaps[0])
    limit = len(formatted) - len(gaps[-1])
    for gap in gaps[1:-1]:
        # A range ends where the next untouched stretch begins; stretches
        # start at a function body, so they cannot occur inside a header.
        end = formatted.find(gap, pos, limit)
        if end == -1:
            raise changed_outside
        out += [_eol_like(formatted[pos:end], original), gap]
        pos = end + len(gap)
    if pos > limit:
        raise changed_outside
    out += [_eol_like(formatted[pos:limit], original), gaps[-1]]
    return b''.join(out)


def _eol_like(text: bytes, original: bytes) -> bytes:
    """Keep CRLF lines CRLF even if the formatter wrote LF."""
    if b'\r\n' in original and b'\r\n' not in text:
        return text.replace(b'\n', b'\r\n')
    return text
