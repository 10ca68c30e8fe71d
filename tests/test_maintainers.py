"""MAINTAINERS parsing, F:/X:/N:/K: matching and get_maintainer-style routing.

Every fixture here is written for these tests. tests/test_maintainers_kernel.py
runs get_maintainer.pl itself over FIXTURE and over the real 6.12 tree.
"""
from __future__ import annotations

import textwrap

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from codemod.kernel.maintainers.globs import compile_file_pattern
from codemod.kernel.maintainers.globs import PatternIndex
from codemod.kernel.maintainers.mailmap import emails_in_text
from codemod.kernel.maintainers.mailmap import format_email
from codemod.kernel.maintainers.mailmap import Mailmap
from codemod.kernel.maintainers.mailmap import parse_email
from codemod.kernel.maintainers.mailmap import split_addresses
from codemod.kernel.maintainers.routing import Maintainers
from codemod.kernel.maintainers.routing import Route
from codemod.kernel.maintainers.sections import MaintainersError

FIXTURE = textwrap.dedent('''\
    A preamble, skipped the way get_maintainer.pl skips it.
    \tM: Preamble Person <preamble@example.org>
    \tF: everything/

    Sections
    --------

    ALPHA DRIVER
    M:\tAlice Alpha <alice@example.org>
    R:\tRita Reviewer <rita@example.org>
    L:\talpha-devel@lists.example.org
    S:\tMaintained
    W:\thttps://alpha.example.org/
    T:\tgit git://git.example.org/alpha.git
    F:\tdrivers/alpha/
    F:\tinclude/linux/alpha.h
    X:\tdrivers/alpha/legacy/

    BETA SUBSYSTEM
    M:\t"Beta, Bob" <bob@example.org>
    M:\tZo\u00eb Zeta <zoe@example.org>
    L:\tbeta@lists.example.org (moderated for non-subscribers)
    L:\tbeta-users@lists.example.org (subscribers-only)
    S:\tSupported
    N:\tbeta
    F:\tdrivers/beta*.c
    F:\tdrivers/alpha/beta/

    # Comments are ignored, even between sections.
    GAMMA LIBRARY
    M:\tAlice Alpha <ALICE@example.org>
    M:\tGina Gamma <gina@old.example.org>
    M:\tAnother Alice <alice@EXAMPLE.org>
    R:\tRita Reviewer <rita@example.org>
    L:\tALPHA-devel@lists.example.org
    S:\tOdd Fixes
    C:\tirc://irc.example.org/gamma
    P:\tDocumentation/process/gamma.rst
    F:\tlib/gamma/*.c
    F:\tlib/gamma/*/
    K:\t\\bgamma_\\w+

    DELTA TEAM
    M:\tDan Delta <dan@example.org>, Dora Delta <dora@example.org>
    M:\tJi-Ze Someone (Nickname) <ji@example.org>
    L:\tDelta Team <delta@example.org>
    S:\tMaintained
    F:\tlib/delta.c
    F:\tlib/delta-extra/
    F:\tDocumentation/devicetree/bindings/delta/
    K:\tdelta_magic

    ORPHANED THING
    L:\torphans@lists.example.org
    S:\tOrphan
    F:\tdrivers/orphan.c

    LAST MATCH WINS
    M:\tLena Wrong <lena@example.org>
    S:\tMaintained
    F:\tmisc/last/deep/file.c
    F:\tmisc/

    RUST
    M:\tRuth Rust <ruth@example.org>
    R:\tRon Reviewer <ron@example.org>
    L:\trust-for-linux@vger.kernel.org
    S:\tSupported
    F:\trust/
    K:\t\\b(?i:rust)\\b

    RUST HELPERS FOR LOCKS
    M:\tLars Lock <lars@example.org>
    L:\tlocks@lists.example.org
    S:\tMaintained
    F:\trust/helpers/mutex.c
    F:\trust/helpers/spin*.c

    THE REST
    M:\tLinus Torvalds <torvalds@linux-foundation.org>
    L:\tlinux-kernel@vger.kernel.org
    S:\tBuried alive in reporters
    F:\t*
    F:\t*/
''')

