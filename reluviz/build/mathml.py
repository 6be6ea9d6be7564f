"""TeX as MathML, when the site is built, so that browsers draw the mathematics with no script and no other host.

The pages' TeX is marked by pymdownx.arithmatex; `typeset_math` replaces each formula with latex2mathml's MathML and
mends two things it writes differently from TeX (signs, and the space after a function's name).
"""

from __future__ import annotations

import html
import re

ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">\s*\\[(\[](.*?)\\[)\]]\s*</\1>', re.DOTALL)
# A minus right after an opening bracket, a relation, a comma, or at the start of a row or cell is a sign, not a
# subtraction: latex2mathml writes both as an operator, which browsers space as a binary one ("( − 1").
UNARY_MINUS = re.compile(
    r"((?:<mo[^>]*>&#x000(?:28|5B|3D|2C);</mo>)|<mrow>|<mtd>|<math[^>]*>)<mo>&#x02212;</mo><mn>([^<]+)</mn>"
)
# TeX puts a thin space between a function's name and its argument ("sin x"); latex2mathml leaves it out.
FUNCTION_NAME = re.compile(r"(<mi>(?:sin|cos|tan|tanh|log|exp)</mi>)(?=<m[inrs])")


class MathError(ValueError):
    """A formula that cannot be typeset, or a math delimiter left open; the message names the page."""


def typeset_math(html_text: str, src: str) -> str:
    """Replace the math that arithmatex marked with MathML; a ``$`` left in the text (an unclosed formula) fails."""
    from latex2mathml.converter import convert

    def mathml(match: re.Match[str]) -> str:
        tex = html.unescape(match.group(2)).strip()
        try:
            if match.group(1) == "div":  # a display equation scrolls sideways in a box of its own if it is too wide
                return f'<div class="rv-scroll">{convert(tex, display="block")}</div>'
            return str(convert(tex, display="inline"))
        except Exception as error:
            raise MathError(f"page {src}: cannot typeset ${tex}$: {type(error).__name__} {error}".strip()) from None

    typeset = ARITHMATEX.sub(mathml, html_text)
    typeset = UNARY_MINUS.sub(r"\1<mn>&#x02212;\2</mn>", typeset)
    typeset = FUNCTION_NAME.sub(r'\1<mspace width="0.1667em"></mspace>', typeset)
    prose = re.sub(r"<(pre|code|math)\b.*?</\1>", "", typeset, flags=re.DOTALL)
    if "$" in prose:
        stray = prose[prose.index("$") :].split("\n")[0][:40]
        raise MathError(f"page {src}: a math delimiter is not closed near {stray!r}")
    return typeset

