from __future__ import annotations

from codemod.c_source import macros


def test_parse_macro_list():
    listed = macros.parse_macro_list('# comment\n\n__a\n__b()\n  __c  \n__d(expr)\n')
    assert listed.plain == {'__a', '__c'}
    assert listed.with_args == {'__b', '__d'}
    assert listed.names == ('__a', '__b', '__c', '__d')
    assert listed.clang_format_names == ('__a', '__b', '__c')


def test_packaged_macro_list_has_the_forms_the_kernel_uses():
    listed = macros.attribute_macros()
    for name in ('__rust_helper', '__noreturn', '__force', '__must_check', '__user', '__iomem', '__always_inline'):
        assert name in listed.plain
    assert '__realloc_size' in listed.with_args
