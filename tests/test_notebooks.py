"""The chapters' notebooks, read and run as a reader would: each is its page as a lesson, runs offline in a fresh
kernel, shows every number its page quotes, calls the public API only, and ends with an exercise whose check passes."""

from __future__ import annotations

import ast
import concurrent.futures
import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import CONFIG, Project

FACT = re.compile(r"\{\{\s*fact\s+([\w-]+)\.(\w+)\s*\}\}")
FIGURE = re.compile(r"\{\{\s*figure\s+([\w-]+)\s*\}\}")
LONGEST_FIRST = ("depth", "training")  # started first, so that the two at a time finish together
OFFLINE = """
import socket
connect, lookup = socket.socket.connect, socket.getaddrinfo
local = {"127.0.0.1", "::1", "localhost"}
def refuse(host):
    raise OSError(f"the notebook tried to reach {host}: it must run offline")
def offline_connect(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if self.family in (socket.AF_INET, socket.AF_INET6) and host not in local:
        refuse(host)
    return connect(self, address)
def offline_lookup(host, *args, **kwargs):
    if host not in local and host is not None:
        refuse(host)
    return lookup(host, *args, **kwargs)
socket.socket.connect, socket.getaddrinfo = offline_connect, offline_lookup
del connect, lookup, local, refuse, offline_connect, offline_lookup
"""
"""Run in each kernel before the notebook's cells (not written into it): any connection away from this machine fails."""


def _notebook_paths(project: Project) -> list[Path]:
    def order(path: Path) -> tuple[int, str]:
        return (LONGEST_FIRST.index(path.stem) if path.stem in LONGEST_FIRST else len(LONGEST_FIRST), path.stem)

    return sorted((project.site / "notebooks").glob("*.ipynb"), key=order)


def _read(path: Path) -> Any:
    import nbformat

    return nbformat.read(path, as_version=4)


def _code_cells(notebook: Any, role: str | None = None) -> list[Any]:
    return [cell for cell in notebook.cells if cell.cell_type == "code" and (role is None or role in cell.metadata.get("tags", []))]


def _markdown(notebook: Any) -> str:
    return "\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def _squeezed(text: str) -> str:
    """Text with every run of white space one space: Markdown does not tell them apart."""
    return " ".join(text.split())


def _outputs(cell: Any) -> str:
    """What a cell showed, as text: what it printed, and its Markdown, TeX and plain-text displays."""
    shown = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            shown.append(output.text)
        elif output.output_type in {"display_data", "execute_result"}:
            shown += [output.data[kind] for kind in ("text/markdown", "text/latex", "text/plain") if kind in output.data]
    return "\n".join(shown)


def _chapters(project: Project) -> list[Any]:
    from reluviz.build.notebooks import chapters
    from reluviz.build.site import read_site

    return chapters(read_site(project.root / CONFIG))


@pytest.fixture(scope="module")
def executed(built_project, tmp_path_factory) -> dict[str, Any]:
    """Every chapter's notebook executed in a fresh kernel of its own, offline, two at a time."""
    folder = tmp_path_factory.mktemp("notebooks")  # the kernels' working folder: nothing is written into the site
    paths = _notebook_paths(built_project)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        return dict(zip((path.stem for path in paths), pool.map(lambda path: _execute(path, folder), paths)))


def _execute(path: Path, folder: Path) -> Any:
    import nbformat
    from nbclient import NotebookClient

    notebook = _read(path)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(OFFLINE))
    NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    notebook.cells.pop(0)
    return notebook


def test_every_chapter_has_a_valid_notebook(built_project):
    import nbformat

    expected = {Path(chapter.src).stem for chapter in _chapters(built_project)}
    assert {"index", "linear", "matrices", "derivative", "kinks", "affine", "depth", "training", "regions",
            "activations", "approximation", "xor"} <= expected
    paths = _notebook_paths(built_project)
    assert {path.stem for path in paths} == expected
    for path in paths:
        nbformat.validate(_read(path))