MAILMAP = textwrap.dedent('''\
    # Comments and blank lines are skipped.

    Gina Gamma <gina@example.org> <gina@old.example.org>
    Rita R. Reviewer <rita@example.org>
    <ron@new.example.org> <ron@example.org>
    Lena Last <lena@new.example.org> Lena Wrong <lena@example.org>
''')


@pytest.fixture(scope='module')
def fixture() -> Maintainers:
    return Maintainers.parse(FIXTURE, mailmap_text=MAILMAP)


def names(sections) -> list[str]:
    return [s.name for s in sections]


# -- parsing -----------------------------------------------------------------

def test_sections_titles_lines_and_tags(fixture):
    assert names(fixture.sections)[:3] == ['ALPHA DRIVER', 'BETA SUBSYSTEM', 'GAMMA LIBRARY']
    alpha = fixture.sections[0]
    assert alpha.line == 8
    assert alpha.maintainers == ('Alice Alpha <alice@example.org>',)
    assert alpha.reviewers == ('Rita Reviewer <rita@example.org>',)
    assert alpha.lists == ('alpha-devel@lists.example.org',)
    assert alpha.status == ('Maintained',)
    assert alpha.web == ('https://alpha.example.org/',)
    assert alpha.trees == ('git git://git.example.org/alpha.git',)
    assert alpha.files == ('drivers/alpha/', 'include/linux/alpha.h')
    assert alpha.excludes == ('drivers/alpha/legacy/',)
    assert alpha.entries[0].line == 9
    beta = fixture.sections[1]
    assert beta.regexes == ('beta',)
    gamma = fixture.sections[2]
    assert gamma.keywords == (r'\bgamma_\w+',)
    # Tags without a dedicated property are kept all the same.
    assert gamma.values('C') == ('irc://irc.example.org/gamma',)
    assert gamma.values('P') == ('Documentation/process/gamma.rst',)


def test_preamble_is_not_a_section(fixture):
    assert 'Sections' not in names(fixture.sections)
    assert not any('preamble@' in m for s in fixture.sections for m in s.maintainers)
    assert fixture.sections_for('everything/x.c')[0].name == 'THE REST'


def test_no_sections_at_all():
    assert Maintainers.parse('Just prose.\n\n  Nothing else.\n').sections == []


def test_blank_line_inside_a_section_keeps_the_section():
    # get_maintainer.pl skips blank lines, so tags after one still belong
    # to the section above.
    m = Maintainers.parse('A\nM:\tA <a@x.org>\n\nF:\ta/\n')
    assert [(s.name, s.files) for s in m.sections] == [('A', ('a/',))]


def test_tag_without_whitespace_is_read_like_get_maintainer():
    m = Maintainers.parse('A\nF:a/\nM:  A <a@x.org>\n')
    assert m.sections[0].files == ('a/',)
    assert m.sections[0].maintainers == ('A <a@x.org>',)


@pytest.mark.parametrize(('text', 'line', 'bad'), [
    ('A\nM:\tA <a@x.org>\nm:\tlower case tag\n', 3, 'm:\tlower case tag'),
    ('A\nM:\tA <a@x.org>\n\tcontinuation of the line above\n', 3, '\tcontinuation of the line above'),
    ('A\nM:\tA <a@x.org>\nB SECTION WITHOUT A BLANK LINE\nF:\tb/\n', 3, 'B SECTION WITHOUT A BLANK LINE'),
    ('A\nF:\ta/\n\nB\nSECOND TITLE LINE\nM:\tA <a@x.org>\n', 5, 'SECOND TITLE LINE'),
    ('A\nF:\ta/\n\n  indented title\nF:\tb/\n', 4, '  indented title'),
    ('A\nF:\ta/\nF :\tb/\n', 3, 'F :\tb/'),
])
def test_malformed_line(text, line, bad):
    with pytest.raises(MaintainersError) as e:
        Maintainers.parse(text, path='some/MAINTAINERS')
    assert str(e.value) == f'some/MAINTAINERS:{line}: malformed line: {bad!r}'


