"""Turning a figure into files, byte for byte the same on every run and every machine.

A figure is published as ``<id>.svg`` (light), ``<id>-dark.svg`` (for the dark palette), ``<id>.png`` (300 dpi),
``<id>.pdf`` and ``<id>.json`` (its data). ``reluviz figure`` and the site build both come through here, which is
what makes the gallery's regenerate commands reproduce the site's files exactly.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import re
import shlex
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .credits import DEFAULT_CREDITS, FIGURE_LICENCE_URL, Credits, FigureCredit
from .figures import FigureData, get_spec
from .figures._draw import page_layout
from .style import DARK, LIGHT, Palette, rc_params
from .toolchain import drawn_with, installed_versions, mismatch_note
from .xmp import with_xmp, xmp_packet

PNG_DPI = 300
SUFFIXES = (".svg", "-dark.svg", "-narrow.svg", "-narrow-dark.svg", ".png", ".pdf", ".json")
"""Every file of a figure: light and dark SVGs at page width and narrow (for phones), a PNG and a PDF (light, page
width), and its data."""
_DRAWN_AS = {  # suffix: (palette, narrow, format)
    ".svg": (LIGHT, False, "svg"), "-dark.svg": (DARK, False, "svg"), "-narrow.svg": (LIGHT, True, "svg"),
    "-narrow-dark.svg": (DARK, True, "svg"), ".png": (LIGHT, False, "png"), ".pdf": (LIGHT, False, "pdf"),
}


def _metadata(fmt: str, suffix: str, credit: FigureCredit) -> dict[str, Any]:
    """Each format's own metadata fields for the figure's credit, and what drew it: reluviz and the numpy, matplotlib
    and Python versions (`reluviz.toolchain.drawn_with`), which a reader needs to draw the same bytes again. No date
    and no field matplotlib fills in by itself, so that the bytes change only with those versions (as the build's
    cache does). Fields without a value (no site address yet) are left out."""
    made_with = f"reluviz {credit.credits.version}, {drawn_with()}"
    source = credit.address(suffix)
    if fmt == "svg":  # matplotlib writes the title as the SVG's <title> too, and the rest as Dublin Core
        fields = {"Title": credit.title, "Creator": credit.credits.authors, "Rights": credit.rights, "Source": source,
                  "Description": made_with}
        return {key: value for key, value in fields.items() if value} | {"Date": None}
    if fmt == "png":
        fields = {"Title": credit.title, "Author": credit.credits.authors, "Copyright": credit.rights, "Source": source,
                  "Software": made_with}
        return {key: value for key, value in fields.items() if value}
    fields = {"Title": credit.title, "Author": credit.credits.authors, "Subject": credit.rights, "Keywords": source,
              "Creator": made_with}
    return {key: value for key, value in fields.items() if value} | {"Producer": None, "CreationDate": None, "ModDate": None}


def data_json(figure_id: str, params: Mapping[str, Any], data: FigureData) -> bytes:
    """The published JSON: the figure's id and parameters, then its data (for networks, the CLI's schema)."""
    return (to_json({"figure": figure_id, "params": dict(params), **data.published}) + "\n").encode()


def to_json(document: Any) -> str:
    """JSON as reluviz publishes it: NaN and infinity refused, and no -0.0 (a rounding artefact, never a value)."""
    return json.dumps(_without_negative_zero(document), ensure_ascii=False, allow_nan=False)


def _without_negative_zero(value: Any) -> Any:
    if isinstance(value, float):
        return value + 0.0  # -0.0 + 0.0 is 0.0; every other float is unchanged
    if isinstance(value, dict):
        return {key: _without_negative_zero(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_negative_zero(item) for item in value]
    return value


def draw_files(
    figure_id: str, data: FigureData, suffixes: tuple[str, ...] = SUFFIXES, credit: FigureCredit | None = None
) -> dict[str, bytes]:
    """The image files among ``suffixes``, drawn from ``data``, each carrying the figure's credit (by default the
    package's `DEFAULT_CREDITS`, unnumbered)."""
    return _draw(figure_id, data, suffixes, credit)[0]


