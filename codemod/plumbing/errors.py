"""The one shape of error the CLI prints: `path: error: message`, exit 2."""
from __future__ import annotations

import os

# Exit codes of every command.
EXIT_CLEAN = 0       # nothing found, nothing changed
EXIT_FINDINGS = 1    # findings reported, or files changed
EXIT_ERROR = 2       # bad usage or input


class PathError(Exception):
    def __init__(self, path: str | os.PathLike[str], message: str) -> None:
        super().__init__(f'{path}: error: {message}')
        self.path = str(path)
        self.message = message
