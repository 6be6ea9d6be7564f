"""The toolchain that drew the published figures, and whether this installation is the same.

A figure's bytes depend on the numpy and matplotlib that drew it; its data do not. The site is built from the lock
files in requirements/, and the package ships the versions they pin (``toolchain.json``, written by
``bash requirements/refresh.sh``), so that ``reluviz figure`` can say when it cannot promise the published bytes.
Every figure file and the manifest name the versions that drew them (`drawn_with`, `installed_versions`).

Nothing here imports numpy or matplotlib: the build's main process reads their versions too, and must not.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path

RECORD = Path(__file__).resolve().parent / "toolchain.json"
DRAWING_LIBRARIES = ("numpy", "matplotlib")
"""The libraries whose versions change a figure's bytes."""
INSTALL = "pip install -r requirements/build.txt && pip install --no-deps -e ."
"""How to install the locked toolchain in a checkout of the source (the gallery, the README and the warning say it)."""


def recorded_versions() -> dict[str, str]:
    """What the published figures were drawn with: each of `DRAWING_LIBRARIES` and ``python`` (its minor version).

    Raises
    ------
    OSError, ValueError
        If the package's ``toolchain.json`` is missing or is not a JSON object of strings.
    """
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    if not isinstance(record, dict) or not all(isinstance(v, str) for v in record.values()):
        raise ValueError(f"{RECORD} must hold a JSON object of version strings")
    return record


def installed_versions() -> dict[str, str]:
    """This installation's `DRAWING_LIBRARIES` versions and ``python``, its minor version (read from the installed
    distributions' metadata, not by importing them)."""
    versions = {name: metadata.version(name) for name in DRAWING_LIBRARIES}
    return versions | {"python": f"{sys.version_info.major}.{sys.version_info.minor}"}


def describe(versions: Mapping[str, str]) -> str:
    """A toolchain in words, as figure files name it: ``"numpy 2.4.6, matplotlib 3.11.2, Python 3.11"``."""
    return ", ".join([*(f"{name} {versions[name]}" for name in DRAWING_LIBRARIES), f"Python {versions['python']}"])


def drawn_with() -> str:
    """What draws figures in this installation, in words (`describe`)."""
    return describe(installed_versions())


def mismatch_note(out: str) -> str | None:
    """One line saying that file ``out`` is made with other numpy or matplotlib versions than the published figures,
    or None when they are the same. Its bytes may then differ; its data do not, beyond rounding error (another numpy
    moved the last bits of figure xor's least-squares fit)."""
    try:
        recorded = recorded_versions()
    except (OSError, ValueError):
        return (f"this installation has no record of the versions that drew the site's figures ({RECORD.name}), so "
                f"{out} may or may not be the published file byte for byte; its data (the .json) are the same beyond "
                "rounding error")
    installed = installed_versions()
    if all(recorded.get(name) == installed[name] for name in DRAWING_LIBRARIES):
        return None
    theirs = " and ".join(f"{name} {recorded.get(name, 'unrecorded')}" for name in DRAWING_LIBRARIES)
    ours = " and ".join(f"{name} {installed[name]}" for name in DRAWING_LIBRARIES)
    return (f"the site's figures were drawn with {theirs}, this is {ours}: the bytes of {out} may differ from the "
            f"published file, its data (the .json) do not beyond rounding error; `{INSTALL}` installs the site's versions")


def pinned_in(lock_text: str) -> dict[str, str]:
    """The version a pip requirements file pins (``name==version``) for each of `DRAWING_LIBRARIES`.

    Raises
    ------
    ValueError
        If the file pins one of them not at all, or more than once, or only for some Pythons or platforms (an
        environment marker): then the published figures would have no one toolchain.
    """
    pinned = {}
    for name in DRAWING_LIBRARIES:
        found = re.findall(rf"^{name}==([^\s;\\]+)([^\\\n]*)", lock_text, flags=re.MULTILINE | re.IGNORECASE)
        if len(found) != 1 or found[0][1].strip():
            pins = ", ".join(f"{version}{marker.rstrip()}" for version, marker in found) or "none"
            raise ValueError(f"the lock file must pin {name} once, for every Python and platform; it pins {pins}")
        pinned[name] = found[0][0]
    return pinned


def main(argv: Sequence[str] | None = None) -> None:
    """Write the record from the site's lock file, after checking that the other lock files pin the same versions
    (so the tests run the toolchain the site is built with). Run as a script, by requirements/refresh.sh."""
    parser = argparse.ArgumentParser(description="Write reluviz/toolchain.json from the lock files.")
    parser.add_argument("--python", required=True, help="the minor version of Python the site is built with, e.g. 3.11")
    parser.add_argument("site_lock", type=Path, help="the lock file the site is built from")
    parser.add_argument("other_locks", type=Path, nargs="*", help="lock files that must pin the same drawing libraries")
    args = parser.parse_args(argv)
    versions = pinned_in(args.site_lock.read_text(encoding="utf-8"))
    for other in args.other_locks:
        theirs = pinned_in(other.read_text(encoding="utf-8"))
        if theirs != versions:
            parser.exit(1, f"{other} pins {theirs}, but {args.site_lock} pins {versions}\n")
    record = versions | {"python": args.python}
    RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