def test_malformed_line_default_path_and_line_number():
    text = FIXTURE.replace('S:\tOrphan\n', 'S:\tOrphan\nstatus: orphan\n')
    line = text.splitlines().index('status: orphan') + 1
    with pytest.raises(MaintainersError, match=rf"^MAINTAINERS:{line}: malformed line: 'status: orphan'$"):
        Maintainers.parse(text)


def test_tag_before_any_title_is_an_error():
    with pytest.raises(MaintainersError, match=r'^MAINTAINERS:1: '):
        Maintainers.parse('F:\ta/\n')


def test_bad_regex_names_its_line():
    with pytest.raises(MaintainersError, match=r"^MAINTAINERS:3: bad regex '\(unclosed'"):
        Maintainers.parse('A\nF:\ta/\nN:\t(unclosed\n')
    with pytest.raises(MaintainersError, match=r'^MAINTAINERS:2: bad file pattern'):
        Maintainers.parse('A\nF:\ta/[b\n')


# -- F:/X: patterns -----------------------------------------------------------

@pytest.mark.parametrize(('pattern', 'path', 'expected'), [
    # A trailing slash: everything below, at any depth.
    ('drivers/net/', 'drivers/net/a/b/c.c', True),
    ('drivers/net/', 'drivers/net/x.c', True),
    ('drivers/net/', 'drivers/network.c', False),
    ('drivers/net/', 'drivers/net', False),
    # No trailing slash: a prefix with as many `/` as the path.
    ('drivers/foo.c', 'drivers/foo.c', True),
    ('drivers/foo.c', 'drivers/foo.c.orig', True),
    ('drivers/foo.c', 'drivers/foo.cpp', True),
    ('drivers/foo.c', 'drivers/foo.c/x.c', False),
    ('drivers/foo.c', 'drivers/fooxc', False),  # `.` is literal
    ('drivers/net', 'drivers/netdevice.c', True),  # not a directory: a name prefix
    ('drivers/net', 'drivers/net/x.c', False),
    # `*` and `?` cannot add path components to a non-directory pattern...
    ('drivers/*.c', 'drivers/a.c', True),
    ('drivers/*.c', 'drivers/a/b.c', False),
    ('drivers/*', 'drivers/a', True),
    ('drivers/*', 'drivers/a/b', False),
    ('drivers/?.c', 'drivers/a.c', True),
    ('drivers/?.c', 'drivers/ab.c', False),
    ('a?c', 'a/c', False),
    ('drivers/*/x.c', 'drivers/a/x.c', True),
    ('drivers/*/x.c', 'drivers/a/b/x.c', False),
    # ...and `**` is just `*` twice: get_maintainer has no globstar.
    ('drivers/**/x.c', 'drivers/a/x.c', True),
    ('drivers/**/x.c', 'drivers/a/b/x.c', False),
    # Under a trailing slash they do cross `/`.
    ('drivers/*/', 'drivers/a/b/c.c', True),
    ('drivers/*/', 'drivers/a.c', False),
    # Other regex syntax passes through: `[..]` is a class.
    ('sound/da[79]*.h', 'sound/da7213.h', True),
    ('sound/da[79]*.h', 'sound/da8.h', False),
    ('lib/c++', 'lib/cc', True),  # `+` is a quantifier
    ('lib/a|b', 'lib/b', True),
    ('lib/a|b', 'x/b', True),  # the `^` only anchors the first alternative
    ('lib/a|b', 'b', False),  # ...and the `/` count still has to agree
    # THE REST: top-level files, and everything in a subdirectory.
    ('*', 'Makefile', True),
    ('*', 'kernel/fork.c', False),
    ('*/', 'kernel/fork.c', True),
    ('*/', 'Makefile', False),
])
def test_file_pattern(pattern, path, expected):
    assert compile_file_pattern(pattern).matches(path) is expected


