"""Who made the figures, under which licence, and where they live: written into every figure file.

A figure copied into a slide deck or a handout keeps its title, licence and attribution in its own metadata, so the
credit travels with it. These values repeat CITATION.cff and properdocs.yml (a test keeps them equal), because the
package, installed on its own, has neither file at hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

SITE_TITLE = "reluviz: Why is ReLU non-linear?"
SITE_URL = "https://reluviz.github.io/reluviz/"
AUTHORS = "The reluviz maintainers"
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def version() -> str:
    """The installed reluviz version, as in pyproject.toml."""
    return metadata.version("reluviz")


@dataclass(frozen=True)
class FigureCredit:
    """What a figure file says about itself.

    Examples
    --------
    >>> credit = figure_credit("xor", "XOR", "")
    >>> credit.url
    'https://reluviz.github.io/reluviz/gallery/#figure-xor'
    >>> credit.attribution.startswith("The reluviz maintainers, reluviz: Why is ReLU non-linear?")
    True
    """

    title: str
    attribution: str
    url: str
    version: str

    @property
    def rights(self) -> str:
        return f"Licensed under {LICENCE} ({LICENCE_URL}). {self.attribution}"


def figure_credit(figure_id: str, title: str, credit: str) -> FigureCredit:
    """The credit of figure ``figure_id``; ``credit`` names whose work it reproduces (may be empty)."""
    url = f"{SITE_URL}gallery/#figure-{figure_id}"
    attribution = f"{AUTHORS}, {SITE_TITLE}, {url}." + (f" {credit}" if credit else "")
    return FigureCredit(title, attribution, url, version())
