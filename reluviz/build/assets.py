"""The explorers' scripts and styles as the site serves them: docs/explorer/ without comments and indentation.

The files in docs/explorer/ are written to be read, with a comment for every function; the site ships the same code
without the comments and the indentation, so that both explorers stay within their weight budget. Nothing else
changes: every line keeps its code, in order, and strings, template literals and regular expressions are copied
whole (which is why this is done here, by a small scanner that knows them, and not by an older minifier that does
not know template literals). Each shipped file starts with a line naming its readable source.
"""

from __future__ import annotations

import re
from pathlib import Path

EXPLORER_FOLDER = "explorer"
# After one of these, a slash starts a regular expression rather than a division (our scripts' usage).
_BEFORE_REGEX = set("(,=:[!&|?{};+-*%<>~^")
_KEYWORDS_BEFORE_REGEX = ("return", "typeof", "case", "in", "of")
# Punctuation that needs no space beside it (not "/", which could start a comment or a regular expression).
_TIGHT = set("{}()[];,:=<>+-*%&|^!~?.")
_JOINS_NEXT_LINE = set("{;,([")  # a line ending in one of these never ends a statement


def shipped(name: str, source: str) -> bytes:
    """``source`` (the file ``name`` of docs/explorer/) as the site serves it."""
    header = f"/* reluviz: {EXPLORER_FOLDER}/{name} without its comments; the commented source is docs/{EXPLORER_FOLDER}/{name} */\n"
    body = _strip_css(source) if name.endswith(".css") else strip_script(source)
    return (header + body).encode()


def explorer_assets(docs: Path) -> dict[str, bytes]:
    """Every script and style of docs/explorer/ as shipped, by its path in the site."""
    folder = docs / EXPLORER_FOLDER
    return {f"{EXPLORER_FOLDER}/{path.name}": shipped(path.name, path.read_text(encoding="utf-8"))
            for path in sorted(folder.glob("*")) if path.suffix in {".js", ".css"}}


def _strip_css(source: str) -> str:
    without = re.sub(r"/\*.*?\*/", "", source, flags=re.S)  # our styles hold no string with a comment's marks in it
    return "".join(line.strip() + "\n" for line in without.splitlines() if line.strip())


def strip_script(source: str) -> str:
    """JavaScript without its comments, its indentation, its blank lines and the spaces beside punctuation. A
    newline is dropped only after ``{ ; , ( [``, where automatic semicolon insertion never applies, so no statement
    runs into the next; a space between two of ``+`` and ``-`` stays (``a - -b`` is not ``a--b``).

    Examples
    --------
    >>> strip_script('  const a = `x // ${b /* c */ + "}"}`; // d\\n\\n  /* e */ f(/\\\\/\\\\*/g);\\n')
    'const a=`x // ${b+"}"}`;f(/\\\\/\\\\*/g);\\n'
    >>> strip_script("if (a) {\\n  b = c - -d;\\n  e++\\n  f()\\n}\\n")
    'if(a){b=c- -d;e++\\nf()\\n}\\n'
    """
    out: list[str] = []
    templates: list[int] = []  # for each open ${ of a template literal, the brace depth it opened at
    depth, i, n = 0, 0, len(source)
    at_line_start = True

    def significant() -> str:
        text = "".join(out[-8:]).rstrip()
        return text[-1] if text else ""

    def after_keyword() -> bool:
        text = "".join(out[-8:]).rstrip()
        return any(text.endswith(word) and not (text[: -len(word)][-1:].isalnum() or text[: -len(word)][-1:] in "_$.")
                   for word in _KEYWORDS_BEFORE_REGEX)

    while i < n:
        c = source[i]
        if at_line_start and c in " \t":
            i += 1
            continue
        if c == "\n":
            if out and not at_line_start:
                while out and out[-1] in " \t":
                    out.pop()
                if out[-1][-1:] not in _JOINS_NEXT_LINE:
                    out.append("\n")
            at_line_start = True
            i += 1
            continue
        if source.startswith("/*", i):
            end = source.index("*/", i + 2) + 2
            if "\n" in source[i:end] and not at_line_start:
                out.append("\n")
                at_line_start = True
            i = end
            continue
        if source.startswith("//", i):
            i = source.find("\n", i)
            i = n if i < 0 else i
            continue
        at_line_start = False
        if c in "'\"":
            end = _string_end(source, i, c)
            out.append(source[i:end])
            i = end
        elif c == "`" or (c == "}" and templates and templates[-1] == depth):
            if c == "}":
                templates.pop()
            end, opens = _template_part_end(source, i + 1)
            out.append(source[i:end])
            i = end
            if opens:
                templates.append(depth)
        elif c == "/" and (significant() in _BEFORE_REGEX or significant() == "" or after_keyword()):
            end = _regex_end(source, i)
            out.append(source[i:end])
            i = end
        elif c in " \t":
            before, after = (out[-1][-1:] if out else ""), source[i + 1: i + 2]
            if not (before in " \t" or ((before in _TIGHT or after in _TIGHT) and not (before in "+-" and after in "+-"))):
                out.append(c)
            i += 1
        else:
            if c in _TIGHT and out and out[-1] == " " and not (c in "+-" and len(out) > 1 and out[-2][-1:] in "+-"):
                out.pop()  # the space left before a comment that stood between a word and this punctuation
            depth += {"{": 1, "}": -1}.get(c, 0)
            out.append(c)
            i += 1
    text = "".join(out)
    return text if text.endswith("\n") else text + "\n"


def _string_end(source: str, start: int, quote: str) -> int:
    i = start + 1
    while source[i] != quote:
        i += 2 if source[i] == "\\" else 1
    return i + 1


def _template_part_end(source: str, i: int) -> tuple[int, bool]:
    """Where the template text from ``i`` ends: after its closing backtick (False) or after a ``${`` (True)."""
    while True:
        if source[i] == "\\":
            i += 2
        elif source[i] == "`":
            return i + 1, False
        elif source.startswith("${", i):
            return i + 2, True
        else:
            i += 1


def _regex_end(source: str, start: int) -> int:
    i, in_class = start + 1, False
    while in_class or source[i] != "/":
        if source[i] == "\\":
            i += 1
        elif source[i] == "[":
            in_class = True
        elif source[i] == "]":
            in_class = False
        i += 1
    i += 1
    while i < len(source) and source[i].isalpha():
        i += 1
    return i