def test_pattern_naming_a_directory_gets_a_slash():
    directories = {'drivers/net', 'lib/foo.d'}
    as_dir = compile_file_pattern('drivers/net', directories.__contains__)
    assert as_dir.regex == 'drivers/net/'
    assert as_dir.matches('drivers/net/a/b.c')
    assert not as_dir.matches('drivers/netdevice.c')
    # get_maintainer tests `-d` on the converted regex, `lib/foo\.d`.
    assert compile_file_pattern('lib/foo.d', directories.__contains__).regex == r'lib/foo\.d'


@pytest.mark.parametrize(('pattern', 'depth'), [
    ('drivers/net/', 2),
    ('drivers/net/foo.c', 3),
    ('include/linux/alpha.h', 3),
    ('Makefile', 1),
    ('drivers/*/', 2),
    ('*', -1),
    ('*/', -1),
    ('*/foo/', -1),
])
def test_pattern_depth(pattern, depth):
    assert compile_file_pattern(pattern).depth == depth


_PATTERN_PARTS = st.sampled_from(['a', 'b', 'ab', '/', '.', '*', '?', '[ab]', 'a.b', 'b/'])
_PATH_PARTS = st.sampled_from(['a', 'b', '/', '.', 'ab', 'a.b'])


@settings(max_examples=150, deadline=None)
@given(
    patterns=st.lists(st.lists(_PATTERN_PARTS, min_size=1, max_size=6).map(''.join), min_size=1, max_size=12),
    paths=st.lists(st.lists(_PATH_PARTS, min_size=1, max_size=8).map(''.join), min_size=1, max_size=10),
)
def test_index_finds_exactly_what_brute_force_does(patterns, paths):
    index: PatternIndex[int] = PatternIndex()
    compiled = [compile_file_pattern(p) for p in patterns]
    for i, pattern in enumerate(compiled):
        index.add(pattern, i)
    for path in paths:
        found = sorted(i for i, _ in index.matching(path))
        assert found == [i for i, p in enumerate(compiled) if p.matches(path)], path


# -- which sections match ------------------------------------------------------

def test_deepest_pattern_first_then_file_order(fixture):
    assert names(fixture.sections_for('drivers/alpha/beta/x.c')) == [
        'BETA SUBSYSTEM',   # drivers/alpha/beta/: depth 3 (the last of its lines to match)
        'ALPHA DRIVER',     # drivers/alpha/: depth 2
        'THE REST',         # */: depth -1
    ]
    assert [(m.section.name, m.depth) for m in fixture.matches('drivers/alpha/beta/x.c')] == [
        ('BETA SUBSYSTEM', 3), ('ALPHA DRIVER', 2), ('THE REST', -1)]


def test_x_excludes_the_section(fixture):
    assert names(fixture.sections_for('drivers/alpha/legacy/old.c')) == ['THE REST']
    # N: still matches other sections; X: only removes its own section.
    assert names(fixture.sections_for('drivers/alpha/legacy/beta.c')) == ['BETA SUBSYSTEM', 'THE REST']


def test_n_regex_has_depth_zero_and_perl_x_flag(fixture):
    assert [(m.section.name, m.depth) for m in fixture.matches('fs/betafs/super.c')] == [
        ('BETA SUBSYSTEM', 0), ('THE REST', -1)]
    m = Maintainers.parse('A\nN:\tfo o  # spaces and comments are ignored (Perl /x)\n')
    assert names(m.sections_for('drivers/foo.c')) == ['A']
    assert names(m.sections_for('drivers/fo o.c')) == []


def test_last_matching_line_sets_the_depth(fixture):
    # `F: misc/last/deep/file.c` (depth 4) is overridden by the later `F: misc/`.
    assert [(m.section.name, m.depth) for m in fixture.matches('misc/last/deep/file.c')] == [
        ('LAST MATCH WINS', 1), ('THE REST', -1)]


def test_top_level_file_only_matches_the_rest(fixture):
    assert [(m.section.name, m.depth) for m in fixture.matches('Makefile')] == [('THE REST', -1)]


