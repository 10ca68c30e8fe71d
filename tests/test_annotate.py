from __future__ import annotations

import pytest

from codemod.c_source.helpers import scan_bytes
from codemod.c_source.insert import insert_annotations
from codemod.c_source.insert import needs_annotation
from codemod.c_source.insert import realign_continuations


def _annotate(src: bytes):
    return insert_annotations(src, needs_annotation(scan_bytes(src).helpers))


@pytest.mark.parametrize(
    'src',
    (
        pytest.param(b'__rust_helper void rust_helper_a(void)\n{\n}\n', id='same-line'),
        pytest.param(b'__rust_helper\nint\nrust_helper_b(void)\n{\n}\n', id='line-above'),
        pytest.param(b'static void rust_helper_c(void)\n{\n}\n', id='static'),
        pytest.param(b'void rust_helper_d(void);\n', id='prototype'),
    ),
)
def test_noop(src):
    result = _annotate(src)
    assert result.data == src
    assert result.count == 0
    assert result.format_ranges == ()


@pytest.mark.parametrize(
    ('src', 'expected', 'ranges'),
    (
        pytest.param(
            b'void rust_helper_a(void)\n{\n}\n',
            b'__rust_helper void rust_helper_a(void)\n{\n}\n',
            ((1, 1),),
            id='plain',
        ),
        pytest.param(
            b'__noreturn void rust_helper_b(void)\n{\n}\n',
            b'__rust_helper __noreturn void rust_helper_b(void)\n{\n}\n',
            ((1, 1),),
            id='before-noreturn',
        ),
        pytest.param(
            b'const char *rust_helper_c(int a,\n\t\t\t  int b)\n{\n}\n',
            b'__rust_helper const char *rust_helper_c(int a,\n\t\t\t  int b)\n{\n}\n',
            ((1, 2),),
            id='wrapped-range',
        ),
        pytest.param(
            b'int rust_helper_d(void)\r\n{\r\n}\r\n\r\nint rust_helper_e(void)\r\n{\r\n}\r\n',
            b'__rust_helper int rust_helper_d(void)\r\n{\r\n}\r\n\r\n__rust_helper int rust_helper_e(void)\r\n{\r\n}\r\n',
            ((1, 1), (5, 5)),
            id='crlf-two',
        ),
    ),
)
def test_fix(src, expected, ranges):
    result = _annotate(src)
    assert result.data == expected
    assert result.format_ranges == ranges
    # A pure insertion: taking the tokens out gives back the input.
    assert result.data.replace(b'__rust_helper ', b'') == src


MACRO = (
    b'#define DEFINE_GET(name)\t\t\t\t\t\t\\\n'
    b'\tint rust_helper_##name(struct s *s)\t\t\t\t\\\n'
    b'\t{\t\t\t\t\t\t\t\t\\\n'
    b'\t\treturn name(s);\t\t\t\t\t\t\\\n'
    b'\t}\n'
)


def test_macro_body_insertion_is_pure_without_layout():
    result = _annotate(MACRO)
    assert result.data.replace(b'__rust_helper ', b'') == MACRO
    assert result.continuation_lines == ((2, 1, 72),)


def test_macro_body_keeps_backslash_column():
    result = realign_continuations(_annotate(MACRO))
    lines = result.data.split(b'\n')
    assert lines[1] == b'\t__rust_helper int rust_helper_##name(struct s *s)\t\t\\'
    assert result.format_ranges == ()   # never handed to clang-format

    def col(line: bytes) -> int:
        return len(line.expandtabs(8)) - 1
    assert {col(ln) for ln in lines[:4]} == {72}


def test_macro_body_too_long_puts_annotation_on_its_own_line():
    src = (
        b'#define DEFINE_LONG(name)\t\t\t\t\t\\\n'
        b'\tunsigned long rust_helper_##name(struct something *s, int x)\t\\\n'
        b'\t{ return name(s, x); }\n'
    )
    result = realign_continuations(_annotate(src))
    lines = result.data.split(b'\n')
    assert lines[1] == b'\t__rust_helper\t\t\t\t\t\t\t\\'
    assert lines[2] == src.split(b'\n')[1]
    # And it now counts as annotated.
    assert all(h.annotated for h in scan_bytes(result.data).helpers)


def test_macro_body_spaces_before_backslash_stay_spaces():
    src = b'#define D(n) \\\n  void rust_helper_##n(void)                    \\\n  { }\n'
    result = realign_continuations(_annotate(src))
    assert result.data.split(b'\n')[1] == b'  __rust_helper void rust_helper_##n(void)      \\'


def test_lines_added_in_a_macro_shift_the_ranges_below():
    src = (
        b'#define DEFINE_LONG(name)\t\t\t\t\t\\\n'
        b'\tunsigned long rust_helper_##name(struct something *s, int x)\t\\\n'
        b'\t{ return name(s, x); }\n'
        b'\n'
        b'int rust_helper_after(int a,\n'
        b'\t\t      int b)\n'
        b'{\n}\n'
    )
    annotated = _annotate(src)
    assert annotated.format_ranges == ((5, 6),)
    laid_out = realign_continuations(annotated)
    assert laid_out.format_ranges == ((6, 7),)
    assert laid_out.data.split(b'\n')[5] == b'__rust_helper int rust_helper_after(int a,'
