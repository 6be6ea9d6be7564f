/* Two things the pages need once they are laid out, on every screen size:
 * - a box that scrolls (a wide equation or table on a phone) can be reached and scrolled from the keyboard,
 *   and says what it holds; it is a tab stop only while it really scrolls;
 * - the theme's code-block toolbars are navigation landmarks without names; each gets one of its own. */
"use strict";
(function () {
  const SCROLLERS = ".rv-scroll, .md-typeset__scrollwrap";

  function updateScroller(box) {
    // A table on a narrow screen scrolls up and down too, in a box no taller than the screen (reluviz.css).
    const sideways = box.scrollWidth > box.clientWidth + 1;
    const down = /auto|scroll/.test(getComputedStyle(box).overflowY) && box.scrollHeight > box.clientHeight + 1;
    const scrolls = sideways || down;
    box.classList.toggle("rv-scrolls", scrolls);
    if (scrolls) {
      const how = sideways && down ? "both ways" : sideways ? "sideways" : "up and down";
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", `${box.classList.contains("rv-scroll") ? "Equation" : "Table"}, scrolls ${how}`);
    } else {
      ["tabindex", "role", "aria-label"].forEach((name) => box.removeAttribute(name));
    }
  }

  function start() {
    const observer = new ResizeObserver((entries) => entries.forEach((entry) => updateScroller(entry.target)));
    document.querySelectorAll(SCROLLERS).forEach((box) => observer.observe(box));
    document.querySelectorAll("nav.md-code__nav").forEach((nav, index) => nav.setAttribute("aria-label", `Code block ${index + 1}`));
  }

  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
