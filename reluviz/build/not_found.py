"""The page for a missing address (Material's 404.html), made to work from wherever it is served.

It is served at whatever address was asked for, at any depth, so no relative address in it is right everywhere.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit


class TemplateChangedError(ValueError):
    """Material's 404 template no longer looks as `page_not_found` expects."""


# The page for a missing address (Material's 404.html, written with addresses from the site's root as site_url has
# it) is served at whatever address was asked for, at any depth, so no relative address in it is right everywhere.
# Its addresses are made relative to a <base>, which says where site_url puts the root (so that without JavaScript, and
# for the browser's look-ahead fetches, the page works where it is published); a script right after it, before any
# style or script loads, finds the real root (the deepest folder above the address that serves the page's own
# stylesheet) and moves the <base> there. Material's scripts are given the same root.
ROOT_FINDER = """<script>
(function () {
  var marker = %s, folder = location.pathname.replace(/[^/]*$/, "");
  while (location.protocol !== "file:") {
    var probe = new XMLHttpRequest();
    try { probe.open("HEAD", folder + marker, false); probe.send(); } catch (error) { /* no answer: look higher */ }
    if (probe.status === 200 && /css/.test(probe.getResponseHeader("Content-Type") || "")) break;
    if (folder === "/") { folder = %s; break; }
    folder = folder.replace(/[^/]*\\/$/, "");
  }
  document.querySelector("base").href = folder;
})();
</script>
"""
MATERIAL_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)
CONFIG_FROM_ROOT = (  # after Material's settings, before its bundle reads them: addresses from the root found above
    '<script>(function (element) { var config = JSON.parse(element.textContent);'
    ' config.base = new URL(config.base, document.baseURI).href; config.search = new URL(config.search, document.baseURI).href;'
    ' element.textContent = JSON.stringify(config); })(document.getElementById("__config"));</script>'
)


def page_not_found(output: str, site_url: str) -> str:
    """The 404 page, working from any address it is served at (see above); a change in Material's template that
    this does not understand stops the build rather than publish a page without style."""
    root = urlsplit(site_url).path.rstrip("/") + "/"
    from_root = re.compile(r'\b(href|src)="' + re.escape(root) + r'(?!/)([^"]*)"')
    page = from_root.sub(lambda m: f'{m.group(1)}="{m.group(2) or "."}"', output)
    scope = f'new URL("{root}",location)'
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)
    settings = MATERIAL_CONFIG.search(page)
    if scope not in page or stylesheet is None or settings is None or "<base" in page or "<head>" not in page:
        raise TemplateChangedError("404.html: Material's template changed; reluviz/build/not_found.py cannot make its addresses relative")
    page = page.replace(scope, 'new URL(".",document.baseURI)')
    names = json.loads(settings.group(2))
    names["base"] = "."
    names["search"] = names["search"].removeprefix(root)
    page = MATERIAL_CONFIG.sub(lambda m: m.group(1) + json.dumps(names).replace("</", "<\\/") + m.group(3) + CONFIG_FROM_ROOT, page, count=1)
    finder = f'<base href="{html.escape(root)}">\n' + ROOT_FINDER % (json.dumps(stylesheet.group(1)), json.dumps(root))
    charset = re.search(r"<head>\s*<meta charset=[^>]*>", page)  # the charset stays in the first 1,024 bytes
    at = charset.end() if charset else page.index("<head>") + len("<head>")
    return page[:at] + "\n" + finder + page[at:]

