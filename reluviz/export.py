"""Turning a figure into files, byte for byte the same on every run and every machine.

A figure is published as ``<id>.svg`` (light), ``<id>-dark.svg`` (for the dark palette), ``<id>.png`` (300 dpi),
``<id>.pdf`` and ``<id>.json`` (its data). ``reluviz figure`` and the site build both come through here, which is
what makes the gallery's regenerate commands reproduce the site's files exactly.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shlex
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .credits import AUTHORS, FigureCredit, figure_credit
from .figures import FigureData, get_spec
from .figures._draw import page_layout
from .style import DARK, LIGHT, Palette, rc_params

PNG_DPI = 300
SUFFIXES = (".svg", "-dark.svg", "-narrow.svg", "-narrow-dark.svg", ".png", ".pdf", ".json")
"""Every file of a figure: light and dark SVGs at page width and narrow (for phones), a PNG and a PDF (light, page
width), and its data."""
_DRAWN_AS = {  # suffix: (palette, narrow, format)
    ".svg": (LIGHT, False, "svg"), "-dark.svg": (DARK, False, "svg"), "-narrow.svg": (LIGHT, True, "svg"),
    "-narrow-dark.svg": (DARK, True, "svg"), ".png": (LIGHT, False, "png"), ".pdf": (LIGHT, False, "pdf"),
}


def _metadata(fmt: str, credit: FigureCredit) -> dict[str, Any]:
    """Each format's own metadata fields for the figure's credit; no date and no matplotlib version, so that the
    bytes do not change from build to build."""
    made_with = f"reluviz {credit.version}"
    if fmt == "svg":  # matplotlib writes the title as the SVG's <title> too, and the rest as Dublin Core
        return {"Title": credit.title, "Creator": AUTHORS, "Rights": credit.rights, "Source": credit.url,
                "Description": made_with, "Date": None}
    if fmt == "png":
        return {"Title": credit.title, "Author": AUTHORS, "Copyright": credit.rights, "Source": credit.url,
                "Software": made_with}
    return {"Title": credit.title, "Author": AUTHORS, "Subject": credit.rights, "Keywords": credit.url,
            "Creator": made_with, "Producer": None, "CreationDate": None, "ModDate": None}


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


def draw_files(figure_id: str, data: FigureData, suffixes: tuple[str, ...] = SUFFIXES) -> dict[str, bytes]:
    """The image files among ``suffixes``, drawn from ``data``, each carrying the figure's credit."""
    return _draw(figure_id, data, suffixes)[0]


def _draw(figure_id: str, data: FigureData, suffixes: tuple[str, ...]) -> tuple[dict[str, bytes], dict[str, float]]:
    """The files, and the smallest font size (points) of each layout drawn: how small the figure's text can get."""
    from matplotlib.text import Text

    spec = get_spec(figure_id)
    credit = figure_credit(figure_id, spec.title, spec.credit)
    files: dict[str, bytes] = {}
    smallest_text_pt: dict[str, float] = {}
    for (palette, narrow), wanted in _group_by_drawing([s for s in suffixes if s in _DRAWN_AS]).items():
        with figure_style(palette), page_layout(narrow):
            fig = spec.draw(data, palette)
            _freeze_layout(fig)
            texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
            smallest_text_pt["narrow" if narrow else "wide"] = min(float(t.get_fontsize()) for t in texts)
            for suffix in wanted:
                files[suffix] = _save(fig, _DRAWN_AS[suffix][2], credit)
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


def _save(fig: Any, fmt: str, credit: FigureCredit) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=PNG_DPI if fmt == "png" else None, metadata=_metadata(fmt, credit))
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
    figure_id: str, params: Mapping[str, Any], suffixes: tuple[str, ...] = SUFFIXES
) -> tuple[dict[str, bytes], FigureData, dict[str, float]]:
    """Compute the figure with ``params`` and produce its files among ``suffixes``; also the smallest font size in
    points of each layout drawn (``"wide"``, ``"narrow"``)."""
    data = get_spec(figure_id).compute(**params)
    files, smallest_text_pt = _draw(figure_id, data, suffixes)
    if ".json" in suffixes:
        files[".json"] = data_json(figure_id, params, data)
    return files, data, smallest_text_pt