def figure_credit(figure_id: str, number: int | None = None, credits: Credits = DEFAULT_CREDITS) -> FigureCredit:
    """The credit written into figure ``figure_id``'s files, numbered as on the site."""
    spec = get_spec(figure_id)
    return credits.figure(figure_id, spec.title, spec.credit, number)


def _draw(
    figure_id: str, data: FigureData, suffixes: tuple[str, ...], credit: FigureCredit | None
) -> tuple[dict[str, bytes], dict[str, float]]:
    """The files, and the smallest font size (points) of each layout drawn: how small the figure's text can get."""
    from matplotlib.text import Text

    spec = get_spec(figure_id)
    credit = credit or figure_credit(figure_id)
    files: dict[str, bytes] = {}
    smallest_text_pt: dict[str, float] = {}
    for (palette, narrow), wanted in _group_by_drawing([s for s in suffixes if s in _DRAWN_AS]).items():
        with figure_style(palette), page_layout(narrow):
            fig = spec.draw(data, palette)
            _freeze_layout(fig)
            texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
            smallest_text_pt["narrow" if narrow else "wide"] = min(float(t.get_fontsize()) for t in texts)
            for suffix in wanted:
                files[suffix] = _save(fig, suffix, credit)
    return files, smallest_text_pt


def _group_by_drawing(suffixes: list[str]) -> dict[tuple[Palette, bool], list[str]]:
    groups: dict[tuple[Palette, bool], list[str]] = {}
    for suffix in suffixes:
        palette, narrow, _ = _DRAWN_AS[suffix]
        groups.setdefault((palette, narrow), []).append(suffix)
    return groups


@contextlib.contextmanager
def figure_style(palette: Palette) -> Iterator[None]:
    """matplotlib's own defaults plus the project's style, whatever matplotlibrc the user has."""
    import matplotlib
    import matplotlib.style

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.style.use(rc_params(palette))
        yield


