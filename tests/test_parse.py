from __future__ import annotations

import pytest

from codemod.c_source import blank
from codemod.c_source import parse


@pytest.mark.parametrize(
    'src',
    (
        pytest.param(b'// __noreturn in a comment\n', id='line-comment'),
        pytest.param(b'/* __must_check\n __force */\n', id='block-comment'),
        pytest.param(b'const char *s = "__user";\n', id='string'),
        pytest.param(b'#define X __always_inline\n', id='preprocessor-line'),
        pytest.param(b'#ifndef __rust_helper\n#define __rust_helper\n#endif\n', id='pp-fallback-block'),
        pytest.param(b'int __user_count(void);\n', id='longer-identifier'),
        pytest.param(b'int x = __realloc_size;\n', id='arg-macro-without-args'),
    ),
)
def test_blank_macros_noop(src):
    blanked = blank.blank_macros(src)
    assert blanked.text == src
    assert blanked.spans == ()


@pytest.mark.parametrize(
    ('src', 'expected', 'names'),
    (
        pytest.param(
            b'__noreturn void f(void)\n',
            b'           void f(void)\n',
            ['__noreturn'],
            id='plain',
        ),
        pytest.param(
            b'void * __must_check __realloc_size(2)\n',
            b'void *                               \n',
            ['__must_check', '__realloc_size'],
            id='with-args',
        ),
        pytest.param(
            b'int f(__force const void *p, int __user *q)\n',
            b'int f(        const void *p, int        *q)\n',
            ['__force', '__user'],
            id='parameters',
        ),
        pytest.param(
            b'void f(void) __attribute__((nonnull(1, (2))))\r\n',
            b'void f(void)                                 \r\n',
            ['__attribute__'],
            id='nested-parens-crlf',
        ),
        pytest.param(
            b'__rust_helper\nint\n',
            b'             \nint\n',
            ['__rust_helper'],
            id='alone-on-a-line',
        ),
    ),
)
def test_blank_macros(src, expected, names):
    blanked = blank.blank_macros(src)
    assert blanked.text == expected
    assert [s.name for s in blanked.spans] == names
    for span in blanked.spans:
        assert src[span.start:span.end].startswith(span.name.encode())


def test_blanking_keeps_length_and_line_breaks():
    src = b'/* \xe9 */\r\n__force void *f(int __user *p)\r\n{\r\n}\r\n'
    blanked = blank.blank_macros(src)
    assert len(blanked.text) == len(src)
    assert blanked.text.count(b'\n') == src.count(b'\n')
    assert blanked.text.count(b'\r') == src.count(b'\r')


def test_macro_body_source_keeps_offsets():
    src = b'#define D(n) \\\n\tvoid rust_helper_##n(void) \\\n\t{ }\n'
    start = src.index(b'void')
    end = len(src) - 1
    body = blank.macro_body_source(src, start, end)
    assert len(body) == end
    assert body[start:].startswith(b'void rust_helper___n(void)  \n\t{ }')
    assert body[:start].strip() == b''
    assert body.count(b'\n') == src[:end].count(b'\n')


def test_parse_macro_list():
    macros = blank.parse_macro_list('# comment\n\n__a\n__b()\n  __c  \n__d(expr)\n')
    assert macros.plain == {'__a', '__c'}
    assert macros.with_args == {'__b', '__d'}
    assert macros.names == ('__a', '__b', '__c', '__d')
    assert macros.clang_format_names == ('__a', '__b', '__c')


def test_packaged_macro_list_has_the_forms_the_kernel_uses():
    macros = blank.attribute_macros()
    for name in ('__rust_helper', '__noreturn', '__force', '__must_check', '__user', '__iomem', '__always_inline'):
        assert name in macros.plain
    assert '__realloc_size' in macros.with_args


@pytest.mark.parametrize('name', parse.QUERY_FILES)
def test_each_query_file_compiles_on_its_own(name):
    assert parse.compile_query_file(name).pattern_count >= 1


def test_the_run_query_holds_every_pattern_of_every_file():
    files = sum(parse.compile_query_file(name).pattern_count for name in parse.QUERY_FILES)
    assert parse.query().pattern_count == files
