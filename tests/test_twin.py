"""One source for the explorer's twin: what the JavaScript shares with the package comes from the package, through
the generated explorer/reluviz-shared.js, and the JavaScript defines none of it itself."""

from __future__ import annotations

import re

from reluviz import explorer
from reluviz.build.twin import shared_script, shared_values

from .browsing import Visit
from .conftest import ROOT
from .test_explorer import cli_output

SCRIPTS = sorted((ROOT / "docs" / "explorer").glob("*.js"))
TRIVIAL = {0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 32, 0.5, -1, 10}  # counting, halving, bit widths and ten's powers


def _numbers(value: object) -> set[float]:
    if isinstance(value, bool):
        return set()
    if isinstance(value, (int, float)):
        return {value}
    if isinstance(value, dict):
        return set().union(*map(_numbers, value.values())) if value else set()
    if isinstance(value, (list, tuple)):
        return set().union(*map(_numbers, value)) if value else set()
    return set()


def _spellings(number: float) -> set[str]:
    spelled = {repr(number), str(number)}
    if float(number).is_integer() and abs(number) < 2**53:
        spelled |= {str(int(number)), hex(int(number)), f"{int(number):#x}".upper().replace("X", "x")}
    if isinstance(number, float):
        spelled.add(f"{number:.17g}")
    return spelled


def test_no_script_writes_a_shared_number_itself():
    shared = {n for n in _numbers(shared_values()) if n not in TRIVIAL}
    assert len(shared) > 20
    for script in SCRIPTS:
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", script.read_text(), flags=re.DOTALL)
        literals = set(re.findall(r"(?<![\w.$])(?:0x[0-9a-fA-F]+|\d+\.?\d*(?:e-?\d+)?)(?![\w$])", code))
        written = {number for number in shared if _spellings(number) & literals}
        assert not written, f"{script.name} writes shared numbers itself: {sorted(written)[:5]}; read them from ReluvizShared"


def test_no_script_spells_out_a_controls_label_or_range():
    for script in SCRIPTS:
        code = script.read_text()
        for control in explorer.LINE_CONTROLS:
            for quote in "\"'`":
                assert f"{quote}{control.label}{quote}" not in code, f"{script.name} repeats the label of {control.name}"
                assert f"{quote}{control.flag}" not in code, f"{script.name} repeats {control.flag}"


def test_a_constant_changed_in_python_changes_the_explorer(monkeypatch, server, browser, tmp_path):
    """The width limit, a label and the leaky slope changed in the package: the page's controls, its network and
    its JSON follow, with no edit to the JavaScript."""
    from reluviz import activations, explorer

    monkeypatch.setattr(activations, "DEFAULT_LEAKY_SLOPE", 0.25)
    controls = list(explorer.LINE_CONTROLS)
    controls[0] = explorer.Control("width", "Units in each hidden layer", "integer", 7, "--width", 1, 40, compact=True)
    monkeypatch.setattr(explorer, "LINE_CONTROLS", tuple(controls))
    patched = shared_script()
    assert '"leakySlope":0.25' in patched and '"high":40' in patched
    visit = Visit(browser, server + "explore/?activation=leaky_relu", route=("**/explorer/reluviz-shared.js", patched))
    try:
        page = visit.page
        assert page.get_attribute("#explorer-full-width", "max") == "40"
        assert page.locator("label[for=explorer-full-width]").inner_text() == "Units in each hidden layer"
        state = page.evaluate("() => { const e = document.querySelector('.rv-explorer').explorer;"
                              " return {slope: e.network.negativeSlope, json: e.json(), command: document.querySelector('.rv-command code').textContent}; }")
        assert state["slope"] == 0.25
        assert state["json"] + "\n" == cli_output(state["command"] + " --leaky-slope 0.25")
    finally:
        visit.close()


def test_the_generated_file_is_what_the_site_serves(built_project):
    assert (built_project.site / "explorer" / "reluviz-shared.js").read_text() == shared_script()
