"""What the build's workers run: each job takes JSON parameters and a folder of input files, and returns the files
it made, by name. Each imports what it needs inside, so that the worker records exactly the code that ran."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def figure(params: dict[str, Any], inputs: Path) -> dict[str, bytes]:
    """Every file of one figure, and its ``record.json``."""
    from ..credits import Credits
    from ..export import figure_credit, site_bundle

    credit = figure_credit(params["id"], params["number"], Credits(**params["credits"]))
    return site_bundle(params["id"], params["params"], credit, params["number"])


def math_font(params: dict[str, Any], inputs: Path) -> dict[str, bytes]:
    from .font import OUTPUT_NAME, SOURCE_NAME, subset_font

    return {OUTPUT_NAME: subset_font((inputs / SOURCE_NAME).read_bytes())}


def slides(params: dict[str, Any], inputs: Path) -> dict[str, bytes]:
    """The slides as PDF and as PowerPoint, from one layout; ``params["slides"]`` lists them in order, ``inputs``
    holds each figure's PNG, and ``params["epoch"]`` dates the PowerPoint file's parts."""
    from ..credits import Credits
    from ..slides import slides_pdf
    from ..slides_pptx import slides_pptx

    images = {slide["id"]: (inputs / f"{slide['id']}.png").read_bytes() for slide in params["slides"]}
    credits = Credits(**params["credits"])
    return {"reluviz-slides.pdf": slides_pdf(params["slides"], images, credits),
            "reluviz-slides.pptx": slides_pptx(params["slides"], images, credits, int(params["epoch"]))}


def package(params: dict[str, Any], inputs: Path) -> dict[str, bytes]:
    """The package's wheel and sdist, built from the sources in ``inputs`` and dated ``params["epoch"]``."""
    from .package import distributions

    files = {path.relative_to(inputs).as_posix(): path.read_bytes() for path in sorted(inputs.rglob("*")) if path.is_file()}
    return distributions(files, int(params["epoch"]))


def pack(params: dict[str, Any], inputs: Path) -> dict[str, bytes]:
    """The figure pack: ``params["members"]`` names the input files in the pack's order."""
    from .pack import zipped

    members = [(name, (inputs / name).read_bytes()) for name in params["members"]]
    return {"reluviz-figures.zip": zipped(members, int(params["epoch"]))}


def describe(params: dict[str, Any]) -> str:
    """The parameters as the cache key sees them (sorted JSON)."""
    return json.dumps(params, sort_keys=True, ensure_ascii=False)
