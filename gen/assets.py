"""Write the figures, figures/manifest.json and the math font into the site (run by mkdocs-gen-files).

The manifest carries what the pages need: each figure's caption and alt text with its computed facts filled in,
its parameters, the command that regenerates it, and its display size.
"""

import sys
from pathlib import Path

import mkdocs_gen_files
from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent))
# mkdocs serve runs this script again on every rebuild, in the same process: forget the modules it imported last
# time, so that the rebuild uses the code as it is now.
HELPERS = {"reluviz", "figure_build", "build_cache", "math_font"}
for name in [name for name in sys.modules if name.split(".")[0] in HELPERS]:
    del sys.modules[name]
import figure_build  # noqa: E402  (the helpers live beside this script)
import math_font  # noqa: E402

font = math_font.subset_in_background()
try:
    files = figure_build.site_figures(mkdocs_gen_files.config.extra.get("reluviz"))
except figure_build.FigureBuildError as error:
    raise PluginError(str(error)) from None

for name, payload in files.items():
    with mkdocs_gen_files.open(f"figures/{name}", "wb") as out:
        out.write(payload)
with mkdocs_gen_files.open("fonts/reluviz-math.woff2", "wb") as out:
    out.write(font.result())
