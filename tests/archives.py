"""Sample mails of our own, and real archives to put them in: a public-inbox
v2 inbox (Debian's public-inbox: public-inbox-init -V2, public-inbox-mda),
a maildir and an mbox."""
from __future__ import annotations

import os
import shutil
import subprocess
from email import policy
from email.message import EmailMessage
from pathlib import Path

LIST = 'rust-for-linux@vger.example.org'
AUTHOR = 'Zed Ap <zed@example.org>'


def new_file_diff(path: str, text: str) -> str:
    lines = text.splitlines(keepends=True)
    return (f'diff --git a/{path} b/{path}\nnew file mode 100644\nindex 0000000..1234567\n'
            f'--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{len(lines)} @@\n'
            + ''.join('+' + line for line in lines))


def helper_file(*names: str, annotated: bool = False) -> str:
    out = '// SPDX-License-Identifier: GPL-2.0\n\n#include <linux/zap.h>\n'
    for name in names:
        mark = '__rust_helper ' if annotated else ''
        out += f'\n{mark}void rust_helper_{name}(struct zap *z)\n{{\n\t{name}(z);\n}}\n'
    return out


def mail(msgid: str, subject: str, body: str, *, refs: tuple[str, ...] = (), date: str = 'Mon, 3 Mar 2025 10:00:00 +0000',
         sender: str = AUTHOR, cte: str = '8bit') -> bytes:
    msg = EmailMessage(policy=policy.default)
    msg['From'] = sender
    msg['To'] = LIST
    msg['Cc'] = 'Miguel Ojeda <ojeda@example.org>'
    msg['Subject'] = subject
    msg['Date'] = date
    msg['Message-ID'] = f'<{msgid}>'
    if refs:
        msg['In-Reply-To'] = f'<{refs[-1]}>'
        msg['References'] = ' '.join(f'<{r}>' for r in refs)
    msg.set_content(body, cte=cte)
    return msg.as_bytes()


def patch_mail(msgid: str, subject: str, diff: str, **kwargs) -> bytes:
    body = f'Add the helpers.\n\nSigned-off-by: {AUTHOR}\n---\n{diff}-- \n2.39.5\n'
    return mail(msgid, subject, body, **kwargs)


def need(tool: str) -> str:
    path = shutil.which(tool)
    assert path, f'{tool} is needed (Debian package public-inbox; .ci/setup installs it)'
    return path


class PublicInbox:
    """A v2 inbox made and fed by public-inbox's own tools."""

    def __init__(self, root: Path) -> None:
        self.home = root / 'pi-home'
        self.path = root / 'inbox'
        self.home.mkdir()
        self.env = {**os.environ, 'HOME': str(self.home), 'PI_CONFIG': str(self.home / 'config'),
                    'ORIGINAL_RECIPIENT': LIST}
        subprocess.run([need('public-inbox-init'), '-V2', '-L', 'basic', 'rfl', str(self.path),
                        'https://example.org/rfl', LIST], env=self.env, check=True, capture_output=True)
        # No spam filter here (public-inbox-mda asks spamc by default).
        subprocess.run(['git', 'config', '-f', self.env['PI_CONFIG'], 'publicinboxmda.spamcheck', 'none'],
                       check=True)

    def deliver(self, *mails: bytes) -> None:
        for data in mails:
            proc = subprocess.run([need('public-inbox-mda'), '--no-precheck'], input=data, env=self.env,
                                  capture_output=True)
            assert proc.returncode == 0, proc.stderr


class Maildir:
    def __init__(self, root: Path) -> None:
        self.path = root / 'Maildir'
        for sub in ('cur', 'new', 'tmp'):
            (self.path / sub).mkdir(parents=True)
        self.count = 0

    def deliver(self, *mails: bytes) -> None:
        for data in mails:
            self.count += 1
            name = f'{1741000000 + self.count}.M{self.count}P1.example'
            (self.path / 'tmp' / name).write_bytes(data)
            os.rename(self.path / 'tmp' / name, self.path / 'new' / name)

    def read_all(self) -> None:
        """What a mail reader does: move new/ to cur/ with flags."""
        for entry in (self.path / 'new').iterdir():
            os.rename(entry, self.path / 'cur' / f'{entry.name}:2,S')


class Mbox:
    def __init__(self, root: Path) -> None:
        self.path = root / 'list.mbox'
        self.path.write_bytes(b'')

    def deliver(self, *mails: bytes) -> None:
        with open(self.path, 'ab') as f:
            for data in mails:
                body = b'\n'.join(b'>' + line if line.startswith(b'From ') else line
                                  for line in data.split(b'\n'))
                f.write(b'From zed@example.org Mon Mar  3 10:00:00 2025\n' + body.rstrip(b'\n') + b'\n\n')


KINDS = {'public-inbox': PublicInbox, 'maildir': Maildir, 'mbox': Mbox}
