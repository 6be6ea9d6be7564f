"""Render every registered figure into figures/ and write figures/manifest.json (run by mkdocs-gen-files).

The manifest carries what the pages need: each figure's caption and alt text with its computed facts filled in,
its parameters, the command that regenerates it, and its display size.
"""

import json
import re
import sys
from pathlib import Path

import mkdocs_gen_files
from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent))
# mkdocs serve runs this script again on every rebuild, in the same process: forget the modules it imported last
# time, so that the rebuild uses the code as it is now.
for name in [name for name in sys.modules if name.split(".")[0] in {"reluviz", "figure_build", "build_cache"}]:
    del sys.modules[name]
import figure_build  # noqa: E402  (lives beside this script)
from reluviz.figures.export import regenerate_command  # noqa: E402
from reluviz.figures.registry import FIGURES  # noqa: E402


def svg_size(svg: bytes) -> tuple[int, int]:
    """Display size in CSS pixels from the SVG's width and height in points."""
    width, height = (float(v) for v in re.search(rb'width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups())
    return round(width * 4 / 3), round(height * 4 / 3)


def with_facts(figure_id: str, template: str, facts: dict) -> str:
    try:
        return template.format(**facts)
    except KeyError as missing:
        raise figure_build.FigureBuildError(f"figure {figure_id!r}: its text quotes unknown fact {missing}") from None


try:
    params, redirects = figure_build.figure_settings(mkdocs_gen_files.config.extra)
    built = figure_build.build_figures(params)
except figure_build.FigureBuildError as error:
    raise PluginError(str(error)) from None

manifest = {"figures": {}, "redirects": redirects}
for figure_id, (files, facts) in built.items():
    spec = FIGURES[figure_id]
    for name in [figure_id, *(old for old, new in redirects.items() if new == figure_id)]:
        for suffix, payload in files.items():
            with mkdocs_gen_files.open(f"figures/{name}{suffix}", "wb") as out:
                out.write(payload)
    width, height = svg_size(files[".svg"])
    manifest["figures"][figure_id] = {
        "title": spec.title,
        "caption": with_facts(figure_id, spec.caption, facts),
        "alt": with_facts(figure_id, spec.alt, facts),
        "params": params[figure_id],
        "facts": facts,
        "command": regenerate_command(figure_id, params[figure_id]),
        "width": width,
        "height": height,
    }

with mkdocs_gen_files.open("figures/manifest.json", "w") as out:
    json.dump(manifest, out, indent=1, sort_keys=True, ensure_ascii=False)
    out.write("\n")