def test_paths_are_normalized(fixture):
    assert fixture.sections_for('./drivers//alpha/./a.c') == fixture.sections_for('drivers/alpha/a.c')


def test_keywords_need_content(fixture):
    assert names(fixture.sections_for('misc/other.c')) == ['LAST MATCH WINS', 'THE REST']
    content = 'int gamma_init(void);\n'
    assert names(fixture.sections_for('misc/other.c', content)) == [
        'LAST MATCH WINS', 'THE REST', 'GAMMA LIBRARY']
    matches = fixture.matches('misc/other.c', content)
    assert matches[-1].depth is None
    # A section already matched by path is not repeated.
    assert names(fixture.sections_for('lib/gamma/a.c', content)) == ['GAMMA LIBRARY', 'THE REST']


def test_keyword_sections_sort_by_line_index_as_text():
    # get_maintainer sorts K: hits by their @typevalue index as *strings*:
    # '10' sorts before '9', so the later section comes first.
    filler = ''.join(f'F:\tpad/{i}\n' for i in range(8))
    text = f'EARLY\n{filler}K:\tfoo\n\nLATE\nK:\tfoo\n'
    m = Maintainers.parse(text)
    assert [s.line for s in m.sections] == [1, 12]
    assert names(m.sections_for('x.c', 'foo')) == ['LATE', 'EARLY']


def test_pattern_depth_option(fixture):
    path = 'drivers/alpha/beta/x.c'  # 3 slashes
    assert names(fixture.sections_for(path, pattern_depth=1)) == ['BETA SUBSYSTEM']
    assert names(fixture.sections_for(path, pattern_depth=2)) == ['BETA SUBSYSTEM', 'ALPHA DRIVER']


def test_catch_all_and_most_specific(fixture):
    rest = fixture.sections[-1]
    rust = next(s for s in fixture.sections if s.name == 'RUST')
    assert rest.is_catch_all and rust.is_catch_all
    assert not fixture.sections[0].is_catch_all
    assert fixture.most_specific('rust/helpers/mutex.c').name == 'RUST HELPERS FOR LOCKS'
    assert fixture.most_specific('rust/helpers/spinlock.c').name == 'RUST HELPERS FOR LOCKS'
    assert fixture.most_specific('rust/helpers/bug.c').name == 'RUST'
    assert fixture.most_specific('Makefile').name == 'THE REST'
    assert fixture.most_specific('drivers/alpha/beta/x.c').name == 'BETA SUBSYSTEM'
    assert Maintainers.parse('A\nF:\ta/\n').most_specific('b.c') is None


# -- recipients ------------------------------------------------------------------

def test_route_rust_helper(fixture):
    assert fixture.route(['rust/helpers/mutex.c']) == Route(
        to=(
            'Lars Lock <lars@example.org>',
            'Ruth Rust <ruth@example.org>',
            'Ron Reviewer <ron@new.example.org>',  # .mailmap: <new> <old>
        ),
        cc=('locks@lists.example.org', 'rust-for-linux@vger.kernel.org', 'linux-kernel@vger.kernel.org'),
    )


def test_chief_penguin_is_dropped_but_lkml_kept(fixture):
    assert fixture.route(['Makefile']) == Route(to=(), cc=('linux-kernel@vger.kernel.org',))


def test_orphan_section_has_only_lists(fixture):
    assert fixture.route(['drivers/orphan.c']) == Route(
        to=(), cc=('orphans@lists.example.org', 'linux-kernel@vger.kernel.org'))


def test_lists_annotations_moderated_and_subscribers_only(fixture):
    route = fixture.route(['drivers/beta1.c'])
    assert route.to == ('"Beta, Bob" <bob@example.org>', '"Zo\u00eb Zeta" <zoe@example.org>')
    assert route.cc == ('beta@lists.example.org', 'linux-kernel@vger.kernel.org')


