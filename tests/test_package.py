"""The package as a newcomer meets it: every module imports on its own, and the documented examples run."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
import subprocess
import sys

import pytest

import reluviz

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(reluviz.__path__, "reluviz.") if not info.name.endswith("__main__")
)


def test_every_module_imports_on_its_own_in_a_fresh_interpreter():
    # One interpreter per module, all started at once: an import circle shows only when its module comes first.
    runs = {name: subprocess.Popen([sys.executable, "-c", f"import {name}"], stderr=subprocess.PIPE, text=True) for name in MODULES}
    failures = {name: run.communicate()[1].strip().splitlines()[-1] for name, run in runs.items() if run.wait() != 0}
    assert len(MODULES) > 20 and failures == {}


@pytest.mark.parametrize("name", MODULES)
def test_every_modules_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0


def test_the_public_modules_have_examples_to_run():
    tried = {name: doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS).attempted for name in MODULES}
    public = ["reluviz.activations", "reluviz.network", "reluviz.pieces", "reluviz.sampling", "reluviz.training",
              "reluviz.portable_random", "reluviz.explorer", "reluviz.credits"]
    assert all(tried[name] > 0 for name in public), {name: tried[name] for name in public}


def _sections(doc: str) -> set[str]:
    return set(re.findall(r"\n[ \t]*(Parameters|Attributes|Returns|Raises|Examples)\n[ \t]*---", doc))


def test_every_public_class_and_function_has_numpydoc_sections_and_an_example():
    public = [getattr(reluviz, name) for name in reluviz.__all__ if callable(getattr(reluviz, name))]
    public.append(reluviz.Network.random)
    for obj in public:
        sections = _sections(obj.__doc__ or "")
        if isinstance(obj, type):
            assert "Examples" in sections and sections & {"Parameters", "Attributes"}, f"{obj.__qualname__}: {sections}"
        else:
            needed = {"Parameters", "Returns", "Examples"}
            assert needed <= sections, f"{obj.__qualname__} lacks {sorted(needed - sections)}"
