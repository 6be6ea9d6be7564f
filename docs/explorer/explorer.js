/* The 1-D explorer: the Quora experiment's three panels drawn live, its read-outs, and the state in the address.
 * Every number comes from reluviz-core.js and reluviz-line.js (the package's computations); this file draws. */
"use strict";
(function () {
  const Core = window.ReluvizCore, Shared = window.ReluvizShared, UI = window.ReluvizUI;
  const { element, format, grouped, plural } = UI;
  const SVG_NS = "http://www.w3.org/2000/svg";
  const SETTINGS = new UI.Settings(Shared.explorer.controls, [["lo", "hi"], ["spread_lo", "spread_hi"]]);
  const PANEL = { top: 22, left: 52, right: 12, output: 150, gap: 22, kinks: 34, negative: 70, axis: 30 };
  const HEIGHT = PANEL.top + PANEL.output + PANEL.kinks + PANEL.negative + 2 * PANEL.gap + PANEL.axis;
  const PROBE_STEPS = 1000;
  const SMALLEST_WIDTH = 240;  // pixels: below this the plot is drawn at this width and the page scrolls
  const SMALLEST_HALF = 1e-6;  // Zoom in stops at a window this wide on either side of its centre
  const MAIN_CONTROLS = ["width", "layers", "seed"];  // above the plot; the others below it
  const kinkCount = (pieces) => pieces.isKink.filter(Boolean).length;
  /* Where the kinks are drawn: the floating-point places (exact to the pixel; the JSON has the nearest doubles). */
  const kinkPlaces = (pieces) => pieces.edges.slice(1, -1).filter((_, k) => pieces.isKink[k]);

  /* Why the expected count N + 1 of Kogan, Jananthan and Kepner (2025) is shown, or why not: it is stated for
   * He-initialised ReLU networks with biases, and the read-out shows it only where all three hold. */
  function expectedCountAssumptions(state) {
    const unmet = [];
    if (state.activation !== "relu") unmet.push(state.activation === "identity" ? "this one is linear" : "this one is leaky");
    if (!state.biases) unmet.push("this one has no biases");
    if (state.init !== "he") unmet.push(`this one is initialised ${state.init === "spread" ? "by the site's spread" : "from the standard normal"}`);
    return unmet;
  }

  /* The most pieces the shape allows, said as the upper bound it is. */
  function boundSentence(state) {
    if (state.activation === "identity") return "With the identity nothing bends: the network is one affine function, whatever its shape.";
    if (state.layers === 1) {
      return `One hidden layer of ${state.width} units has at most ${state.width} + 1 = ${grouped(state.width + 1)} pieces, and has that many ` +
        "when its units' kinks are all at different places.";
    }
    return `No network of ${state.layers} hidden layers of ${state.width} units has more than (${state.width} + 1)^${state.layers} = ` +
      `${grouped((state.width + 1) ** state.layers)} pieces: an upper bound, which narrow layers cannot reach (Depth and pieces).`;
  }

  class LineExplorer {
    constructor(root) {
      this.root = root;
      this.id = root.id;
      this.compact = root.dataset.mode === "compact";
      this.defaults = SETTINGS.parse(new URLSearchParams(root.dataset.state)).state;
      const { state, rejected } = this.compact
        ? { state: { ...this.defaults }, rejected: [] }
        : SETTINGS.parse(new URLSearchParams(window.location.search), this.defaults);
      this.state = state;
      this.build(rejected);
      this.recompute();
      new ResizeObserver(() => this.draw()).observe(this.figure);
      root.hidden = false;
    }

    build(rejected) {
      const fresh = element("button", { type: "button", text: "New network" });
      fresh.addEventListener("click", () => {
        this.state.seed = Math.floor(Math.random() * 1e6);
        this.recompute();
      });
      const zoom = element("div", { class: "rv-field rv-zoom", role: "group", "aria-label": "Zoom the x interval" });
      [["Zoom in", 0.5], ["Zoom out", 2], ["Reset interval", 0]].forEach(([text, factor]) => {
        const button = element("button", { type: "button", text });
        button.addEventListener("click", () => this.zoom(factor));
        zoom.append(button);
      });
      this.controls = new UI.Controls(SETTINGS, this, {
        compact: this.compact, extras: { seed: [fresh], "after:hi": [zoom] }, more: "Where the spread initialisation puts the kinks",
        main: this.compact ? [] : MAIN_CONTROLS,
      });
      this.note = element("p", { class: "rv-note", role: "status" });
      this.showProblems(rejected.length ? [`Not valid in the link, so left at their defaults: ${rejected.join("; ")}`] : []);
      this.figure = element("div", { class: "rv-plot" });
      this.svg = document.createElementNS(SVG_NS, "svg");
      this.svg.setAttribute("role", "img");
      this.svg.setAttribute("height", HEIGHT);
      this.figure.append(this.svg);
      this.figure.addEventListener("pointermove", (event) => this.pointAt(event));
      this.figure.addEventListener("pointerdown", (event) => this.pointAt(event));
      this.probe = element("input", { type: "range", name: "probe", id: `${this.id}-probe`, min: 0, max: PROBE_STEPS, step: 1, value: PROBE_STEPS / 2 });
      this.probe.addEventListener("input", () => this.showProbe());
      const probeField = element("div", { class: "rv-field rv-probe-field" }, [
        element("label", { for: this.probe.id, text: "Look at x (or point at the plot)" }), this.probe]);
      this.probeText = element("p", { class: "rv-probe" });
      this.mask = element("div", { class: "rv-mask" });
      this.summary = element("p", { class: "rv-summary", "aria-live": "polite" });
      const lead = this.compact
        ? [element("p", { class: "rv-lead", text: "The same network, live in your browser: change the units or the seed and watch the kinks move." })]
        : [];
      const parts = [...lead, this.controls.mainNode, this.note, this.figure, probeField, this.probeText, this.mask, this.summary, this.controls.node];
      if (this.compact) {
        this.open = element("a", { class: "rv-open", text: "Open this network in the explorer, with every control" });
        parts.push(element("p", {}, [this.open]));
      } else {
        this.share = UI.shareBox(() => this.json(), () => {
          const s = this.state;
          return `reluviz-network-w${s.width}-l${s.layers}-seed${s.seed}.json`;
        });
        parts.push(...this.share.node);
      }
      this.root.append(...parts);
    }

    showProblems(problems) {
      this.note.hidden = problems.length === 0;
      this.note.textContent = problems.length ? `${problems.join("; ")}.` : "";
    }

    fromControls() {
      const { next, problems } = this.controls.read(this.state);
      this.showProblems(problems);
      if (problems.length) return;
      this.state = next;
      this.recompute(false);
    }

    zoom(factor) {
      const { lo, hi } = this.state, limit = SETTINGS.byName.hi.high;
      const centre = 0.5 * lo + 0.5 * hi, half = (0.5 * hi - 0.5 * lo) * factor;
      if (factor === 0 || !(Math.abs(centre) + half <= limit) || half < SMALLEST_HALF) Object.assign(this.state, { lo: this.defaults.lo, hi: this.defaults.hi });
      else Object.assign(this.state, { lo: centre - half, hi: centre + half });
      this.recompute();
    }

    /* Draw the network of the state and analyse it; put the state into the controls unless they set it. */
    recompute(updateControls = true) {
      const s = this.state;
      this.controls.show(s, updateControls);
      this.network = Core.randomNetwork(s);
      // One analysis, of the whole line; the window's pieces are read from it exactly (ReluvizLine's within), and
      // the window's own analysis, whose sums start at its left end, is made only for its JSON.
      this.wholeLine = Core.analyzeLine(this.network, -Infinity, Infinity);
      this.pieces = this.wholeLine.within(s.lo, s.hi);
      this.windowAnalysis = null;
      this.describe();
      this.draw();
      const query = SETTINGS.query(s);
      if (this.compact) this.open.href = `${this.root.dataset.explore}?${query}`;
      else {
        UI.followAddress(this, query);
        this.share.command.textContent = SETTINGS.command("network", s);
      }
    }

    /* What `reluviz network … --json` prints for the state: the window's own analysis, made once asked for. */
    json() {
      this.windowAnalysis ||= Core.analyzeLine(this.network, this.state.lo, this.state.hi);
      return Core.cliJson(this.windowAnalysis);
    }

    describe() {
      const s = this.state, p = this.pieces, units = s.width * s.layers;
      const kinks = kinkCount(p), wholeKinks = kinkCount(this.wholeLine);
      const low = Math.min(...p.negative), high = Math.max(...p.negative);
      const unmet = expectedCountAssumptions(s);
      const expected = unmet.length === 0
        ? `N + 1 = ${grouped(units + 1)} for these N = ${grouped(units)} hidden units is about the count to expect on the whole line ` +
          "for He-initialised ReLU networks with biases and wide layers (Kogan, Jananthan and Kepner 2025; Depth and pieces)."
        : `The count to expect for random networks, N + 1 (Kogan, Jananthan and Kepner 2025), is stated for He-initialised ReLU networks with biases; ${unmet.join(", ")}.`;
      this.summary.textContent =
        `${plural(kinks, "kink")}, so ${plural(kinks + 1, "linear piece")}, on [${format(s.lo)}, ${format(s.hi)}]; ` +
        `${plural(wholeKinks + 1, "linear piece")} on the whole line. ${boundSentence(s)} ${expected} ` +
        `Units with a negative input: between ${low} and ${high} of ${units}` +
        (s.activation === "identity" ? " (the identity passes them on unchanged, so nothing bends)." : ".");
      this.svg.setAttribute("aria-label",
        `Three panels over x from ${format(s.lo)} to ${format(s.hi)}: the output, ${kinks ? `a chain of ${kinks + 1} straight pieces` : "one straight line"}; ` +
        `${plural(kinks, "kink")}; the number of units with a negative input, from ${low} to ${high}.`);
      this.showProbe();
    }

    pointAt(event) {
      const box = this.svg.getBoundingClientRect();
      const fraction = (event.clientX - box.left - PANEL.left) / (box.width - PANEL.left - PANEL.right);
      if (fraction < 0 || fraction > 1) return;
      this.probe.value = Math.round(fraction * PROBE_STEPS);
      this.showProbe();
    }

    probeX() {
      const { lo, hi } = this.state, t = Number(this.probe.value) / PROBE_STEPS;
      return lo * (1 - t) + hi * t;
    }

    /* The read-out at the probe: output, slope, which linear piece of the window (counted between kinks, not
     * between the places where a unit's input changes sign), and which units are on. */
    showProbe() {
      const x = this.probeX(), at = Core.evaluate(this.wholeLine, x), p = this.pieces;
      const kinksLeft = kinkPlaces(p).filter((b) => b <= x).length, identity = this.state.activation === "identity";
      const text = `x = ${format(x)}: output ${format(at.output)}, slope ${format(at.slope)}, linear piece ${grouped(kinksLeft + 1)} of ${grouped(kinkCount(p) + 1)}`;
      this.probeText.textContent = text;
      this.probe.setAttribute("aria-valuetext", text);
      const pattern = Core.activationPattern(this.network, x);
      const heading = identity ? "units with a positive input (the identity passes the others on too)" : "units on";
      this.mask.replaceChildren(element("p", { class: "rv-mask-heading", text: `The mask D(x), ${heading}, layer by layer:` }), ...UI.unitsPicture(pattern));
      this.drawProbe(x, at.output);
    }

    draw() {
      const width = Math.max(SMALLEST_WIDTH, this.figure.clientWidth);
      this.svg.setAttribute("width", width);
      this.svg.setAttribute("viewBox", `0 0 ${width} ${HEIGHT}`);
      const { lo, hi } = this.state, p = this.pieces;
      const plotWidth = width - PANEL.left - PANEL.right;
      const sx = (x) => PANEL.left + ((x - lo) / (hi - lo)) * plotWidth;
      const xs = p.edges;
      const ys = xs.map((x) => Core.evaluate(this.wholeLine, x).output);  // the output is straight between these
      let yLo = Math.min(...ys), yHi = Math.max(...ys);
      if (!(yHi - yLo > 1e-12 * Math.max(1, Math.abs(yHi)))) { yLo -= 1; yHi += 1; }
      const pad = 0.05 * (yHi - yLo);
      [yLo, yHi] = [yLo - pad, yHi + pad];
      const top1 = PANEL.top, top2 = top1 + PANEL.output + PANEL.gap, top3 = top2 + PANEL.kinks + PANEL.gap;
      const sy = (y) => top1 + PANEL.output * (1 - (y - yLo) / (yHi - yLo));
      const maxNegative = Math.max(1, ...p.negative);
      const sn = (n) => top3 + PANEL.negative * (1 - n / maxNegative);
      const r = (v) => Math.round(v * 10) / 10;  // a tenth of a pixel
      const parts = [];
      for (const [t, h] of [[top1, PANEL.output], [top2, PANEL.kinks], [top3, PANEL.negative]]) {
        parts.push(`<rect class="rv-frame" x="${PANEL.left}" y="${t}" width="${r(plotWidth)}" height="${h}"/>`);
      }
      for (const t of UI.ticks(lo, hi, Math.max(2, Math.floor(plotWidth / 90)))) {
        parts.push(`<line class="rv-grid" x1="${r(sx(t))}" x2="${r(sx(t))}" y1="${top1}" y2="${top3 + PANEL.negative}"/>`,
          `<text class="rv-tick" x="${r(sx(t))}" y="${top3 + PANEL.negative + 16}" text-anchor="middle">${format(t, 3)}</text>`);
      }
      for (const t of UI.ticks(yLo, yHi, 4)) {
        parts.push(`<text class="rv-tick" x="${PANEL.left - 6}" y="${r(sy(t)) + 4}" text-anchor="end">${format(t, 3)}</text>`);
      }
      for (const n of [0, maxNegative]) parts.push(`<text class="rv-tick" x="${PANEL.left - 6}" y="${r(sn(n)) + 4}" text-anchor="end">${n}</text>`);
      parts.push(`<text class="rv-label" x="${PANEL.left + 4}" y="${top1 - 5}">output</text>`,
        `<text class="rv-label" x="${PANEL.left + 4}" y="${top2 - 5}">kinks (${kinkCount(p)})</text>`,
        `<text class="rv-label" x="${PANEL.left + 4}" y="${top3 - 5}">units with a negative input</text>`,
        `<text class="rv-tick" x="${PANEL.left + plotWidth}" y="${HEIGHT - 2}" text-anchor="end">x</text>`);
      parts.push(`<path class="rv-output" d="${xs.map((x, k) => `${k ? "L" : "M"}${r(sx(x))} ${r(sy(ys[k]))}`).join("")}"/>`);
      parts.push(`<path class="rv-kinks" d="${kinkPlaces(p).map((b) => `M${r(sx(b))} ${top2 + 3}V${top2 + PANEL.kinks - 3}`).join("")}"/>`);
      const steps = p.negative.map((n, k) => `${k ? "V" : `M${r(sx(xs[0]))} `}${r(sn(n))}H${r(sx(xs[k + 1]))}`).join("");
      parts.push(`<path class="rv-negative" d="${steps}"/>`);
      parts.push('<g class="rv-probe-mark"><line class="rv-probe-line"/><circle class="rv-probe-dot" r="4"/></g>');
      this.svg.innerHTML = parts.join("");
      this.scale = { sx, sy, bottom: top3 + PANEL.negative };
      this.drawProbe(this.probeX(), Core.evaluate(this.wholeLine, this.probeX()).output);
    }

    drawProbe(x, y) {
      if (!this.scale) return;
      const line = this.svg.querySelector(".rv-probe-line"), dot = this.svg.querySelector(".rv-probe-dot");
      const px = this.scale.sx(x);
      Object.entries({ x1: px, x2: px, y1: PANEL.top, y2: this.scale.bottom }).forEach(([k, v]) => line.setAttribute(k, v));
      dot.setAttribute("cx", px);
      dot.setAttribute("cy", this.scale.sy(y));
    }
  }

  document.querySelectorAll(".rv-explorer").forEach((root) => {
    root.explorer = new LineExplorer(root);
  });
})();