def write_figure_file(figure_id: str, out: str, overrides: Mapping[str, Any] | None = None) -> None:
    """What ``reluviz figure ID --out FILE`` does: the file type follows FILE's ending.

    The file is written beside ``out`` and renamed into place, so a failed write never leaves half a file.
    """
    suffix = next((s for s in sorted(SUFFIXES, key=len, reverse=True) if out.endswith(s)), None)
    if suffix is None:
        raise ValueError(f"out must end in one of {', '.join(SUFFIXES)}; got {out!r}")
    params = get_spec(figure_id).resolve(overrides)
    payload = render(figure_id, params, (suffix,))[0][suffix]
    target = Path(out)
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    except OSError as error:
        raise OSError(f"cannot write {out}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.replace(temporary, target)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OSError(f"cannot write {out}: {error.strerror}") from None
        raise


def regenerate_command(figure_id: str, params: Mapping[str, Any], suffix: str = ".svg") -> str:
    """The shell command that writes this figure's file with these parameters (the gallery shows it)."""
    defaults = get_spec(figure_id).params
    parts = ["reluviz", "figure", figure_id, "--out", f"{figure_id}{suffix}"]
    for name, value in params.items():
        if value == defaults[name]:
            continue
        if name == "seed":
            parts += ["--seed", str(value)]
        else:
            parts += ["--param", shlex.quote(f"{name}={json.dumps(value)}")]
    return " ".join(parts)


def site_bundle(figure_id: str, overrides: Mapping[str, Any]) -> tuple[dict[str, bytes], dict[str, Any]]:
    """Every file of a figure for the site, and its record: title, filled-in caption and alt text, parameters,
    facts, regenerate command, explorer query and display size. The site build's workers call this."""
    spec = get_spec(figure_id)
    params = spec.resolve(overrides)
    files, data, smallest_text_pt = render(figure_id, params)
    width, height = _size_pt(files[".svg"])
    narrow_width, narrow_height = _size_pt(files["-narrow.svg"])
    record = {
        "title": spec.title,
        "credit": spec.credit,
        "caption": spec.filled(spec.caption, data.facts),
        "alt": spec.filled(spec.alt, data.facts),
        "params": params,
        "facts": data.facts,
        "command": regenerate_command(figure_id, params),
        "explorer": data.explorer,
        "width": round(width * 4 / 3),  # points to CSS pixels
        "height": round(height * 4 / 3),
        "narrow_width": round(narrow_width * 4 / 3),
        "narrow_height": round(narrow_height * 4 / 3),
        "smallest_text_pt": smallest_text_pt,
    }
    return files, record


def _size_pt(svg: bytes) -> tuple[float, float]:
    found = re.search(rb'width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    assert found, "matplotlib writes an SVG's size in points"
    return float(found.group(1)), float(found.group(2))


def _work_through_queue(out: Path, time_limit_s: int) -> None:
    """A site build's worker: take figures from ``out/queue/`` one at a time and write each one's files, then its
    ``record.json``, into ``out/<id>/``, or one line into ``out/<id>.error``.

    Renaming a queued file claims it, so two workers never draw the same figure. A figure that takes longer than
    ``time_limit_s`` is stopped and reported.
    """
    import signal

    def too_slow(*_: object) -> None:
        raise TimeoutError(f"it did not finish within {time_limit_s} s")

    signal.signal(signal.SIGALRM, too_slow)
    for job in sorted((out / "queue").glob("*.json")):
        figure_id, claimed = job.stem, out / f"{job.stem}.claimed"
        try:
            job.rename(claimed)
        except FileNotFoundError:
            continue  # another worker took it
        signal.alarm(time_limit_s)
        try:
            files, record = site_bundle(figure_id, json.loads(claimed.read_text()))
        except Exception as error:  # (reported to the build, which stops and names the figure)
            message = str(error).splitlines()[0] if str(error) else ""
            (out / f"{figure_id}.error").write_text(f"{type(error).__name__}: {message}\n")
            continue
        finally:
            signal.alarm(0)
        folder = out / figure_id
        folder.mkdir()
        for suffix, payload in files.items():
            (folder / f"{figure_id}{suffix}").write_bytes(payload)
        (folder / "record.json").write_text(json.dumps(record, ensure_ascii=False, allow_nan=False, sort_keys=True))


def _end_with_parent() -> None:
    """Make this worker die with the build that started it (Linux), and die quietly on Ctrl-C."""
    import ctypes
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


if __name__ == "__main__":
    import sys

    _end_with_parent()
    _work_through_queue(Path(sys.argv[1]), int(sys.argv[2]))
