"""Which published files a move to other versions would change: two builds of the site compared file by file.

    python .ci/compare_sites.py LOCKED_SITE OTHER_SITE [LOCKED_VERSIONS OTHER_VERSIONS]

prints a Markdown report: the packages whose versions differ (from two ``pip freeze`` outputs or lock files, if
given), then the files only one build has and the files whose bytes differ, the figures first. The weekly "newest"
workflow (.github/workflows/newest.yml) uploads it, so that a refresh of the lock files is decided with it in hand.
The exit code is 0 whatever differs: a difference is news, not a failure.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def files(site: Path) -> dict[str, bytes]:
    """Every file of a built site, by its path in the site."""
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def versions(freeze: Path) -> dict[str, str]:
    """The ``name==version`` lines of a ``pip freeze`` output, by normalised name (editable installs left out)."""
    found = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", freeze.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in found}


def report(locked_site: Path, other_site: Path, freezes: list[Path]) -> str:
    lines = [f"# Published files: {other_site} against the locked build {locked_site}", ""]
    if freezes:
        locked, other = versions(freezes[0]), versions(freezes[1])
        moved = [f"- {name}: {locked[name]} → {other[name]}" for name in sorted(locked.keys() & other.keys())
                 if locked[name] != other[name]]
        lines += [f"## Versions: {len(moved)} of the {len(locked.keys() & other.keys())} packages both have differ", "", *moved, ""]
        for side, names in (("the locked", locked.keys() - other.keys()), ("the other", other.keys() - locked.keys())):
            if names:
                lines += [f"Only in {side} environment: {', '.join(sorted(names))}.", ""]
    before, after = files(locked_site), files(other_site)
    changed = sorted(name for name in before.keys() & after.keys() if before[name] != after[name])
    groups = {"only in the locked build": sorted(before.keys() - after.keys()),
              "only in the other build": sorted(after.keys() - before.keys()), "changed": changed}
    figures = [name for name in changed if name.startswith("figures/")]
    lines += [f"## Files: {len(changed)} of {len(before)} changed, {len(figures)} of them figure files", ""]
    for title, names in groups.items():
        if names:
            ordered = sorted(names, key=lambda name: (not name.startswith("figures/"), name))
            lines += [f"### {title} ({len(names)})", "", *(f"- {name}" for name in ordered), ""]
    if not any(groups.values()):
        lines += ["Every published file is the same, byte for byte.", ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 4):
        print(__doc__, file=sys.stderr)
        return 2
    paths = [Path(arg) for arg in argv]
    print(report(paths[0], paths[1], paths[2:]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