def test_a_notebook_is_its_page_as_a_lesson(built_project):
    figures = json.loads((built_project.site / "figures" / "manifest.json").read_text())
    for path in _notebook_paths(built_project):
        notebook, page = _read(path), (built_project.root / "docs" / f"{path.stem}.md").read_text()
        first, text = notebook.cells[0], _markdown(notebook)
        assert first.cell_type == "markdown" and first.source.startswith("# "), path.name
        assert 'pip install "reluviz[notebooks]"' in first.source and "offline" in first.source, path.name
        headings = [line for line in page.splitlines() if re.match(r"#{1,6} ", line)]
        assert [line for line in text.splitlines() if re.match(r"#{1,6} ", line) and line != "## Try this"] == headings
        for figure_id, name in FACT.findall(page):  # the prose, with every number filled in
            assert _squeezed(figures["figures"][figure_id]["facts"][name]) in _squeezed(text), f"{path.name}: {figure_id}.{name}"
        assert "{{" not in text and "\x00" not in text and "\x01" not in text, path.name
        assert not re.search(r"\]\((?!https?://)", text), f"{path.name}: a link that is not an address"
        assert "!!!" not in text, f"{path.name}: an admonition Jupyter would show as code"
        placed = FIGURE.findall(page)
        quoted_only = [i for i in dict.fromkeys(figure_id for figure_id, _ in FACT.findall(page)) if i not in placed]
        cells = _code_cells(notebook, "figure")  # a cell for each figure the page quotes but does not place, then its own
        assert [cell.source.splitlines()[0] for cell in cells] == [
            f"# Figure {figures['numbers'][i]}: {figures['figures'][i]['title']}" for i in quoted_only + placed], path.name
        for cell in cells[len(quoted_only):]:
            caption = notebook.cells[notebook.cells.index(cell) + 1]
            assert caption.cell_type == "markdown" and caption.source.startswith("**Figure "), path.name
        assert len(_code_cells(notebook)) == 1 + len(cells) + 2 * len(_code_cells(notebook, "check")), path.name


def test_the_notebooks_are_the_build_inputs_alone(built_project):
    """Generated again in this process from the build's records, each notebook is byte for byte the built one:
    it depends on nothing but the site and its figures."""
    from reluviz.build.markup import number_figures
    from reluviz.build.notebooks import notebook_json
    from reluviz.build.site import read_site
    from reluviz.credits import Credits
    from reluviz.figures import figure_ids

    site = read_site(built_project.root / CONFIG)
    records = json.loads((built_project.site / "figures" / "manifest.json").read_text())["figures"]
    numbers, placed_on = number_figures(site, figure_ids())
    credits = Credits.from_citation(yaml.safe_load((built_project.root / "CITATION.cff").read_text()), site.site_url)
    for chapter in _chapters(built_project):
        made = notebook_json(chapter, site, records, numbers, placed_on, credits)
        assert made.encode() == (built_project.site / chapter.notebook).read_bytes(), chapter.notebook


def test_with_a_site_address_the_notebook_installs_the_sites_wheel_and_links_into_the_site(built_project):
    from reluviz.build.markup import number_figures
    from reluviz.build.notebooks import notebook_json
    from reluviz.build.package import project_version
    from reluviz.build.site import read_site
    from reluviz.credits import Credits
    from reluviz.figures import figure_ids

    address = "https://teacher.example/relu/"
    site = dataclasses.replace(read_site(built_project.root / CONFIG), site_url=address)
    records = json.loads((built_project.site / "figures" / "manifest.json").read_text())["figures"]
    numbers, placed_on = number_figures(site, figure_ids())
    credits = Credits.from_citation(yaml.safe_load((built_project.root / "CITATION.cff").read_text()), address)
    wheel = f"downloads/reluviz-{project_version(built_project.root)}-py3-none-any.whl"
    assert (built_project.site / wheel).is_file(), "the notebooks install the wheel the site publishes"
    made = {Path(c.src).stem: json.loads(notebook_json(c, site, records, numbers, placed_on, credits)) for c in _chapters(built_project)}
    for stem, notebook in made.items():
        first = "".join(notebook["cells"][0]["source"])
        assert f'pip install "reluviz[notebooks] @ {address}{wheel}"' in first, stem
        prose = "\n".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
        assert not re.search(r"\]\((?!https?://)", prose), stem
    index = "\n".join("".join(cell["source"]) for cell in made["index"]["cells"])
    assert f"[explorer]({address}explore/)" in index
    assert f"[Open it]({address}explore/?{records['relu-network-1d']['explorer']})" in index
    assert f"[next page]({address}matrices/)" in "".join("".join(c["source"]) for c in made["linear"]["cells"])
    plain = _markdown(_read(built_project.site / "notebooks" / "linear.ipynb"))  # the site has no address
    assert "next page" in plain and "[next page]" not in plain and address not in plain


