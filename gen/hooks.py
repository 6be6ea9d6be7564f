"""MkDocs hooks, forwarded to gen/page_build.py.

MkDocs loads a hook file once per process, so under ``mkdocs serve`` an edit to it would never take effect. This
file therefore only forwards events, and re-imports page_build.py and its helpers at the start of every build.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

GEN = str(Path(__file__).resolve().parent)
_current: ModuleType | None = None


def on_config(config):
    """Date the build by the last commit, so that two builds of one commit are identical (sitemap included)."""
    if "SOURCE_DATE_EPOCH" not in os.environ:
        last_commit = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=GEN, capture_output=True, text=True, check=False
        ).stdout.strip()
        os.environ["SOURCE_DATE_EPOCH"] = last_commit or "0"
    return config


def on_pre_build(config):
    global _current
    if GEN not in sys.path:
        sys.path.insert(0, GEN)
    for name in ("page_build", "markup", "build_cache"):
        sys.modules.pop(name, None)
    _current = importlib.import_module("page_build")


def on_files(files, config):
    return _current.on_files(files, config)


def on_nav(nav, config, files):
    return _current.on_nav(nav, config, files)


def on_page_markdown(markdown, page, config, files):
    return _current.on_page_markdown(markdown, page, config, files)


def on_page_content(html, page, config, files):
    return _current.on_page_content(html, page, config, files)


def on_post_page(output, page, config):
    return _current.on_post_page(output, page, config)