def _freeze_layout(fig: Any) -> None:
    """Lay the figure out once instead of once per file format (a third of the drawing time)."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
        fig.set_layout_engine("none")


def _save(fig: Any, suffix: str, credit: FigureCredit) -> bytes:
    fmt = _DRAWN_AS[suffix][2]
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=PNG_DPI if fmt == "png" else None, metadata=_metadata(fmt, suffix, credit))
    if fmt == "pdf":  # the licence where document managers read it, not only in the information dictionary
        packet = xmp_packet(credit.title, credit.credits.authors, credit.rights, FIGURE_LICENCE_URL, credit.address(suffix))
        return with_xmp(buffer.getvalue(), packet)
    return _compact_svg(buffer.getvalue()) if fmt == "svg" else buffer.getvalue()


def _compact_svg(svg: bytes) -> bytes:
    """Drop what matplotlib writes only for human readers (indentation, comments, ids nothing refers to, spaces
    around path commands) and round coordinates to a tenth of a point (0.04 mm, a seventh of a screen pixel): far
    fewer bytes, the same picture."""
    svg = re.sub(rb"<!--.*?-->\s*", b"", svg, flags=re.DOTALL)
    svg = re.sub(rb"\n[ \t]+", b"\n", svg)
    svg = re.sub(rb'<g id="[^"]*">', b"<g>", svg)
    svg = re.sub(rb'( d="[^"]*"| [xy]="[^"]*")', lambda m: re.sub(rb"-?\d+\.\d{2,}", _tenths, m.group(0)), svg)
    return re.sub(rb' d="([^"]*)"', lambda m: b' d="' + re.sub(rb"\s*([MLCQZz])\s*", rb"\1", m.group(1)).strip() + b'"', svg)


def _tenths(number: re.Match[bytes]) -> bytes:
    text = f"{float(number.group(0)):.1f}".rstrip("0").rstrip(".")
    return (text if text != "-0" else "0").encode()


def render(
    figure_id: str, params: Mapping[str, Any], suffixes: tuple[str, ...] = SUFFIXES, credit: FigureCredit | None = None
) -> tuple[dict[str, bytes], FigureData, dict[str, float]]:
    """Compute the figure with ``params`` and produce its files among ``suffixes``; also the smallest font size in
    points of each layout drawn (``"wide"``, ``"narrow"``)."""
    data = get_spec(figure_id).compute(**params)
    files, smallest_text_pt = _draw(figure_id, data, suffixes, credit)
    if ".json" in suffixes:
        files[".json"] = data_json(figure_id, params, data)
    return files, data, smallest_text_pt


def write_figure_file(figure_id: str, out: str, overrides: Mapping[str, Any] | None = None, number: int | None = None) -> None:
    """What ``reluviz figure ID --out FILE`` does: the file type follows FILE's ending; ``number`` is the figure's
    number on the site, which its metadata title carries.

    The file is written beside ``out`` and renamed into place, so a failed write never leaves half a file. When this
    installation's numpy or matplotlib are not the versions the site's figures were drawn with, the file is still
    written, and one line on stderr says that its bytes may differ from the published file's.
    """
    suffix = next((s for s in sorted(SUFFIXES, key=len, reverse=True) if out.endswith(s)), None)
    if suffix is None:
        raise ValueError(f"out must end in one of {', '.join(SUFFIXES)}; got {out!r}")
    params = get_spec(figure_id).resolve(overrides)
    payload = render(figure_id, params, (suffix,), figure_credit(figure_id, number))[0][suffix]
    write_atomically(Path(out), payload)
    note = mismatch_note(out)
    if note:
        print(f"reluviz: warning: {note}", file=sys.stderr)


def write_atomically(target: Path, payload: bytes) -> None:
    """Write ``payload`` to ``target`` through a temporary file beside it, removed again if anything fails.

    Raises
    ------
    OSError
        With one line naming the file ("no space left on …" for a full disk).
    """
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    except OSError as error:
        raise OSError(f"cannot write {target}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.replace(temporary, target)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError) and error.errno == errno.ENOSPC:
            raise OSError(f"no space left on {target.parent} to write {target.name}") from None
        if isinstance(error, OSError):
            raise OSError(f"cannot write {target}: {error.strerror}") from None
        raise


def regenerate_command(figure_id: str, params: Mapping[str, Any], number: int, suffix: str = ".svg") -> str:
    """The shell command that writes this figure's file, numbered ``number``, with these parameters (the gallery
    shows it)."""
    defaults = get_spec(figure_id).params
    parts = ["reluviz", "figure", figure_id, "--number", str(number), "--out", f"{figure_id}{suffix}"]
    for name, value in params.items():
        if value == defaults[name]:
            continue
        if name == "seed":
            parts += ["--seed", str(value)]
        else:
            parts += ["--param", shlex.quote(f"{name}={json.dumps(value)}")]
    return " ".join(parts)


def site_bundle(figure_id: str, params: Mapping[str, Any], credit: FigureCredit, number: int) -> dict[str, bytes]:
    """Every file of a figure for the site, and ``record.json``: its title, filled-in caption and alt text,
    parameters, facts, regenerate command, explorer query, display size and the versions that drew it."""
    spec = get_spec(figure_id)
    files, data, smallest_text_pt = render(figure_id, params, SUFFIXES, credit)
    width, height = _size_pt(files[".svg"])
    narrow_width, narrow_height = _size_pt(files["-narrow.svg"])
    record = {
        "title": spec.title,
        "credit": spec.credit,
        "caption": spec.filled(spec.caption, data.facts),
        "alt": spec.filled(spec.alt, data.facts),
        "params": dict(params),
        "facts": data.facts,
        "command": regenerate_command(figure_id, params, number),
        "explorer": data.explorer,
        "plane": data.plane,
        "width": round(width * 4 / 3),  # points to CSS pixels
        "height": round(height * 4 / 3),
        "narrow_width": round(narrow_width * 4 / 3),
        "narrow_height": round(narrow_height * 4 / 3),
        "smallest_text_pt": smallest_text_pt,
        "drawn_with": installed_versions(),
    }
    named = {f"{figure_id}{suffix}": payload for suffix, payload in files.items()}
    return named | {"record.json": json.dumps(record, ensure_ascii=False, allow_nan=False, sort_keys=True).encode()}


def _size_pt(svg: bytes) -> tuple[float, float]:
    found = re.search(rb'width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    assert found, "matplotlib writes an SVG's size in points"
    return float(found.group(1)), float(found.group(2))