def test_no_notebook_code_uses_a_private_name(built_project):
    """Every code cell calls the public API only: no name or attribute that starts with an underscore, nothing from
    the build or the figures' modules, and none of their plumbing (a figure's spec and its facts)."""
    for path in _notebook_paths(built_project):
        for cell in _code_cells(_read(path)):
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                    names = [alias.name for alias in node.names]
                    for name in modules + names:
                        assert not any(part.startswith("_") for part in name.split(".")), f"{path.name}: imports {name}"
                    for module in modules:
                        assert not module.startswith(("reluviz.build", "reluviz.figures")), f"{path.name}: imports {module}"
                    assert "get_spec" not in names, path.name
                elif isinstance(node, ast.Attribute):
                    assert not node.attr.startswith("_"), f"{path.name}: uses .{node.attr}"
                    assert node.attr not in {"facts", "compute", "resolve"}, f"{path.name}: uses .{node.attr}"
                    if isinstance(node.value, ast.Name) and node.value.id == "reluviz":
                        assert node.attr not in {"build", "figures"}, f"{path.name}: uses reluviz.{node.attr}"
                elif isinstance(node, ast.Name):
                    assert not node.id.startswith("_") and node.id != "get_spec", f"{path.name}: uses {node.id}"


def test_every_notebook_runs_offline_and_shows_every_number_its_page_quotes(built_project, executed):
    figures = json.loads((built_project.site / "figures" / "manifest.json").read_text())["figures"]
    for stem, notebook in executed.items():
        errors = [f"{o.ename}: {o.evalue}" for cell in notebook.cells for o in cell.get("outputs", []) if o.output_type == "error"]
        assert not errors, f"{stem}: {errors}"
        for cell in _code_cells(notebook, "figure"):
            assert any("image/png" in o.get("data", {}) for o in cell.outputs), f"{stem}: {cell.source.splitlines()[0]} draws nothing"
        shown = _squeezed("\n".join(_outputs(cell) for cell in _code_cells(notebook)))
        quoted = FACT.findall((built_project.root / "docs" / f"{stem}.md").read_text())
        assert quoted, stem
        missing = [f"{figure_id}.{name} = {figures[figure_id]['facts'][name]!r}" for figure_id, name in quoted
                   if _squeezed(figures[figure_id]["facts"][name]) not in shown]
        assert not missing, f"{stem}.ipynb does not show {missing}"


def test_every_chapter_ends_with_an_exercise_whose_check_passes(executed):
    for stem, notebook in executed.items():
        assert "## Try this" in _markdown(notebook), stem
        attempts, checks = _code_cells(notebook, "exercise"), _code_cells(notebook, "check")
        assert attempts and len(attempts) == len(checks), stem
        assert _code_cells(notebook)[-1] is checks[-1], f"{stem}: the notebook ends with a check"
        for attempt, check in zip(attempts, checks):
            assert notebook.cells.index(check) == notebook.cells.index(attempt) + 1, stem
            assert "assert" in check.source, f"{stem}: a check computes its answer and asserts it"
            assert check.execution_count is not None, stem
            assert _outputs(check).startswith("Right"), f"{stem}: {_outputs(check)!r}"
