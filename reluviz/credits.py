"""Who made the figures, under which licence, and where they live: written into every figure file.

A figure copied into a slide deck or a handout keeps its title, licence and attribution in its own metadata, so the
credit travels with it. The site build reads the credits from CITATION.cff and the site's address from
properdocs.yml (`Credits.from_citation`) and hands them to every file it makes, so an edit there redraws them all.
`DEFAULT_CREDITS` is what ``reluviz figure`` writes when the package runs on its own; a test keeps it equal to
what the build reads, so that the gallery's regenerate commands give the published bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from importlib import metadata
from typing import Any

FIGURE_LICENCE = "CC BY 4.0"
FIGURE_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
FIGURE_LICENCE_SPDX = "CC-BY-4.0"
"""The licence of the text and the figures (the code is MIT; see LICENSE)."""


def version() -> str:
    """The installed reluviz version, as in pyproject.toml."""
    return metadata.version("reluviz")


@dataclass(frozen=True)
class Credits:
    """What every figure file says about the work it belongs to.

    ``site_url`` is where the site is published, ending in ``/``, or empty while it has no address: then no file
    names an address.
    """

    title: str
    authors: str
    site_url: str
    version: str

    @classmethod
    def from_citation(cls, citation: Mapping[str, Any], site_url: str) -> Credits:
        """The credits of a parsed CITATION.cff and the site's address.

        Raises
        ------
        ValueError
            If CITATION.cff lacks a title, a version or an author with a name.
        """
        authors = citation.get("authors")
        names = [_author_name(a) for a in authors] if isinstance(authors, list) else []
        if not names or not all(names):
            raise ValueError("CITATION.cff must list authors, each with a name (or given-names and family-names)")
        for key in ("title", "version"):
            if not isinstance(citation.get(key), (str, int, float)) or not str(citation[key]).strip():
                raise ValueError(f"CITATION.cff must give a {key}")
        url = site_url.strip()
        return cls(str(citation["title"]), ", ".join(names), url + ("/" if url and not url.endswith("/") else ""),
                   str(citation["version"]))

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def figure(self, figure_id: str, title: str, credit: str, number: int | None) -> FigureCredit:
        """The credit of figure ``figure_id`` (numbered ``number`` on the site); ``credit`` names whose work it
        reproduces (may be empty)."""
        heading = f"Figure {number}: {title}" if number is not None else title
        where = f", {self.site_url}" if self.site_url else ""
        attribution = f"{self.authors}, {self.title}{where}." + (f" {credit}" if credit else "")
        return FigureCredit(heading, attribution, self, figure_id)


def _author_name(author: object) -> str:
    if not isinstance(author, dict):
        return ""
    if author.get("name"):
        return str(author["name"])
    return f"{author.get('given-names', '')} {author.get('family-names', '')}".strip()


@dataclass(frozen=True)
class FigureCredit:
    """What one figure file says about itself.

    Examples
    --------
    >>> credit = DEFAULT_CREDITS.figure("xor", "XOR", "", 13)
    >>> credit.title
    'Figure 13: XOR'
    >>> credit.attribution.startswith("The reluviz maintainers, reluviz: Why is ReLU non-linear?")
    True
    """

    title: str
    attribution: str
    credits: Credits
    figure_id: str

    @property
    def rights(self) -> str:
        return f"Licensed under {FIGURE_LICENCE} ({FIGURE_LICENCE_URL}). {self.attribution}"

    def address(self, suffix: str) -> str:
        """The published address of the figure's file with ``suffix`` (".svg", ".png", …), or "" without a site."""
        return f"{self.credits.site_url}figures/{self.figure_id}{suffix}" if self.credits.site_url else ""


DEFAULT_CREDITS = Credits(
    title="reluviz: Why is ReLU non-linear?",
    authors="The reluviz maintainers",
    site_url="",
    version=version(),
)
"""The credits as CITATION.cff and properdocs.yml give them (kept equal by a test)."""
