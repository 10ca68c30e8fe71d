"""Email addresses the way the kernel's scripts/get_maintainer.pl handles them.

get_maintainer.pl never uses a real address parser: it has a few regexes
that split `Name <addr>`, quote names with unusual characters, rewrite them
through .mailmap, and an RFC 822 validator that decides whether an `M:` line
holds one address or a comma separated list. To print exactly what it
prints, each of those is ported here as it is, quirks included.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from typing import Protocol

# `Name <addr@host>` (the last `>` ends the address: the regexes are greedy),
# then `<addr@host>`, then a bare `addr@host`.
_NAME_AND_ADDRESS = re.compile(r'^([^<]+)<(.+@.*)>.*$')
_BRACKETED_ADDRESS = re.compile(r'^\s*<(.+@\S*)>.*$')
_BARE_ADDRESS = re.compile(r'^(.+@\S*).*$')
_EDGE_SPACE = re.compile(r'^\s+|\s+$')
_EDGE_QUOTE = re.compile(r'^"|"$')
# Perl's /[^\w \-]/a: anything but ASCII word characters, space and dash.
_MUST_QUOTE = re.compile(r'[^A-Za-z0-9_ \-]')
_UNESCAPED_QUOTE = re.compile(r'(?<!\\)"')


def escape_name(name: str) -> str:
    """Quote a display name that holds anything but ASCII words, spaces and dashes."""
    if _MUST_QUOTE.search(name):
        name = _UNESCAPED_QUOTE.sub(r'\\"', name)
        name = f'"{name}"'
    return name


@functools.lru_cache(maxsize=65536)
def parse_email(text: str) -> tuple[str, str]:
    """Split `Name <addr>` into (escaped name, address); ('', '') if there is no `@`."""
    name = address = ''
    if m := _NAME_AND_ADDRESS.match(text):
        name, address = m.group(1), m.group(2)
    elif m := _BRACKETED_ADDRESS.match(text):
        address = m.group(1)
    elif m := _BARE_ADDRESS.match(text):
        address = m.group(1)
    name = _EDGE_QUOTE.sub('', _EDGE_SPACE.sub('', name))
    return escape_name(name), _EDGE_SPACE.sub('', address)


@functools.lru_cache(maxsize=65536)
def format_email(name: str, address: str) -> str:
    """`Name <addr>`, or the bare address when there is no name."""
    name = escape_name(_EDGE_QUOTE.sub('', _EDGE_SPACE.sub('', name)))
    address = _EDGE_SPACE.sub('', address)
    return f'{name} <{address}>' if name else address


def address_of(email: str) -> str:
    """The lower-cased address of a formatted entry: what To and Cc are deduplicated on."""
    return parse_email(email)[1].lower()


@dataclass
class Mailmap:
    """The .mailmap rewrites get_maintainer.pl applies to every address it prints.

    Keys are either a bare address or, for `Proper <new> Wrong <old>` lines,
    the formatted `Wrong <old>` string, which takes precedence.
    """

    names: dict[str, str] = field(default_factory=dict)
    addresses: dict[str, str] = field(default_factory=dict)
    _rewritten: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def parse(cls, text: str) -> Mailmap:
        mailmap = cls()
        for raw in text.split('\n'):  # Perl's lines: not splitlines()' extra separators
            line = raw.split('#', 1)[0].strip()
            if line:
                mailmap._add(line)
        return mailmap

    def _add(self, line: str) -> None:
        # The four shapes of `man git-shortlog`, tried in get_maintainer's order.
        if m := re.match(r'^([^<]+)<([^>]+)>$', line):
            real_name, address = parse_email(f'{m.group(1).rstrip()} <{m.group(2)}>')
            self.names[address] = real_name
        elif m := re.match(r'^<([^>]+)>\s*<([^>]+)>$', line):
            self.addresses[m.group(2)] = m.group(1)
        elif m := re.match(r'^(.+)<([^>]+)>\s*<([^>]+)>$', line):
            real_name, real_address = parse_email(f'{m.group(1).rstrip()} <{m.group(2)}>')
            self.names[m.group(3)] = real_name
            self.addresses[m.group(3)] = real_address
        elif m := re.match(r'^(.+)<([^>]+)>\s*(.+)\s*<([^>]+)>$', line):
            real_name, real_address = parse_email(f'{m.group(1).rstrip()} <{m.group(2)}>')
            wrong_name, wrong_address = parse_email(f'{m.group(3).rstrip()} <{m.group(4)}>')
            wrong_email = format_email(wrong_name, wrong_address)
            self.names[wrong_email] = real_name
            self.addresses[wrong_email] = real_address

    def rewrite(self, email: str) -> str:
        """The canonical `Name <addr>` for an entry (get_maintainer's mailmap_email)."""
        if (cached := self._rewritten.get(email)) is None:
            cached = self._rewritten[email] = self._rewrite(email)
        return cached

    def _rewrite(self, email: str) -> str:
        name, address = parse_email(email)
        key = format_email(name, address)
        if key not in self.names and key not in self.addresses:
            key = address
        return format_email(self.names.get(key, name), self.addresses.get(key, address))


# RFC 822, transcribed from get_maintainer.pl's make_rfc822re(). It only
# decides whether an M:/R: value is one address or a list of them.
_LWSP = r'(?:(?:\r\n)?[ \t])'
_SPECIALS = r'()<>@,;:\\".\[\]'
_CONTROLS = r'\x00-\x1f\x7f'


def _make_rfc822re() -> str:
    dtext = r'[^\[\]\r\\]'
    domain_literal = rf'\[(?:{dtext}|\\.)*\]{_LWSP}*'
    quoted_string = rf'"(?:[^\"\r\\]|\\.|{_LWSP})*"{_LWSP}*'
    # The lookahead ends an atom without backtracking into lwsp.
    atom = rf'[^{_SPECIALS} {_CONTROLS}]+(?:{_LWSP}+|\Z|(?=[\["{_SPECIALS}]))'
    word = rf'(?:{atom}|{quoted_string})'
    localpart = rf'{word}(?:\.{_LWSP}*{word})*'
    sub_domain = rf'(?:{atom}|{domain_literal})'
    domain = rf'{sub_domain}(?:\.{_LWSP}*{sub_domain})*'
    addr_spec = rf'{localpart}@{_LWSP}*{domain}'
    phrase = rf'{word}*'
    route = rf'(?:@{domain}(?:,@{_LWSP}*{domain})*:{_LWSP}*)'
    route_addr = rf'<{_LWSP}*{route}?{addr_spec}>{_LWSP}*'
    mailbox = rf'(?:{addr_spec}|{phrase}{route_addr})'
    group = rf'{phrase}:{_LWSP}*(?:{mailbox}(?:,\s*{mailbox})*)?;\s*'
    address = rf'(?:{mailbox}|{group})'
    return rf'{_LWSP}*{address}'


_RFC822 = _make_rfc822re()
_RFC822_ONE = re.compile(rf'(?:{_RFC822})$', re.S)
_RFC822_LIST = re.compile(rf'(?:{_RFC822})?(?:,(?:{_RFC822})?)*$', re.S)
_RFC822_LIST_ITEM = re.compile(rf'(?:^|,{_LWSP}*)({_RFC822})', re.S)
_LATIN1_ONLY = re.compile(r'[\x00-\xff]*$')
_COMMENT = re.compile(
    r'^((?:[^"\\]|\\.)*(?:"(?:[^"\\]|\\.)*"(?:[^"\\]|\\.)*)*)\((?:[^()\\]|\\.)*\)', re.S,
)


def _strip_comments(text: str) -> str:
    while True:
        text, count = _COMMENT.subn(r'\1 ', text, count=1)
        if not count:
            return text


@functools.lru_cache(maxsize=4096)
def split_addresses(value: str) -> tuple[str, ...]:
    """The entries get_maintainer.pl pushes for one M:/R: value.

    A valid single address is kept as written (comments and all); a valid
    list is split into its comment-stripped items; anything else is kept
    whole and left to parse_email.
    """
    stripped = _strip_comments(value)
    if not _LATIN1_ONLY.match(stripped):
        return (value,)
    if _RFC822_ONE.match(stripped):
        return (value,)
    if _RFC822_LIST.match(stripped):
        items = []
        for m in _RFC822_LIST_ITEM.finditer(stripped):
            if not m.group(1) or m.group(1) == '0':
                break  # Perl's `while (my $entry = shift ...)` stops on a false value
            items.append(m.group(1))
        return tuple(items)
    return (value,)


# get_maintainer.pl also mails the people a .yaml binding names in its text
# (maintainers_in_file/clean_file_emails). \p{L} is approximated by Python's
# "word character that is neither a digit nor `_`".
_LETTER = r'[^\W\d_]'
_POSSIBLE_EMAIL = re.compile(
    rf'(?:{_LETTER}|["\' ,.+-])*\s*,*\s*[(<{{]?'
    r'[A-Za-z0-9_.+-]+@[A-Za-z0-9.-]+\.[A-Za-z0-9]+[)>}]?',
)
_ANY_BRACKETED_ADDRESS = re.compile(r'[(<{]?([A-Za-z0-9_.+-]+@[A-Za-z0-9.-]+)[)>}]?')
_QUOTED = re.compile(r'^"(.*)"$')
_NAME_PUNCTUATION = "',.+-"


def _name_words(name: str) -> list[str]:
    # Perl's split(/[^\p{L}\'\,\.\+-]/, $name): leading empty fields stay,
    # trailing ones go.
    words = ['']
    for char in name:
        if char.isalpha() or char in _NAME_PUNCTUATION:
            words[-1] += char
        else:
            words.append('')
    while words and not words[-1]:
        words.pop()
    return words


def _is_initial(word: str) -> bool:
    return len(word) == 1 or (len(word) == 2 and word.endswith('.'))


def emails_in_text(text: str) -> list[str]:
    """`Name <addr>` for every address in a file's text, named as get_maintainer guesses."""
    emails = []
    for candidate in _POSSIBLE_EMAIL.findall(text):
        candidate = _ANY_BRACKETED_ADDRESS.sub(r'<\1>', candidate)
        name, address = parse_email(candidate)
        name = _QUOTED.sub(r'\1', name)
        words = [w for w in _name_words(name) if not (len(w) == 1 and w in _NAME_PUNCTUATION)]
        # Keep the last two names, or three when one of them looks like an initial.
        if len(words) > 2:
            first, middle, last = words[-3:]
            if (len(first) == 1 and first.isalpha()) or (len(first) == 2 and first.endswith('.')) \
                    or _is_initial(middle):
                name = f'{first} {middle} {last}'
            else:
                name = f'{middle} {last}'
        else:
            name = ' '.join(words)
        if name[-1:] in (',', '.'):
            name = name[:-1]
        if name[:1] in (',', '.'):
            name = name[1:]
        emails.append(format_email(name, address))
    return emails


# get_maintainer.pl's @penguin_chief, removed unless --git-chief-penguins.
# It is used as a regex, as get_maintainer.pl does.
_CHIEF_PENGUIN = re.compile(format_email('Linus Torvalds', 'torvalds@linux-foundation.org'))


class Tagged(Protocol):
    @property
    def tag(self) -> str: ...

    @property
    def value(self) -> str: ...


class RecipientList:
    """The people and lists of one get_maintainer.pl run, in its order.

    get_maintainers(), add_categories(), push_email_address() and
    deduplicate_email() of the Perl script, for `--nogit --norolestats`.
    """

    def __init__(self, mailmap: Mailmap, *, maintainers: bool, reviewers: bool, lists: bool) -> None:
        self.mailmap = mailmap
        self.want = {'M': maintainers, 'R': reviewers}
        self.lists = lists
        self.email_to: list[str] = []
        self.names_in_use: set[str] = set()
        self.addresses_in_use: set[str] = set()
        self.list_to: list[str] = []
        self.lists_seen: set[str] = set()
        self.sections_added: set[object] = set()

    def add_section(self, key: object, entries: Iterable[Tagged]) -> None:
        """Add a matched section's M:, R: and L: entries (.tag, .value)."""
        # A second visit could only re-add what the first one did: skip it.
        if key in self.sections_added:
            return
        self.sections_added.add(key)
        for entry in entries:
            if entry.tag == 'L':
                self._add_list(entry.value)
            elif self.want.get(entry.tag):
                for email in split_addresses(entry.value):
                    self._push_email(email)

    def _add_list(self, value: str) -> None:
        address, annotation = value, ''
        if m := re.search(r'(\S+)\s+(.*)$', value):
            address, annotation = m.group(1), m.group(2)
        if 'subscribers-only' in annotation or not self.lists:
            return
        if address.lower() not in self.lists_seen:  # moderated lists are kept (--moderated)
            self.lists_seen.add(address.lower())
            self.list_to.append(address)

    def _push_email(self, text: str) -> None:
        name, address = parse_email(text)
        if not address:
            return
        if (name and name.lower() in self.names_in_use) or address.lower() in self.addresses_in_use:
            return
        self.email_to.append(format_email(name, address))
        if name:
            self.names_in_use.add(name.lower())
        self.addresses_in_use.add(address.lower())

    def finish(self, file_emails: list[str]) -> list[str]:
        """The lines get_maintainer prints: people, then lists.

        `file_emails` are the addresses found in the files themselves; as in
        the Perl script they come after the deduplication and the removal
        of the chief penguin.
        """
        # The same person spelled twice is printed the way it was seen first.
        by_name: dict[str, tuple[str, str]] = {}
        by_address: dict[str, tuple[str, str]] = {}

        def deduplicate(email: str) -> str:
            name, address = parse_email(self.mailmap.rewrite(email))
            if name and name.lower() in by_name:
                name, address = by_name[name.lower()]
            elif address.lower() in by_address:
                name, address = by_address[address.lower()]
            else:
                by_name[name.lower()] = by_address[address.lower()] = (name, address)
            return self.mailmap.rewrite(format_email(name, address))

        self.email_to = [deduplicate(e) for e in self.email_to]
        self.list_to = [deduplicate(e) for e in self.list_to]
        self.email_to = [e for e in self.email_to if not _CHIEF_PENGUIN.search(e)]
        for email in file_emails:
            name, address = parse_email(self.mailmap.rewrite(email))
            self._push_email(format_email(name, address))
        return list(dict.fromkeys(self.email_to + self.list_to))
