"""The generation step: every file the site needs that is not in docs/, made from the package and the site's pages.

``python -m reluviz.build OUT`` writes into OUT, with the paths they have in the site:

- ``figures/<id>.svg`` (and its other formats) and ``figures/manifest.json``, each figure drawn by a worker;
- ``fonts/reluviz-math.woff2``, the math font;
- ``downloads/reluviz-slides.pdf`` and ``.pptx``, ``downloads/reluviz-figures.zip``, the package's wheel and sdist
  (`reluviz.build.package`), and ``notebooks/<page>.ipynb``;
- ``explorer/reluviz-shared.js``, what the explorers share with the package (`reluviz.build.twin`), and every
  script and style of docs/explorer/ as the site ships it (`reluviz.build.assets`);
- ``reluviz-build/pages.json``, every page's Markdown with its tokens filled in, for the MkDocs hook to use
  (not published).

Whatever a worker makes is kept in the one cache (`reluviz.build.store`) under a key made of the job's parameters
and input files, and used again while the code it ran and the libraries it used are unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..explorer_tasks import LINE_TASKS
from ..figures import figure_ids
from . import html
from .assets import explorer_assets
from .font import FONT_FOLDER, OUTPUT_NAME, SOURCE_NAME
from .markup import Context, expand, number_figures
from .notebooks import chapters, notebook_json
from .pack import credits_text, licence_text, pack_citation
from .package import source_files
from .settings import figure_parameters, redirects
from .site import Site, read_site, relative_url
from .store import Store, digest, open_store
from .twin import SHARED_FILE, shared_script
from .workers import DEFAULT_TIME_LIMIT_S, BuildError, Done, Job, positive_setting, run_jobs, worker_count

PAGES_FILE = "reluviz-build/pages.json"
DOWNLOADS = "downloads"
SLIDES, SLIDES_PPTX, PACK = f"{DOWNLOADS}/reluviz-slides.pdf", f"{DOWNLOADS}/reluviz-slides.pptx", f"{DOWNLOADS}/reluviz-figures.zip"
PACKED_FORMATS = (".svg", ".pdf", ".png")


def _key(job: Job) -> str:
    """The cache key of a job: what it was asked to do, and the bytes it was given."""
    described = [job.module, job.function, job.params, {name: digest(data) for name, data in sorted(job.inputs.items())},
                 sys.version_info[:2]]
    return hashlib.sha256(json.dumps(described, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class Runner:
    """Runs jobs through the cache: an unchanged job's files come from its entry, the rest from the workers."""

    def __init__(self, site: Site, store: Store | None) -> None:
        self.site, self.store = site, store
        self.time_limit = positive_setting("RELUVIZ_FIGURE_TIME_LIMIT", DEFAULT_TIME_LIMIT_S, integer=False)

    def run(self, jobs: Mapping[str, Job]) -> dict[str, dict[str, bytes]]:
        keys = {name: _key(job) for name, job in jobs.items()}
        found = {name: self.store.read(keys[name], job.label) if self.store else None for name, job in jobs.items()}
        missing = {name: jobs[name] for name, files in found.items() if files is None}
        if self.store:
            scratch = self.store.scratch
        else:
            import tempfile

            scratch = Path(tempfile.mkdtemp(prefix="reluviz-build-"))
        try:
            done: dict[str, Done] = run_jobs(missing, scratch, self.site.root, worker_count(list(missing)), self.time_limit)
        finally:
            if not self.store:
                shutil.rmtree(scratch, ignore_errors=True)
        for name, result in done.items():
            found[name] = result.files
            if self.store:
                self.store.write(keys[name], result.files, result.dependencies)
        return {name: files for name, files in found.items() if files is not None}


def _citation_file(site: Site) -> tuple[str, dict[str, Any]]:
    import yaml

    path = site.root / "CITATION.cff"
    try:
        text = path.read_text(encoding="utf-8")
        parsed = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise BuildError(f"CITATION.cff cannot be read: {str(error).splitlines()[0]}") from None
    if not isinstance(parsed, dict):
        raise BuildError("CITATION.cff must hold a mapping")
    return text, parsed


def source_date_epoch(root: Path) -> int:
    """SOURCE_DATE_EPOCH if set, else the time of the last commit (0 outside git): the date every dated file carries."""
    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given:
        if not given.isdigit():
            raise BuildError(f"SOURCE_DATE_EPOCH must be a whole number of seconds; got {given!r}")
        return int(given)
    try:
        last = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, check=False)
    except OSError:
        return 0
    return int(last.stdout.strip() or 0)


