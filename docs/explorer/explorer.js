/* The 1-D explorer: the Quora experiment's three panels drawn live, its read-outs, and the state in the address.
 * Every number comes from reluviz-core.js and reluviz-line.js (the package's computations); this file draws. */
"use strict";
(function () {
  const Core = window.ReluvizCore, Shared = window.ReluvizShared, UI = window.ReluvizUI;
  const { element, format, formatInterval, grouped, plural } = UI;
  const SVG_NS = "http://www.w3.org/2000/svg";
  const SETTINGS = new UI.Settings(Shared.explorer.controls, [["lo", "hi"], ["spread_lo", "spread_hi"]]);
  const PANEL = { top: 22, left: 52, right: 12, output: 150, gap: 22, kinks: 34, negative: 70, axis: 30 };
  const HEIGHT = PANEL.top + PANEL.output + PANEL.kinks + PANEL.negative + 2 * PANEL.gap + PANEL.axis;
  const PROBE_STEPS = 1000;
  const SMALLEST_WIDTH = 240;  // pixels: below this the plot is drawn at this width and the page scrolls
  const SMALLEST_HALF = 1e-6;  // Zoom in stops at a window this wide on either side of its centre
  const MAIN_CONTROLS = ["width", "layers", "seed"];  // above the plot; the others below it
  const DOT = 2;                 // the radius of a data point, in pixels
  const DATA_MARGIN = 1 / 8;     // the window fitted to the data reaches this part of their span beyond them
  const kinkCount = (pieces) => pieces.isKink.filter(Boolean).length;
  /* Where the kinks are drawn: the floating-point places (exact to the pixel; the JSON has the nearest doubles). */
  const kinkPlaces = (pieces) => pieces.edges.slice(1, -1).filter((_, k) => pieces.isKink[k]);

  /* measures.kink_spread's occupied gaps: how many gaps between neighbouring data points (distinct, sorted; gap i
   * from point i to i + 1, the last one closed) hold a kink; null for fewer than two distinct points. */
  function gapsHoldingAKink(kinks, xs) {
    const points = [...new Set(xs)].sort((a, b) => a - b), last = points.length - 1, held = new Set();
    if (last < 1) return null;
    for (const k of kinks) if (k >= points[0] && k <= points[last]) held.add(Math.min(points.findLastIndex((p) => p <= k), last - 1));
    return held.size;
  }

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

  class LineExplorer extends UI.ExplorerBase {
    constructor(root) {
      super(root, SETTINGS, "network");
      this.build();
      this.recompute();
      new ResizeObserver(() => {  // the width is kept, so that drawing need not ask for a layout
        if (this.figure.clientWidth === this.figureWidth) return;
        this.figureWidth = this.figure.clientWidth;
        this.draw();
      }).observe(this.figure);
      root.hidden = false;
    }

    build() {
      const zoom = UI.buttonGroup("Zoom the x interval", [["Zoom in", () => this.zoom(0.5)], ["Zoom out", () => this.zoom(2)], ["Reset interval", () => this.zoom(0)]]);
      this.controls = new UI.Controls(SETTINGS, this, {
        compact: this.compact, extras: { seed: [this.freshButton()], "after:hi": [zoom] }, more: "Where the spread initialisation puts the kinks",
        main: this.compact ? [] : MAIN_CONTROLS,
      });
      this.note = element("p", { class: "rv-note", role: "status" });
      this.addTrainPanel(false);
      this.showRejected(this.rejected);
      this.figure = element("div", { class: "rv-plot" });
      this.svg = document.createElementNS(SVG_NS, "svg");
      this.svg.setAttribute("role", "img");
      this.svg.setAttribute("height", HEIGHT);
      this.figure.append(this.svg);
      this.figure.addEventListener("pointermove", (event) => this.pointAt(event));
      this.figure.addEventListener("pointerdown", (event) => this.pointAt(event));
      this.figure.addEventListener("click", (event) => this.clickAt(event));
      this.probe = element("input", { type: "range", name: "probe", id: `${this.id}-probe`, min: 0, max: PROBE_STEPS, step: 1, value: PROBE_STEPS / 2 });
      this.probe.addEventListener("input", () => this.showProbe());
      const probeField = element("div", { class: "rv-field rv-probe-field" }, [
        element("label", { for: this.probe.id, text: "Look at x (or point at the plot)" }), this.probe]);
      this.probeText = element("p", { class: "rv-probe" });
      this.maskHeading = element("p", { class: "rv-mask-heading" });
      this.maskRows = element("div");
      this.mask = element("div", { class: "rv-mask" }, [this.maskHeading, this.maskRows]);
      this.summary = element("p", { class: "rv-summary", "aria-live": "polite" });
      const parts = [this.controls.mainNode, this.note, this.figure, probeField, this.probeText, this.mask, this.summary,
        ...(this.panel ? [this.panel.node] : []), this.controls.node];
      this.assemble(parts, "The same network, live in your browser: change the units or the seed and watch the kinks move.",
        "Open this network in the explorer, with every control");
    }

    zoom(factor) {
      const { lo, hi } = this.state, limit = SETTINGS.byName.hi.high;
      const centre = 0.5 * lo + 0.5 * hi, half = (0.5 * hi - 0.5 * lo) * factor;
      if (factor === 0 || !(Math.abs(centre) + half <= limit) || half < SMALLEST_HALF) Object.assign(this.state, { lo: this.defaults.lo, hi: this.defaults.hi });
      else Object.assign(this.state, { lo: centre - half, hi: centre + half });
      this.recompute();
    }

    /* Draw the network of the state and analyse it; put the state into the controls unless they set it. A new
     * network sends the Train panel back to step 0; a new window keeps the trained network. */
    recompute(updateControls = true) {
      this.controls.show(this.state, updateControls);
      this.network = Core.randomNetwork(this.state);
      if (this.networkChanged()) this.panel.restart();  // which shows the new network
      else this.analyse();
      this.followState();
    }

    /* Analyse the network shown (the trained one, or the state's) and draw it. One analysis, of the whole line;
     * the window's pieces are read from it exactly (ReluvizLine's within), and the window's own analysis, whose
     * sums start at its left end, is made only for its JSON. */
    analyse() {
      this.shown = this.trained || this.network;
      this.wholeLine = Core.analyzeLine(this.shown, -Infinity, Infinity);
      this.pieces = this.wholeLine.within(this.state.lo, this.state.hi);
      this.windowAnalysis = null;
      this.describe();
      this.draw();
      this.showCommand();
    }

    /* Show a network of the Train panel (null: the state's own; undefined: the one shown, with the data just
     * drawn) and count it for the panel. Curves the window cannot see well are zoomed to. */
    showTrained(network, frame) {
      if (network !== undefined) this.trained = network;
      const xs = this.panel.points().map(([x]) => x), lo = Math.min(...xs), hi = Math.max(...xs), s = this.state;
      if (network === undefined && xs.length && (lo < s.lo || hi > s.hi || (this.panel.ownData() === null && hi - lo < (s.hi - s.lo) / 4))) {
        const margin = DATA_MARGIN * (hi - lo) || 1;
        Object.assign(s, { lo: Number((lo - margin).toPrecision(3)), hi: Number((hi + margin).toPrecision(3)) });
        this.controls.show(s);
        this.addressChanged();
      }
      this.analyse();
      if (!frame) return;
      // The kinks as the package places them (each the nearest double), so that a kink on a data point counts alike.
      const kinks = this.wholeLine.breakpoints(), pieces = kinks.length + 1, gaps = gapsHoldingAKink(kinks, xs);
      this.panel.counted(frame, { value: pieces, name: "linear pieces", text: `${plural(pieces, "linear piece")} on the whole line` +
        (gaps === null ? "." : `, with kinks in ${plural(gaps, "gap")} between neighbouring data points.`) });
    }

    /* A click on the output panel: a point for the Train panel. */
    clickAt(event) {
      const box = this.svg.getBoundingClientRect(), c = this.scale;
      const f = (event.clientX - box.left - PANEL.left) / c.plotWidth, g = (event.clientY - box.top - PANEL.top) / PANEL.output;
      const { lo, hi } = this.state;
      if (f >= 0 && f <= 1 && g >= 0 && g <= 1) this.panel?.clicked([lo + f * (hi - lo), c.yHi - g * (c.yHi - c.yLo)]);
    }

    /* What `reluviz network … --json` prints for the state (or the trained network's analysis on the window). */
    json() {
      this.windowAnalysis ||= Core.analyzeLine(this.shown, this.state.lo, this.state.hi);
      return Core.cliJson(this.windowAnalysis);
    }

    describe() {
      const s = this.state, p = this.pieces, units = s.width * s.layers;
      const kinks = kinkCount(p), wholeKinks = kinkCount(this.wholeLine);
      const low = Math.min(...p.negative), high = Math.max(...p.negative);
      const unmet = expectedCountAssumptions(s);
      const [lo, hi] = formatInterval(s.lo, s.hi);
      const expected = unmet.length === 0
        ? `N + 1 = ${grouped(units + 1)} for these N = ${grouped(units)} hidden units is about the count to expect on the whole line ` +
          "for He-initialised ReLU networks with biases and wide layers (Kogan, Jananthan and Kepner 2025; Depth and pieces)."
        : `The count to expect for random networks, N + 1 (Kogan, Jananthan and Kepner 2025), is stated for He-initialised ReLU networks with biases; ${unmet.join(", ")}.`;
      this.summary.textContent = (this.trained ? "The trained network: " : "") +
        `${plural(kinks, "kink")}, so ${plural(kinks + 1, "linear piece")}, on [${lo}, ${hi}]; ` +
        `${plural(wholeKinks + 1, "linear piece")} on the whole line. ${boundSentence(s)} ${expected} ` +
        `Units with a negative input: between ${low} and ${high} of ${units}` +
        (s.activation === "identity" ? " (the identity passes them on unchanged, so nothing bends)." : ".");
      this.svg.setAttribute("aria-label",
        `Three panels over x from ${lo} to ${hi}: the output, ${kinks ? `a chain of ${kinks + 1} straight pieces` : "one straight line"}; ` +
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
      const pattern = Core.activationPattern(this.shown, x);
      const heading = identity ? "units with a positive input (the identity passes the others on too)" : "units on";
      this.maskHeading.textContent = `The mask D(x), ${heading}, layer by layer:`;
      UI.showUnits(this.maskRows, pattern);
      this.drawProbe(x, at.output);
    }

    draw() {
      const width = Math.max(SMALLEST_WIDTH, this.figureWidth ?? this.figure.clientWidth);
      this.svg.setAttribute("width", width);
      this.svg.setAttribute("viewBox", `0 0 ${width} ${HEIGHT}`);
      const { lo, hi } = this.state, p = this.pieces;
      const plotWidth = width - PANEL.left - PANEL.right;
      const sx = (x) => PANEL.left + ((x - lo) / (hi - lo)) * plotWidth;
      const xs = p.edges;
      const ys = xs.map((x) => Core.evaluate(this.wholeLine, x).output);  // the output is straight between these
      const data = this.panel ? this.panel.points().filter(([x]) => x >= lo && x <= hi) : [];
      let yLo = Math.min(...ys, ...data.map((d) => d[1])), yHi = Math.max(...ys, ...data.map((d) => d[1]));
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
      // The data's points go under the output, which they should not hide.
      if (data.length) parts.push(`<path class="rv-data" d="${data.map(([x, y]) => `M${r(sx(x) - DOT)} ${r(sy(y))}a${DOT} ${DOT} 0 1 0 ${2 * DOT} 0a${DOT} ${DOT} 0 1 0 ${-2 * DOT} 0`).join("")}"/>`);
      parts.push(`<path class="rv-output" d="${xs.map((x, k) => `${k ? "L" : "M"}${r(sx(x))} ${r(sy(ys[k]))}`).join("")}"/>`);
      parts.push(`<path class="rv-kinks" d="${kinkPlaces(p).map((b) => `M${r(sx(b))} ${top2 + 3}V${top2 + PANEL.kinks - 3}`).join("")}"/>`);
      const steps = p.negative.map((n, k) => `${k ? "V" : `M${r(sx(xs[0]))} `}${r(sn(n))}H${r(sx(xs[k + 1]))}`).join("");
      parts.push(`<path class="rv-negative" d="${steps}"/>`);
      parts.push('<g class="rv-probe-mark"><line class="rv-probe-line"/><circle class="rv-probe-dot" r="4"/></g>');
      this.svg.innerHTML = parts.join("");
      this.scale = { sx, sy, bottom: top3 + PANEL.negative, plotWidth, yLo, yHi };
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
