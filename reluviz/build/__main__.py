"""``python -m reluviz.build [--config properdocs.yml] OUT``: write the site's generated files into OUT.

A failure is one line on standard error and exit code 2. With ``--exit-with-parent`` (as gen/ runs it), standard
input is a pipe from the process that started this one, and its end means that process is gone: then this one
stops too, and its workers with it.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from pathlib import Path


def _exit_when_stdin_closes() -> None:
    def watch() -> None:
        while os.read(0, 1):  # the descriptor itself: a buffered read would hold a lock at interpreter exit
            pass
        os._exit(3)

    threading.Thread(target=watch, daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reluviz.build", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder to write into")
    parser.add_argument("--config", type=Path, default=Path("properdocs.yml"), help="the site's configuration file")
    parser.add_argument("--exit-with-parent", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.exit_with_parent:
        _exit_when_stdin_closes()
    logging.basicConfig(level=logging.INFO, format="reluviz.build: %(message)s", stream=sys.stderr)
    from .generate import generate
    from .workers import BuildError

    try:
        generate(args.config.resolve(), args.out.resolve())
    except BuildError as error:
        print(f"reluviz.build: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("reluviz.build: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
