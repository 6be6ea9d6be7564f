"""One build at a time into one site folder: two builds started into it at the same instant would clean and write
each other's files. A build holds an advisory lock on a file beside the folder while it runs; a second one is refused
at once with a line that says what to do. The operating system drops the lock when the process ends, however it ends.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class SiteBusyError(RuntimeError):
    """Another build is writing into the same site folder."""


class SiteLock:
    """The lock of the site folder ``site_dir``, held from `acquire` to `release`."""

    def __init__(self, site_dir: Path) -> None:
        self.path = site_dir.parent / f".{site_dir.name}.build-lock"
        self.handle: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            raise SiteBusyError(f"another build is writing into {self.path.parent / self.path.name[1:-len('.build-lock')]}; "
                                "wait for it to finish, or build into another folder (-d FOLDER)") from None
        self.handle = handle

    def release(self) -> None:
        if self.handle is not None:
            os.close(self.handle)  # closing the file releases the lock
            self.handle = None
