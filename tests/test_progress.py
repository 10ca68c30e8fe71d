"""The progress line: on a terminal only, and only once a run is long."""
from __future__ import annotations

import io

import pytest

from codemod.plumbing import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def clock(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(progress.time, 'monotonic', lambda: now[0])
    return now


@pytest.mark.parametrize(('stream', 'seconds'), (
    pytest.param(io.StringIO, 5.0, id='pipe'),
    pytest.param(Terminal, 0.5, id='short-run-on-a-terminal'),
))
def test_quiet(clock, stream, seconds):
    out = stream()
    with progress.Progress(10, 'scanning', out) as p:
        for _ in range(10):
            clock[0] += seconds / 10
            p.step()
    assert out.getvalue() == ''


def test_shown_then_cleared_on_a_long_run(clock):
    out = Terminal()
    with progress.Progress(4, 'scanning', out) as p:
        clock[0] += 2
        p.step(2)
    text = out.getvalue()
    assert text.startswith('\rscanning [' + '#' * 15)
    assert ' 2/4' in text
    assert text.endswith('\r\033[K')
