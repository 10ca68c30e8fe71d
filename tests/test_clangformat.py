from __future__ import annotations

import pytest

from codemod.c_source import clangformat
from codemod.c_source.clangformat import FormatError
from codemod.c_source.clangformat import Formatter
from codemod.c_source.clangformat import splice
from codemod.c_source.clangformat import style_text


def _attribute_macros(style: str) -> list[str]:
    lines = style.splitlines()
    i = lines.index('AttributeMacros:')
    out = []
    for ln in lines[i + 1:]:
        if not ln.startswith('  - '):
            break
        out.append(ln[4:])
    return out


@pytest.mark.parametrize(
    'own',
    (
        pytest.param('---\nColumnLimit: 80\nUseTab: Always\n...\n', id='document-end-marker'),
        pytest.param('ColumnLimit: 80\nAttributeMacros:\n  - __mine\nUseTab: Always\n', id='block-list'),
        pytest.param('ColumnLimit: 80\nAttributeMacros: [__mine, __other]\n', id='flow-list'),
    ),
)
def test_style_adds_attribute_macros_once(tmp_path, own):
    (tmp_path / '.clang-format').write_text(own)
    style = style_text(tmp_path)
    assert style.count('AttributeMacros:') == 1
    assert '...' not in style.splitlines()
    macros = _attribute_macros(style)
    assert '__rust_helper' in macros and '__realloc_size' in macros
    assert len(macros) == len(set(macros))
    if '__mine' in own:
        assert macros[0] == '__mine'
    assert 'ColumnLimit: 80' in style


def test_fallback_style_when_tree_has_none(tmp_path):
    style = style_text(tmp_path)
    assert 'ColumnLimit: 80' in style
    assert 'UseTab: Always' in style


def test_splice_takes_only_the_ranges_from_the_formatter():
    original = b'a  =  1;\nX1\nX2\n{\n}\nY\n{\n}\n'
    formatted = b'a = 1;\nX1 X2\n{\n}\nY2\n{\n}\n'
    with pytest.raises(FormatError):
        splice(original, formatted, ((2, 3), (6, 6)), 'f.c')
    formatted = b'a  =  1;\nX1 X2\n{\n}\nY2\n{\n}\n'
    assert splice(original, formatted, ((2, 3), (6, 6)), 'f.c') == formatted


def test_splice_refuses_changes_after_the_last_range():
    with pytest.raises(FormatError, match='outside the declarations'):
        splice(b'X\n{\n}\n', b'X\n{ }\n', ((1, 1),), 'f.c')


def test_splice_keeps_crlf():
    assert splice(b'A\r\nB\r\n{\r\n', b'A B\n{\r\n', ((1, 2),), 'f.c') == b'A B\r\n{\r\n'


KERNEL_STYLE = (
    'ColumnLimit: 80\nIndentWidth: 8\nTabWidth: 8\nUseTab: Always\n'
    'BreakBeforeBraces: Linux\nAlignAfterOpenBracket: Align\n'
    'AllowShortFunctionsOnASingleLine: None\nContinuationIndentWidth: 8\n'
)


def test_formats_only_the_given_lines(tmp_path):
    (tmp_path / '.clang-format').write_text(KERNEL_STYLE)
    src = (
        b'int   untouched  =  1;\n'
        b'__rust_helper unsigned long rust_helper_copy(void *to, const void __user *from,\n'
        b'\t\t\t\t\t unsigned long n)\n'
        b'{\n'
        b'\treturn   0;\n'
        b'}\n'
    )
    with Formatter(style_text(tmp_path)) as fmt:
        out = fmt.run(src, ((2, 3),), 'x.c')
    lines = out.split(b'\n')
    assert lines[0] == b'int   untouched  =  1;'
    assert out.endswith(b'\n{\n\treturn   0;\n}\n')
    header = out[len(lines[0]) + 1:out.index(b'\n{\n') + 1]
    assert header != src.split(b'\n', 1)[1].split(b'{')[0]
    assert header.split() == b'__rust_helper unsigned long rust_helper_copy(void *to, const void __user *from, unsigned long n)'.split()
    for line in header.splitlines():
        assert len(line.expandtabs(8)) <= 80
    if header.count(b'\n') == 2:
        # Parameters wrapped: the continuation lines up with the parenthesis.
        first, second = header.splitlines()
        assert len(second.expandtabs(8)) - len(second.lstrip()) == first.index(b'(') + 1