def test_duplicates_by_name_or_address_case_insensitively(fixture):
    # GAMMA repeats Alice with an upper-case address, and another name on
    # the same address: both are dropped; the list repeats in upper case.
    route = fixture.route(['drivers/alpha/a.c', 'lib/gamma/g.c'])
    assert route.to == (
        'Alice Alpha <alice@example.org>',
        '"Rita R. Reviewer" <rita@example.org>',  # .mailmap: name for an address
        'Gina Gamma <gina@example.org>',          # .mailmap: new name and address
    )
    assert route.cc == ('alpha-devel@lists.example.org', 'linux-kernel@vger.kernel.org')


def test_reviewers_are_to_and_not_cc(fixture):
    route = fixture.route(['drivers/alpha/a.c'])
    assert '"Rita R. Reviewer" <rita@example.org>' in route.to
    assert route.cc == ('alpha-devel@lists.example.org', 'linux-kernel@vger.kernel.org')


def test_recipients_are_get_maintainer_lines(fixture):
    paths = ['drivers/alpha/a.c']
    assert fixture.recipients(paths) == [
        'Alice Alpha <alice@example.org>', '"Rita R. Reviewer" <rita@example.org>',
        'alpha-devel@lists.example.org', 'linux-kernel@vger.kernel.org']
    assert fixture.recipients(paths, lists=False) == [
        'Alice Alpha <alice@example.org>', '"Rita R. Reviewer" <rita@example.org>']
    assert fixture.recipients(paths, maintainers=False) == [
        '"Rita R. Reviewer" <rita@example.org>', 'alpha-devel@lists.example.org', 'linux-kernel@vger.kernel.org']


def test_address_lists_comments_and_named_lists(fixture):
    route = fixture.route(['lib/delta.c'])
    assert route.to == (
        'Dan Delta <dan@example.org>',
        'Dora Delta <dora@example.org>',
        '"Ji-Ze Someone (Nickname)" <ji@example.org>',
    )
    # `L: Delta Team <delta@example.org>` is read as the list `Delta`, which
    # has no address: get_maintainer prints an empty line for it.
    assert fixture.recipients(['lib/delta.c'], maintainers=False) == ['', 'linux-kernel@vger.kernel.org']
    assert route.cc == ('linux-kernel@vger.kernel.org',)


def test_mailmap_name_and_address_keyed_by_wrong_email(fixture):
    assert fixture.route(['misc/x.c']).to == ('Lena Last <lena@new.example.org>',)


def test_yaml_files_add_the_people_they_name(fixture):
    path = 'Documentation/devicetree/bindings/delta/widget.yaml'
    text = 'title: Widget\n\nmaintainers:\n  - Yolanda Q. Yaml <yolanda@example.org>\n  - Dan Delta <dan@example.org>\n'
    assert fixture.route([path]).to == (
        'Dan Delta <dan@example.org>', 'Dora Delta <dora@example.org>', '"Ji-Ze Someone (Nickname)" <ji@example.org>')
    route = fixture.route([path], {path: text})
    assert route.to[-1] == '"Yolanda Q. Yaml" <yolanda@example.org>'
    assert len(route.to) == 4
    # Other files' contents are not read for addresses.
    assert fixture.route(['lib/delta.c'], {'lib/delta.c': text}).to == fixture.route(['lib/delta.c']).to


def test_keywords_in_file_for_routing(fixture):
    contents = {'misc/other.c': 'static void delta_magic(void) {}\n'}
    assert fixture.route(['misc/other.c'], contents).to == ('Lena Last <lena@new.example.org>',)
    route = fixture.route(['misc/other.c'], contents, keywords_in_file=True)
    assert route.to == ('Lena Last <lena@new.example.org>', 'Dan Delta <dan@example.org>',
                        'Dora Delta <dora@example.org>', '"Ji-Ze Someone (Nickname)" <ji@example.org>')