def generate(config_path: Path, out: Path) -> None:
    """Write every generated file of the site configured in ``config_path`` into ``out`` (see the module docstring).

    Raises
    ------
    BuildError
        With one line naming the figure, page, file or setting at fault; nothing is then written into ``out``.
    """
    from ..credits import Credits

    site = read_site(config_path)
    citation_text, citation = _citation_file(site)
    try:
        credits = Credits.from_citation(citation, site.site_url)
    except ValueError as error:
        raise BuildError(str(error)) from None
    ids = figure_ids()
    numbers, placed_on = number_figures(site, ids)
    parameters = figure_parameters(site.settings, ids)
    moved = redirects(site.settings, ids)
    store = open_store(site.root / ".cache" / "reluviz", site.root)
    files: dict[str, bytes] = {}
    try:
        runner = Runner(site, store)
        first = {f"figure {i}": Job(f"figure {i!r}", "reluviz.build.jobs", "figure",
                                    {"id": i, "params": parameters[i], "credits": credits.as_dict(), "number": numbers[i]})
                 for i in ids}
        first["font"] = Job("the math font", "reluviz.build.jobs", "math_font", {},
                            {SOURCE_NAME: (FONT_FOLDER / SOURCE_NAME).read_bytes()})
        epoch = source_date_epoch(site.root)
        first["package"] = Job("the package", "reluviz.build.jobs", "package", {"epoch": epoch}, source_files(site.root))
        made = runner.run(first)
        package = {f"{DOWNLOADS}/{name}": data for name, data in sorted(made.pop("package").items(), key=lambda item: not item[0].endswith(".whl"))}
        files |= package
        records = {i: json.loads(made[f"figure {i}"].pop("record.json")) for i in ids}
        for i in ids:
            for old in [i, *(old for old, new in moved.items() if new == i)]:
                files |= {f"figures/{old}{name[len(i):]}": data for name, data in made[f"figure {i}"].items()}
        files[f"fonts/{OUTPUT_NAME}"] = made["font"][OUTPUT_NAME]
        manifest = {"figures": records, "numbers": numbers, "redirects": moved}
        files["figures/manifest.json"] = (json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
        year = str(citation.get("date-released", ""))[:4]
        cite = html.Citation(credits.authors, credits.title, credits.version, year, site.site_url)
        ordered = sorted(ids, key=numbers.__getitem__)
        lines = {i: html.plain_citation(i, records[i], numbers[i], cite) for i in ordered}
        slide_list = [{"id": i, "number": numbers[i], "title": records[i]["title"], "caption": records[i]["caption"],
                       "alt": records[i]["alt"], "citation": lines[i]} for i in ordered]
        slides = runner.run({"slides": Job("the slides", "reluviz.build.jobs", "slides",
                                           {"slides": slide_list, "credits": credits.as_dict(), "epoch": epoch},
                                           {f"{i}.png": files[f"figures/{i}.png"] for i in ordered})})["slides"]
        files[SLIDES], files[SLIDES_PPTX] = slides["reluviz-slides.pdf"], slides["reluviz-slides.pptx"]
        members = {"LICENCE.txt": licence_text().encode(), "CREDITS.txt": credits_text(list(lines.values())).encode(),
                   "CITATION.cff": pack_citation(citation_text).encode(), "reluviz-slides.pdf": files[SLIDES],
                   "reluviz-slides.pptx": files[SLIDES_PPTX]} | {name.rsplit("/", 1)[-1]: data for name, data in package.items()}
        members |= {f"{i}{suffix}": files[f"figures/{i}{suffix}"] for i in sorted(ids) for suffix in PACKED_FORMATS}
        pack = runner.run({"pack": Job("the figure pack", "reluviz.build.jobs", "pack",
                                       {"members": list(members), "epoch": epoch}, members)})
        files[PACK] = pack["pack"]["reluviz-figures.zip"]
    finally:
        if store:
            store.close()
    found = chapters(site)
    for chapter in found:
        files[chapter.notebook] = notebook_json(chapter, site, records, numbers, placed_on, credits).encode()
    files[SHARED_FILE] = shared_script().encode()
    files |= explorer_assets(site.docs)
    explained_on = {i: (placed_on[i].title, placed_on[i].url) for i in ids}
    sizes = {name: len(files[name]) for name in (PACK, SLIDES, SLIDES_PPTX, *package)}
    extras = {"gallery": lambda url_to: html.downloads_html(found, sizes, url_to)
              + html.gallery_html(records, numbers, explained_on, url_to, cite),
              "tasks": lambda url_to: html.tasks_html(LINE_TASKS, url_to)}
    context = Context(site, records, numbers, placed_on, extras)
    notebooks = {chapter.src: chapter.notebook for chapter in found}
    pages = {page.src: {"source": digest(page.markdown.encode()),
                        "markdown": expand(page, context) + _notebook_link(page.url, notebooks.get(page.src))}
             for page in site.pages}
    files[PAGES_FILE] = (json.dumps(pages, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
    _write(files, out)


def _notebook_link(page_url: str, notebook: str | None) -> str:
    if notebook is None:
        return ""
    link = f'<a href="{relative_url(notebook, page_url)}" download>Download this chapter as a Jupyter notebook</a>'
    return f'\n\n<p class="rv-notebook">{link}: it recomputes every figure and number of this page.</p>\n'


def _write(files: Mapping[str, bytes], out: Path) -> None:
    """Write every file under ``out``, or (on a full disk or other failure) none of them."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        for name, payload in sorted(files.items()):
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(payload)
            written.append(target)
    except OSError as error:
        for path in written + [out / name for name in files]:
            path.unlink(missing_ok=True)
        reason = "no space left" if error.errno == 28 else error.strerror or str(error)
        raise BuildError(f"cannot write the generated files into {out}: {reason}") from None
