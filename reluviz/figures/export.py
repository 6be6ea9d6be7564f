"""Turning a figure's data into files, byte for byte the same on every run.

A figure is published as ``<id>.svg`` (light), ``<id>-dark.svg`` (for the dark palette), ``<id>.png`` (300 dpi),
``<id>.pdf`` and ``<id>.json`` (its data). ``reluviz figure`` and the site build both come through here, which is
what makes the gallery's regenerate commands reproduce the site's files exactly.
"""

from __future__ import annotations

import io
import json
import re
import shlex
from pathlib import Path
from typing import Any

from ..style import DARK, LIGHT, rc_params
from .registry import FIGURES, FigureData, get_spec, resolve_params

PNG_DPI = 300
SUFFIXES = (".svg", "-dark.svg", ".png", ".pdf", ".json")
_FORMAT_OF_SUFFIX = {".svg": "svg", ".png": "png", ".pdf": "pdf"}
# Without these, matplotlib writes the date and its own version into SVG and PDF files.
_METADATA = {"svg": {"Date": None, "Creator": None}, "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None}, "png": {"Software": None}}


def figure_ids() -> list[str]:
    return list(FIGURES)


def data_json(figure_id: str, params: dict[str, Any], data: FigureData) -> bytes:
    """The published JSON: the figure's id and parameters, then its data (for networks, the CLI's schema)."""
    document = {"figure": figure_id, "params": params, **data.published}
    return (json.dumps(document, ensure_ascii=False) + "\n").encode()


def draw_files(figure_id: str, data: FigureData, suffixes: tuple[str, ...] = SUFFIXES) -> dict[str, bytes]:
    """The image files among ``suffixes``, drawn from ``data``; the light palette serves every download."""
    import matplotlib

    spec = get_spec(figure_id)
    files: dict[str, bytes] = {}
    wanted = {LIGHT: [s for s in suffixes if s in _FORMAT_OF_SUFFIX], DARK: ["-dark.svg"] if "-dark.svg" in suffixes else []}
    for palette, palette_suffixes in wanted.items():
        if not palette_suffixes:
            continue
        with matplotlib.rc_context(rc_params(palette)):
            fig = spec.draw(data, palette)
            _freeze_layout(fig)
            for suffix in palette_suffixes:
                files[suffix] = _save(fig, "svg" if suffix == "-dark.svg" else _FORMAT_OF_SUFFIX[suffix])
    return files


def _freeze_layout(fig: Any) -> None:
    """Lay the figure out once instead of once per file format (a third of the drawing time)."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
        fig.set_layout_engine("none")


def _save(fig: Any, fmt: str) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=PNG_DPI if fmt == "png" else None, metadata=_METADATA[fmt])
    return _compact_svg(buffer.getvalue()) if fmt == "svg" else buffer.getvalue()


def _compact_svg(svg: bytes) -> bytes:
    """Drop what matplotlib writes only for human readers (indentation, comments, ids nothing refers to): a
    tenth of the bytes, the same picture."""
    svg = re.sub(rb"<!--.*?-->\s*", b"", svg, flags=re.DOTALL)
    svg = re.sub(rb"\n[ \t]+", b"\n", svg)
    return re.sub(rb'<g id="[^"]*">', b"<g>", svg)


def render(figure_id: str, params: dict[str, Any], suffixes: tuple[str, ...] = SUFFIXES) -> tuple[dict[str, bytes], FigureData]:
    """Compute the figure and produce the files among ``suffixes``."""
    data = get_spec(figure_id).compute(**params)
    files = draw_files(figure_id, data, suffixes)
    if ".json" in suffixes:
        files[".json"] = data_json(figure_id, params, data)
    return files, data


def write_figure_file(figure_id: str, out: str, overrides: dict[str, Any] | None = None) -> None:
    """What ``reluviz figure ID --out FILE`` does: the file type follows FILE's ending."""
    suffix = next((s for s in sorted(SUFFIXES, key=len, reverse=True) if out.endswith(s)), None)
    if suffix is None:
        raise ValueError(f"out must end in one of {', '.join(SUFFIXES)}; got {out!r}")
    params = resolve_params(figure_id, overrides)
    files, _ = render(figure_id, params, (suffix,))
    Path(out).write_bytes(files[suffix])


def regenerate_command(figure_id: str, params: dict[str, Any], suffix: str = ".svg") -> str:
    """The shell command that writes this figure's file with these parameters (the gallery shows it)."""
    defaults = get_spec(figure_id).defaults
    parts = ["reluviz", "figure", figure_id, "--out", f"{figure_id}{suffix}"]
    for name, value in params.items():
        if value == defaults[name]:
            continue
        if name == "seed":
            parts += ["--seed", str(value)]
        else:
            parts += ["--param", shlex.quote(f"{name}={json.dumps(value)}")]
    return " ".join(parts)