def test_route_of_several_files_is_one_union(fixture):
    one = fixture.route(['drivers/beta1.c', 'rust/helpers/mutex.c'])
    assert one.to == ('"Beta, Bob" <bob@example.org>', '"Zo\u00eb Zeta" <zoe@example.org>',
                      'Lars Lock <lars@example.org>', 'Ruth Rust <ruth@example.org>',
                      'Ron Reviewer <ron@new.example.org>')
    # Files are taken in turn: the first one's THE REST brings in LKML.
    assert one.cc == ('beta@lists.example.org', 'linux-kernel@vger.kernel.org', 'locks@lists.example.org',
                      'rust-for-linux@vger.kernel.org')
    assert fixture.route(['drivers/beta1.c', 'drivers/beta1.c']) == fixture.route(['drivers/beta1.c'])


# -- email helpers ------------------------------------------------------------------

@pytest.mark.parametrize(('text', 'expected'), [
    ('Alice Alpha <alice@example.org>', ('Alice Alpha', 'alice@example.org')),
    ('"Beta, Bob" <bob@example.org>', ('"Beta, Bob"', 'bob@example.org')),
    ('Zo\u00eb <zoe@example.org>', ('"Zo\u00eb"', 'zoe@example.org')),
    ("Theodore Ts'o <t@example.org>", ('"Theodore Ts\'o"', 't@example.org')),
    ('Ann-Marie Dash <a@example.org> (a comment)', ('Ann-Marie Dash', 'a@example.org')),
    ('<bare@example.org>', ('', 'bare@example.org')),
    ('bare@example.org', ('', 'bare@example.org')),
    ('no address here', ('', '')),
    ('Say "Hi" There <h@example.org>', (r'"Say \"Hi\" There"', 'h@example.org')),
])
def test_parse_email(text, expected):
    assert parse_email(text) == expected


def test_format_email():
    assert format_email('"Beta, Bob"', 'bob@example.org') == '"Beta, Bob" <bob@example.org>'
    assert format_email('', ' x@example.org ') == 'x@example.org'


@pytest.mark.parametrize(('value', 'expected'), [
    ('A <a@x.org>', ('A <a@x.org>',)),
    ('A <a@x.org>, B <b@x.org>', ('A <a@x.org>', 'B <b@x.org>')),
    ('Jan H. Doe <j@x.org>', ('Jan H. Doe <j@x.org>',)),  # not RFC 822: kept whole
    ('Doe, Jan <j@x.org>', ('Doe, Jan <j@x.org>',)),
    ('A (c) <a@x.org>', ('A (c) <a@x.org>',)),
    ('\u0141ukasz <l@x.org>, B <b@x.org>', ('\u0141ukasz <l@x.org>, B <b@x.org>',)),  # not Latin-1
])
def test_split_addresses(value, expected):
    assert split_addresses(value) == expected


def test_mailmap_forms():
    mailmap = Mailmap.parse(MAILMAP)
    assert mailmap.rewrite('Whoever <rita@example.org>') == '"Rita R. Reviewer" <rita@example.org>'
    assert mailmap.rewrite('Ron <ron@example.org>') == 'Ron <ron@new.example.org>'
    assert mailmap.rewrite('G <gina@old.example.org>') == 'Gina Gamma <gina@example.org>'
    assert mailmap.rewrite('Lena Wrong <lena@example.org>') == 'Lena Last <lena@new.example.org>'
    assert mailmap.rewrite('Lena Other <lena@example.org>') == 'Lena Other <lena@example.org>'
    assert Mailmap.parse('').rewrite('"A" <a@x.org>') == 'A <a@x.org>'


def test_emails_in_text_guesses_names_like_get_maintainer():
    text = textwrap.dedent('''\
        maintainers:
          - John Ronald Reuel Tolkien <jrrt@example.org>
          - J. R. Tolkien <short@example.org>
          - "Quoted Person" <quoted@example.org>
        contact: plain@example.org
    ''')
    assert emails_in_text(text) == [
        'Reuel Tolkien <jrrt@example.org>',
        '"J. R. Tolkien" <short@example.org>',
        'Quoted Person <quoted@example.org>',
        'plain@example.org',
    ]
