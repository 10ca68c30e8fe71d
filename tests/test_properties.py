"""Property tests over generated helper files that mix every form we handle."""
from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st

from codemod.c_source.clangformat import Formatter
from codemod.c_source.clangformat import style_text
from codemod.c_source.helpers import scan_bytes
from codemod.c_source.insert import insert_annotations
from codemod.c_source.insert import needs_annotation
from codemod.c_source.insert import realign_continuations

RETURN_TYPES = (
    'void', 'int', 'bool', 'long', 'unsigned long', 'const char *', 'struct page *',
    'void *', 'refcount_t', '__noreturn void', '__force void *', 'struct task_struct *',
)
PARAMS = (
    'int n', 'struct mutex *lock', 'const void __user *from', '__force const void *ptr',
    'gfp_t flags', 'size_t new_size', 'void __iomem *addr', 'struct lock_class_key *key',
    'const char *name', 'unsigned long len',
)
NAMES = st.from_regex(r'rust_helper_[a-z][a-z_]{0,24}', fullmatch=True) | st.sampled_from(
    ('wrapped_call', 'frob_thing'),
)


@dataclass
class Chunk:
    text: str
    helpers: list[str]        # names of the helper definitions in it
    annotated: int = 0        # how many of them carry __rust_helper already


def _params_text(prefix: str, params: list[str]) -> str:
    """Parameters, wrapped at 80 columns and aligned with the open parenthesis."""
    if not params:
        return prefix + 'void)'
    lines, line = [], prefix
    indent = ' ' * len(prefix)
    for i, p in enumerate(params):
        piece = p + (', ' if i < len(params) - 1 else ')')
        if len(line) + len(piece.rstrip()) > 80 and line.strip() != prefix.strip():
            lines.append(line.rstrip())
            line = indent
        line += piece
    lines.append(line)
    # Kernel style: the alignment is made of tabs, then spaces.
    width = len(indent)
    return '\n'.join([lines[0]] + ['\t' * (width // 8) + ' ' * (width % 8) + ln.lstrip() for ln in lines[1:]])


@st.composite
def helper_chunk(draw) -> Chunk:
    name = draw(NAMES)
    ret = draw(st.sampled_from(RETURN_TYPES))
    params = draw(st.lists(st.sampled_from(PARAMS), max_size=5, unique=True))
    own_line = draw(st.booleans())
    annotation = draw(st.sampled_from(('', 'same', 'above')))
    sep = '' if ret.endswith('*') else ' '
    if own_line:
        header = f'{ret}{" __must_check" if ret.endswith("*") else ""}\n' + _params_text(f'{name}(', params)
    else:
        header = _params_text(f'{ret}{sep}{name}(', params)
    if annotation == 'same':
        header = '__rust_helper ' + header
    elif annotation == 'above':
        header = '__rust_helper\n' + header
    body = draw(st.sampled_from((
        '{\n\treturn 0;\n}\n',
        '{\n#ifdef CONFIG_DEBUG\n\tcheck();\n#endif\n\tcall();\n}\n',
        '{\n\t/* rust_helper_in_comment() */\n}\n',
    )))
    return Chunk(f'{header}\n{body}', [name], 1 if annotation else 0)


@st.composite
def conditional_chunk(draw) -> Chunk:
    a, b = draw(helper_chunk()), draw(helper_chunk())
    kind = draw(st.sampled_from(('ifdef', 'ifelse', 'ifndef')))
    if kind == 'ifdef':
        return Chunk(f'#ifdef CONFIG_A\n{a.text}#endif\n', a.helpers, a.annotated)
    if kind == 'ifndef':
        return Chunk(f'#ifndef CONFIG_B\n{a.text}#endif /* CONFIG_B */\n', a.helpers, a.annotated)
    return Chunk(
        f'#if defined(CONFIG_C) && CONFIG_D > 2\n{a.text}#else\n{b.text}#endif\n',
        a.helpers + b.helpers, a.annotated + b.annotated,
    )


@st.composite
def macro_chunk(draw) -> Chunk:
    annotated = draw(st.booleans())
    ann = '__rust_helper ' if annotated else ''
    head = f'\t{ann}int rust_helper_##name(struct s *s)'
    lines = ['#define DEFINE_GETTER(name)', head, '\t{', '\t\treturn name(s);', '\t}']
    text = ''.join(ln + '\t' * max(1, (72 - len(ln.expandtabs(8)) + 7) // 8) + '\\\n' for ln in lines[:-1])
    text += lines[-1] + '\n\nDEFINE_GETTER(s_get)\nDEFINE_GETTER(s_put)\n'
    return Chunk(text, ['rust_helper_##name'], int(annotated))


NOISE = st.sampled_from((
    Chunk('#include <linux/frob.h>\n', []),
    Chunk('/*\n * Call rust_helper_fake(void) { } from Rust.\n */\n', []),
    Chunk('void rust_helper_prototype(int x);\n', []),
    Chunk('static void rust_helper_private(void)\n{\n}\n', []),
    Chunk('static inline int local_inline(int x)\n{\n\treturn x;\n}\n', []),
    Chunk('EXPORT_SYMBOL_GPL(rust_helper_old);\n', []),
    Chunk('const char *rust_helper_str = "int rust_helper_s(void) { }";\n', []),
))


@st.composite
def helper_file(draw) -> tuple[bytes, list[str], int]:
    chunks = draw(st.lists(
        st.one_of(helper_chunk(), helper_chunk(), conditional_chunk(), macro_chunk(), NOISE),
        min_size=1, max_size=6,
    ))
    text = '// SPDX-License-Identifier: GPL-2.0\n\n' + '\n'.join(c.text for c in chunks)
    data = text.encode()
    if draw(st.booleans()):
        data = data.replace(b'\n', b'\r\n')
    names = [n for c in chunks for n in c.helpers]
    return data, names, sum(c.annotated for c in chunks)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _annotate(data: bytes) -> tuple[bytes, object]:
    result = insert_annotations(data, needs_annotation(scan_bytes(data).helpers))
    return result.data, result


@SETTINGS
@given(helper_file())
def test_detection_finds_exactly_the_generated_helpers(case):
    data, names, annotated = case
    scan = scan_bytes(data)
    assert sorted(h.name for h in scan.helpers) == sorted(names)
    assert sum(h.annotated for h in scan.helpers) == annotated
    assert scan.problems == ()


@SETTINGS
@given(helper_file())
def test_no_format_annotate_is_a_pure_insertion_and_idempotent(case):
    data, names, annotated = case
    new, result = _annotate(data)
    assert result.count == len(names) - annotated
    # After annotate, check is clean.
    assert all(h.annotated for h in scan_bytes(new).helpers)
    # Deleting the inserted tokens gives back the original bytes exactly.
    assert new.count(b'__rust_helper ') == data.count(b'__rust_helper ') + result.count
    assert new.replace(b'__rust_helper ', b'') == data.replace(b'__rust_helper ', b'')
    # A second annotate changes nothing.
    assert _annotate(new)[0] == new


_TOKEN = re.compile(rb'[A-Za-z_0-9]+|##|->|[^\sA-Za-z_0-9]')


def _tokens(data: bytes) -> list[bytes]:
    return [t for t in _TOKEN.findall(data) if t != b'__rust_helper']


FORMAT_STYLE = (
    'ColumnLimit: 80\nIndentWidth: 8\nTabWidth: 8\nUseTab: Always\nBreakBeforeBraces: Linux\n'
    'AlignAfterOpenBracket: Align\nAllowShortFunctionsOnASingleLine: None\n'
    'PenaltyReturnTypeOnItsOwnLine: 60\n'
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=helper_file())
def test_formatted_annotate_changes_only_layout_of_declarations(tmp_path, case):
    data, names, annotated = case
    (tmp_path / '.clang-format').write_text(FORMAT_STYLE)
    result = realign_continuations(insert_annotations(data, needs_annotation(scan_bytes(data).helpers)))
    with Formatter(style_text(tmp_path)) as fmt:
        new = fmt.run(result.data, result.format_ranges, 'x.c')
        # The token stream outside the inserted tokens is unchanged.
        assert _tokens(new) == _tokens(data)
        scan = scan_bytes(new)
        assert all(h.annotated for h in scan.helpers)
        assert len(scan.helpers) == len(names)
        # Formatting again is a no-op: annotate is idempotent with formatting on.
        again = insert_annotations(new, needs_annotation(scan.helpers))
        assert again.count == 0 and again.data == new