def test_missing_binary_is_a_format_error(monkeypatch, tmp_path):
    monkeypatch.setenv(clangformat.ENV_BINARY, str(tmp_path / 'no-such-clang-format'))
    clangformat.binary.cache_clear()
    try:
        with Formatter(style_text(tmp_path)) as fmt, pytest.raises(FormatError, match='cannot run clang-format'):
            fmt.run(b'int f(void)\n{\n}\n', ((1, 1),), 'rust/helpers/x.c')
    finally:
        clangformat.binary.cache_clear()


def test_failing_binary_is_a_format_error(monkeypatch, tmp_path):
    fake = tmp_path / 'clang-format'
    fake.write_text('#!/bin/sh\necho "boom: bad style" >&2\nexit 3\n')
    fake.chmod(0o755)
    monkeypatch.setenv(clangformat.ENV_BINARY, str(fake))
    clangformat.binary.cache_clear()
    try:
        with Formatter(style_text(tmp_path)) as fmt, pytest.raises(FormatError, match='boom: bad style'):
            fmt.run(b'int f(void)\n{\n}\n', ((1, 1),), 'rust/helpers/x.c')
    finally:
        clangformat.binary.cache_clear()


def test_expression_arguments_keep_their_arrows(tmp_path):
    (tmp_path / '.clang-format').write_text(KERNEL_STYLE)
    src = b'__rust_helper void rust_helper_lock(struct frob_device *f)\n\t__acquires(f->lock)\n{\n}\n'
    with Formatter(style_text(tmp_path)) as fmt:
        out = fmt.run(src, ((1, 2),), 'x.c')
    assert b'__acquires(f->lock)' in out
    assert out.split() == src.split()


def _jobs(files):
    from codemod.c_source.insert import insert_annotations
    from codemod.c_source.insert import needs_annotation
    from codemod.c_source.insert import realign_continuations
    from codemod.c_source.helpers import scan_bytes
    jobs = []
    for path in files:
        data = path.read_bytes()
        laid_out = realign_continuations(insert_annotations(data, needs_annotation(scan_bytes(data).helpers)))
        jobs.append((laid_out.data, laid_out.format_ranges, path.name, laid_out.format_cuts))
    return jobs


def _batch_equals_one_by_one(root, files):
    jobs = _jobs(files)
    assert sum(len(job[1]) for job in jobs) > 5
    with Formatter(style_text(root)) as fmt:
        together = fmt.run_many(jobs)
        alone = [fmt.run(*job) for job in jobs]
    assert together == alone


def test_formatting_many_files_at_once_equals_one_by_one(tmp_path):
    from pathlib import Path
    fixtures = sorted((Path(__file__).parent / 'fixtures').glob('*/input.c'))
    _batch_equals_one_by_one(tmp_path, fixtures)


@pytest.mark.kernel
def test_batch_formatting_on_the_real_tree(linux_612):
    _batch_equals_one_by_one(linux_612, sorted((linux_612 / 'rust' / 'helpers').glob('*.c')))


def test_a_body_on_the_declarations_last_line_is_kept_as_it_is(tmp_path):
    src = b'__rust_helper void rust_helper_set(struct frob *f,\n\t\t\t  int v) {frob_set(f,v);}\n'
    cut = src.split(b'\n')[1].index(b'{')
    with Formatter(style_text(tmp_path)) as fmt:
        out = fmt.run(src, ((1, 2),), 'x.c', (cut,))
    assert out == b'__rust_helper void rust_helper_set(struct frob *f, int v) {frob_set(f,v);}\n'
