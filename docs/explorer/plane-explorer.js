/* The 2-D explorer: a network with two inputs, its exact activation regions in a square drawn on a canvas, the
 * output's level lines and its zero line, and read-outs. The cutting runs in plane-worker.js; this file draws and
 * listens, and every number it shows comes from the worker's analysis (the package's, bit for bit). */
"use strict";
(function () {
  const Shared = window.ReluvizShared, UI = window.ReluvizUI;
  const { element, format, grouped, plural } = UI;
  const SETTINGS = new UI.Settings(Shared.plane.controls);
  const MARGIN = { left: 46, bottom: 26, top: 8, right: 8 };
  const LEVELS = 7;            // about this many level lines of the output
  const PROBE_STEP = 1 / 40;   // an arrow key moves the probe this part of the square
  const PAN_STEP = 1 / 8;      // Shift + arrow pans the square this part of its width
  const WHOLE_PLANE_DELAY_MS = 400;
  const HUE_BUCKETS = 48;      // the gradient directions are told apart in this many hues
  const DOT = 3;               // half the size of a data point's mark, in pixels
  const DATA_MARGIN = 1.1;     // a square fitted to the data reaches this far beyond the farthest coordinate
  const HALF = SETTINGS.byName.half, CENTRE = SETTINGS.byName.x;
  const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };

  /* Where the worker's file is: beside this script. */
  const WORKER_URL = new URL("plane-worker.js", document.currentScript.src).href;

  /* A worker that does one task at a time. A request made while it works waits, and replaces a waiting request
   * of the same task, so a dragged slider never queues up stale work. (A worker is never ended and started again:
   * an offline page could not load its script a second time.) */
  class TaskWorker {
    constructor(onReply) {
      this.busy = false;
      this.waiting = new Map();
      this.worker = new Worker(WORKER_URL);
      this.worker.onerror = (event) => { this.busy = false; onReply({ id: null, error: event.message || "the worker failed" }); };
      this.worker.onmessage = ({ data }) => {
        this.busy = false;
        const [next] = this.waiting.values();
        if (next) { this.waiting.delete(next.task); this.send(next); }
        onReply(data);
      };
    }

    send(message) {
      if (this.busy) { this.waiting.set(message.task, message); return; }
      this.busy = true;
      this.worker.postMessage(message);
    }
  }

  /* The shade of a region: its hue says which way the output rises there (the gradient's direction); a flat
   * region (-1) is grey. Saturation and lightness come from the stylesheet, for light and dark pages. */
  const bucketOf = (g1, g2) => (g1 === 0 && g2 === 0 ? -1 : Math.round((Math.atan2(g2, g1) / (2 * Math.PI) + 1) * HUE_BUCKETS) % HUE_BUCKETS);
  const shade = (bucket, look) => (bucket < 0 ? look.flat : `hsl(${Math.round((bucket * 360) / HUE_BUCKETS)} ${look.saturation} ${look.lightness})`);

  /* The regions' polygons as the worker sent them, with the look-ups the read-outs need. */
  class Regions {
    constructor(data) {
      Object.assign(this, data);
      const boxes = new Float64Array(4 * data.count);
      for (let k = 0; k < data.count; k++) {
        let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
        for (let j = data.starts[k]; j < data.starts[k + 1]; j++) {
          const x = data.coordinates[2 * j], y = data.coordinates[2 * j + 1];
          x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
        }
        boxes.set([x0, x1, y0, y1], 4 * k);
      }
      this.boxes = boxes;
      this.units = data.widths.reduce((t, w) => t + w, 0);
    }

    /* The region holding (x, y): the first whose convex polygon has the point on no outer side. */
    at(x, y) {
      const c = this.coordinates, b = this.boxes;
      for (let k = 0; k < this.count; k++) {
        if (x < b[4 * k] || x > b[4 * k + 1] || y < b[4 * k + 2] || y > b[4 * k + 3]) continue;
        let inside = true;
        for (let j = this.starts[k], last = this.starts[k + 1] - 1; j <= last && inside; j++) {
          const n = j === last ? this.starts[k] : j + 1;
          inside = (c[2 * n] - c[2 * j]) * (y - c[2 * j + 1]) - (c[2 * n + 1] - c[2 * j + 1]) * (x - c[2 * j]) >= 0;
        }
        if (inside) return k;
      }
      return -1;
    }

    pattern(k) {
      let offset = k * this.units;
      return this.widths.map((w) => { const layer = Array.from(this.patterns.subarray(offset, offset + w), Boolean); offset += w; return layer; });
    }

    output(k, x, y) {
      return this.intercepts[k] + this.gradients[2 * k] * x + this.gradients[2 * k + 1] * y;
    }
  }

  /* What the read-out says about counts and bounds, each claim shown only where its assumptions hold. */
  function countSentences(state, regions, whole) {
    const n = state.width, square = plural(regions.count, "activation region");
    const parts = [`${square} in this square`];
    if (whole === undefined) parts[0] += "; counting the whole plane…";
    else if (whole.count === null) parts[0] += `; the whole plane is not counted here (${whole.reason})`;
    else parts[0] += `; ${plural(whole.count, "region")} in the whole plane`;
    const sentences = [`${parts[0]}.`];
    if (state.activation === "identity") {
      sentences.push("With the identity nothing bends: the output is one affine function everywhere, and the regions only show where units' inputs change sign.");
    }
    if (state.layers === 1 && state.biases) {
      const formula = 1 + n + (n * (n - 1)) / 2;
      const reached = whole && whole.count !== null ? (whole.count === formula ? " These lines are." : " These are not: some are parallel or meet three at a point.") : "";
      sentences.push(`One hidden layer of ${n} units draws ${n} lines, which cut the plane into at most 1 + n + n(n − 1)/2 = ${grouped(formula)} regions, ` +
        `exactly that many when no two are parallel and no three meet in a point.${reached}`);
    } else if (state.layers === 1) {
      sentences.push(`Without biases every one of the ${n} lines passes through the origin, which makes at most 2n = ${grouped(2 * n)} regions.`);
    } else {
      const bound = regions.bound;
      const source = state.activation === "relu" ? "Serra, Tjandraatmadja and Ramalingam 2018, Theorem 1" : "one layer's count for each layer, multiplied";
      sentences.push(`No network of this shape has more than ${grouped(bound)} regions (${source}): an upper bound, not a count to expect.`);
    }
    return sentences.join(" ");
  }

  class PlaneExplorer extends UI.ExplorerBase {
    constructor(root) {
      super(root, SETTINGS, "regions");
      this.probe = [0.5, 0.5];  // where the probe is, as parts of the square's width and height
      this.asked = 0;           // the id of the latest state sent to the workers
      this.jsonWaiting = new Map();
      this.square = new TaskWorker((data) => this.received(data));
      this.whole = new TaskWorker((data) => this.receivedWhole(data));
      this.build();
      this.recompute();
      // The plot's width is read here, where the layout is done anyway, and never while drawing; a new height (the
      // canvas's own, once drawn) needs no drawing again.
      new ResizeObserver(() => {
        if (this.plot.clientWidth === this.plotWidth) return;
        this.plotWidth = this.plot.clientWidth;
        this.draw();
      }).observe(this.plot);
      window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => this.draw());
      root.hidden = false;
    }

    build() {
      const view = UI.buttonGroup("Move the square", [["Zoom in", () => this.zoom(0.5)], ["Zoom out", () => this.zoom(2)], ["Reset view", () => this.zoom(0)],
        ["←", () => this.pan(-1, 0), "Pan left"], ["→", () => this.pan(1, 0), "Pan right"], ["↑", () => this.pan(0, 1), "Pan up"],
        ["↓", () => this.pan(0, -1), "Pan down"]]);
      this.controls = new UI.Controls(SETTINGS, this, { compact: this.compact, extras: { seed: [this.freshButton()], "after:y": [view] } });
      if (this.compact) this.controls.node.append(view);
      this.note = element("p", { class: "rv-note", role: "status" });
      this.addTrainPanel(true);
      this.showRejected(this.rejected);
      this.canvas = element("canvas", { tabindex: "0", role: "img", class: "rv-plane-canvas",
        "aria-label": "The square, its regions being computed." });
      this.marker = element("span", { class: "rv-plane-probe", "aria-hidden": "true" });
      this.plot = element("div", { class: "rv-plane-plot" }, [this.canvas, this.marker]);
      this.canvas.addEventListener("pointermove", (event) => this.pointer(event));
      this.canvas.addEventListener("pointerdown", (event) => this.pointer(event, true));
      this.canvas.addEventListener("pointerup", () => { this.dragging = null; });
      this.canvas.addEventListener("keydown", (event) => this.key(event));
      this.canvas.addEventListener("click", (event) => {
        const [fx, fy] = this.fractions(event), [x0, x1, y0, y1] = this.corners(this.shownState);
        if (fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1) this.panel?.clicked([x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)]);
      });
      const hint = element("p", { class: "rv-hint", id: `${this.id}-hint`,
        text: "Point at the square, or focus it and use the arrow keys, to read one region; Shift + arrows pan, + and − zoom. " +
          "Colour: the direction in which the output rises; thin lines: the output's levels; thick line: where the output is 0." });
      this.canvas.setAttribute("aria-describedby", hint.id);
      this.probeText = element("p", { class: "rv-probe", "aria-live": "polite" });
      this.mask = element("div", { class: "rv-mask" });
      this.summary = element("p", { class: "rv-summary", "aria-live": "polite" });
      const body = element("div", { class: "rv-plane-body" }, [element("div", { class: "rv-plane-view" }, [this.plot, hint]), this.controls.node]);
      this.assemble([this.note, body, this.summary, ...(this.panel ? [this.panel.node] : []), this.probeText, this.mask],
        "The same kind of network, live: change the units or the seed and watch the regions re-cut.",
        "Open this network in the plane explorer, with every control");
    }

    corners(state = this.state) {
      return [state.x - state.half, state.x + state.half, state.y - state.half, state.y + state.half];
    }

    /* Zoom by `factor` (0 resets the view); the half-width stays within its control's range, with a note. */
    zoom(factor) {
      const half = this.state.half * factor;
      if (factor === 0) Object.assign(this.state, { half: this.defaults.half, x: this.defaults.x, y: this.defaults.y });
      else if (half < HALF.low || half > HALF.high) {
        this.showProblems([`The half-width stays from ${format(HALF.low)} to ${format(HALF.high)}`]);
        return;
      } else this.state.half = half;
      this.recompute();
    }

    pan(dx, dy, step = PAN_STEP) {
      const s = this.state, x = s.x + dx * step * 2 * s.half, y = s.y + dy * step * 2 * s.half;
      if (Math.abs(x) > CENTRE.high || Math.abs(y) > CENTRE.high) {
        this.showProblems([`The centre stays within ±${format(CENTRE.high)}`]);
        return;
      }
      Object.assign(s, { x, y });
      this.recompute();
    }

    /* Put the state into the controls and the address, and cut its square. A new network sends the Train panel
     * back to step 0; a new square keeps the trained network. */
    recompute(updateControls = true) {
      this.controls.show(this.state, updateControls);
      this.followState();
      if (this.networkChanged()) this.panel.restart();  // which cuts the new network
      else this.cut();
    }

    /* Send the network shown (the trained one, or the state's) to the workers, unless the square cannot be drawn;
     * `frame` is the Train panel's step it shows, counted once cut. */
    cut(frame) {
      const s = this.state, [x0, x1, y0, y1] = this.corners();
      this.showCommand();
      if (!(x0 < x1 && y0 < y1)) {
        this.showProblems([`At this centre a square of half-width ${format(s.half)} has sides the doubles cannot tell apart: zoom out`]);
        return;
      }
      this.asked += 1;
      this.askedFrame = frame;
      this.cutting = true;
      this.plot.setAttribute("aria-busy", "true");
      this.square.send({ id: this.asked, task: this.trained ? "trained" : "square", state: { ...s }, network: this.trained });
      // The whole plane is counted once the controls rest: it can take seconds, and would slow every step.
      clearTimeout(this.wholeTimer);
      this.wholeCount = this.trained ? { count: null, reason: "the network is a trained one" } : undefined;
      const id = this.asked;
      if (!this.trained) this.wholeTimer = setTimeout(() => this.whole.send({ id, task: "whole", state: { ...s } }), WHOLE_PLANE_DELAY_MS);
    }

    /* The Train panel's network, with the kinks (for the spread initialisation) where the plane explorer spreads them. */
    trainNetworkSettings() {
      const [spread_lo, spread_hi] = Shared.plane.spread;
      return super.trainNetworkSettings({ spread_lo, spread_hi });
    }

    /* Show a network of the Train panel (null: the state's own; undefined: the one shown, with the data just
     * drawn). While the worker cuts one, only the newest of the frames that arrive meanwhile is cut next, so that
     * the drawing keeps up with any speed of training. */
    showTrained(network, frame) {
      if (network === undefined) { this.fitData(); this.draw(); return; }
      if (network && this.cutting) { this.later = [network, frame]; return; }
      this.later = null;
      this.trained = network;
      this.cut(frame);
    }

    /* Generated data the square does not hold: the square around them instead (every data set is centred). */
    fitData() {
      const points = this.panel.points(), [x0, x1, y0, y1] = this.corners();
      if (this.panel.ownData() || !points.some(([x, y]) => x < x0 || x > x1 || y < y0 || y > y1)) return;
      const most = Math.max(...points.map(([x, y]) => Math.max(Math.abs(x), Math.abs(y))));
      Object.assign(this.state, { x: 0, y: 0, half: Number((DATA_MARGIN * most).toPrecision(2)) });
      this.recompute();
    }

    /* The Train panel's count: the regions in the square, and those that hold a data point. */
    trainedCount() {
      const r = this.regions, held = new Set(this.panel.points().map(([x, y]) => r.at(x, y)).filter((k) => k >= 0));
      return { value: r.count, name: "regions in the square", text: `${plural(r.count, "region")} in the square, ${grouped(held.size)} of them holding data points.` };
    }

    received(data) {
      if (data.task === "json") {
        const done = this.jsonWaiting.get(data.id);
        this.jsonWaiting.delete(data.id);
        if (done) done(data);
        return;
      }
      if (data.error && (data.id === this.asked || data.id === null)) {
        this.plot.removeAttribute("aria-busy");
        this.cutting = false;
        this.showProblems([`This square cannot be cut: ${data.error}`]);
        return;
      }
      if (data.id !== this.asked) return;  // a newer state is on its way
      this.plot.removeAttribute("aria-busy");
      this.shownState = { ...this.state };
      this.cutting = false;
      if (data.stopped) {
        this.regions = null;
        this.plot.classList.add("rv-stale");
        this.summary.textContent = `More than ${grouped(data.limit)} regions in this view: too many to cut and draw here. Zoom in, or choose fewer units or layers.`;
      } else {
        this.plot.classList.remove("rv-stale");
        this.regions = new Regions(data);
        this.describe();
        this.draw();
        if (this.askedFrame) this.panel.counted(this.askedFrame, this.trainedCount());
        this.root.dispatchEvent(new CustomEvent("rv-drawn", { detail: { id: data.id, count: data.count } }));  // for benchmarks and tests
      }
      if (this.later) this.showTrained(...this.later);
    }

    receivedWhole(data) {
      if (data.id !== this.asked || data.error) return;
      this.wholeCount = data;
      if (this.regions) this.describe();
    }

    /* What `reluviz regions … --json` prints for the state (or the trained network's regions), from the worker. */
    json() {
      const id = `json-${(this.jsonAsked = (this.jsonAsked || 0) + 1)}`, state = { ...this.state };
      return new Promise((resolve, reject) => {
        this.jsonWaiting.set(id, (data) => (data.error ? reject(new Error(data.error)) : resolve(data.json)));
        this.square.send({ id, task: "json", state, network: this.trained });
      });
    }

    describe() {
      const s = this.shownState, [x0, x1, y0, y1] = this.corners(s);
      this.summary.textContent = (this.trained ? "The trained network: " : "") + `On [${format(x0)}, ${format(x1)}] × [${format(y0)}, ${format(y1)}]: ` +
        countSentences(s, this.regions, this.wholeCount);
      this.canvas.setAttribute("aria-label", `The square cut into ${plural(this.regions.count, "region")}, coloured by the direction of the output's gradient` +
        (this.panel?.points().length ? "; over it the data, class 0 as squares and class 1 as circles." : "."));
      this.showProbe();
    }

    /* Where the pointer is, as parts of the square's width and height (NaN before the first drawing). */
    fractions(event) {
      const box = this.canvas.getBoundingClientRect();
      return [(event.clientX - box.left - MARGIN.left) / this.size, 1 - (event.clientY - box.top - MARGIN.top) / this.size];
    }

    pointer(event, pressed = false) {
      if (!this.size) return;
      const [fx, fy] = this.fractions(event);
      // A mouse drags the square, unless a click adds a point for the Train panel.
      if (pressed && event.pointerType === "mouse" && !this.panel?.takesPoints()) this.dragging = { fx, fy, x: this.state.x, y: this.state.y };
      if (this.dragging && event.buttons === 1) {  // a mouse drag pans
        const s = this.state, span = 2 * s.half;
        const x = this.dragging.x - (fx - this.dragging.fx) * span, y = this.dragging.y - (fy - this.dragging.fy) * span;
        if (Math.abs(x) <= CENTRE.high && Math.abs(y) <= CENTRE.high && (x !== s.x || y !== s.y)) {
          Object.assign(s, { x, y });
          this.recompute();
        }
        return;
      }
      if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return;
      this.probe = [fx, fy];
      this.showProbe();
    }

    key(event) {
      const move = ARROWS[event.key];
      if (move && event.shiftKey) this.pan(...move);
      else if (move) {
        this.probe = this.probe.map((p, i) => Math.min(1, Math.max(0, p + move[i] * PROBE_STEP)));
        this.showProbe();
      } else if (event.key === "+" || event.key === "=") this.zoom(0.5);
      else if (event.key === "-") this.zoom(2);
      else return;
      event.preventDefault();
    }

    probePoint() {
      const [x0, x1, y0, y1] = this.corners(this.shownState);
      return [x0 * (1 - this.probe[0]) + x1 * this.probe[0], y0 * (1 - this.probe[1]) + y1 * this.probe[1]];
    }

    /* The read-out at the probe: its region, the region's affine map and the output, and which units are on. */
    showProbe() {
      if (!this.regions) return;
      const [x, y] = this.probePoint(), r = this.regions, k = r.at(x, y);
      this.drawProbe(x, y);
      if (k < 0) { this.probeText.textContent = `(${format(x)}, ${format(y)}) lies on a boundary between regions.`; return; }
      const [g1, g2] = [r.gradients[2 * k], r.gradients[2 * k + 1]];
      const sign = (v) => (v < 0 ? " − " : " + ") + format(Math.abs(v));
      this.probeText.textContent = `At (${format(x)}, ${format(y)}): region ${grouped(k + 1)} of ${grouped(r.count)}, where the output is ` +
        `${format(r.intercepts[k])}${sign(g1)}·x₁${sign(g2)}·x₂ = ${format(r.output(k, x, y))}.`;
      UI.showUnits(this.mask, r.pattern(k));
    }

    /* The square drawn afresh (once the plot's width is known). */
    draw() {
      if (!this.regions || this.plotWidth === undefined) return;
      const width = Math.max(220, Math.min(this.plotWidth, 640)), size = width - MARGIN.left - MARGIN.right;
      const height = size + MARGIN.top + MARGIN.bottom, ratio = window.devicePixelRatio || 1;
      Object.assign(this.canvas, { width: Math.round(width * ratio), height: Math.round(height * ratio) });
      Object.assign(this.canvas.style, { width: `${width}px`, height: `${height}px` });
      this.size = size;
      const [x0, x1, y0, y1] = this.corners(this.shownState);
      const sx = (x) => MARGIN.left + ((x - x0) / (x1 - x0)) * size, sy = (y) => MARGIN.top + (1 - (y - y0) / (y1 - y0)) * size;
      const css = getComputedStyle(this.root), ink = css.getPropertyValue("--rv-text").trim();
      const look = Object.fromEntries(["saturation", "lightness", "flat", "edge"].map((name) => [name, css.getPropertyValue(`--rv-region-${name}`).trim()]));
      const g = this.canvas.getContext("2d");
      g.setTransform(ratio, 0, 0, ratio, 0, 0);
      g.clearRect(0, 0, width, height);
      this.drawRegions(g, sx, sy, look);
      this.drawLevels(g, sx, sy, ink);
      if (this.panel) this.drawData(g, sx, sy, css, size);
      g.strokeStyle = ink;
      g.lineWidth = 1;
      g.strokeRect(MARGIN.left, MARGIN.top, size, size);
      g.fillStyle = ink;
      g.font = "12px sans-serif";
      g.textAlign = "center";
      for (const t of UI.ticks(x0, x1, Math.max(2, Math.floor(size / 90)))) g.fillText(format(t, 3), sx(t), MARGIN.top + size + 16);
      g.textAlign = "right";
      for (const t of UI.ticks(y0, y1, Math.max(2, Math.floor(size / 90)))) g.fillText(format(t, 3), MARGIN.left - 5, sy(t) + 4);
      this.scale = { sx, sy };
      this.showProbe();
    }

    /* The regions, one path for all those of a shade, filled and outlined once: a few dozen canvas calls however
     * many regions there are (two calls a region took a tenth of a second at thousands). Each polygon is closed
     * by a line back to its first vertex, which a path takes several times faster than closePath. */
    drawRegions(g, sx, sy, look) {
      const r = this.regions, c = r.coordinates, paths = new Map();
      for (let k = 0; k < r.count; k++) {
        const key = bucketOf(r.gradients[2 * k], r.gradients[2 * k + 1]), first = r.starts[k];
        if (!paths.has(key)) paths.set(key, new Path2D());
        const path = paths.get(key);
        path.moveTo(sx(c[2 * first]), sy(c[2 * first + 1]));
        for (let j = first + 1; j < r.starts[k + 1]; j++) path.lineTo(sx(c[2 * j]), sy(c[2 * j + 1]));
        path.lineTo(sx(c[2 * first]), sy(c[2 * first + 1]));
      }
      for (const [key, path] of paths) {
        g.fillStyle = shade(key, look);
        g.fill(path);
      }
      g.strokeStyle = look.edge;
      g.lineWidth = 0.6;
      for (const path of paths.values()) g.stroke(path);
    }

    /* Level lines of the output: on each region it is affine, so each level set is one straight segment there,
     * found from the region's vertices; the level 0 is drawn thick. */
    drawLevels(g, sx, sy, ink) {
      const r = this.regions, c = r.coordinates, values = new Float64Array(r.starts[r.count]);  // the output at each vertex
      for (let k = 0; k < r.count; k++) {
        for (let j = r.starts[k]; j < r.starts[k + 1]; j++) values[j] = r.output(k, c[2 * j], c[2 * j + 1]);
      }
      const lo = values.reduce((t, v) => Math.min(t, v), Infinity), hi = values.reduce((t, v) => Math.max(t, v), -Infinity);
      if (!(hi > lo)) return;
      const ticks = UI.ticks(lo, hi, LEVELS).filter((v) => v > lo && v < hi), zero = new Path2D(), others = new Path2D();
      const levels = ticks.includes(0) ? ticks : [...ticks, 0];
      for (let k = 0; k < r.count; k++) {
        const first = r.starts[k], last = r.starts[k + 1] - 1;
        for (const level of levels) {
          const ends = [];
          for (let j = first; j <= last; j++) {
            const n = j === last ? first : j + 1, a = values[j] - level, b = values[n] - level;
            if ((a < 0) !== (b < 0)) {
              const t = a / (a - b);
              ends.push([c[2 * j] + t * (c[2 * n] - c[2 * j]), c[2 * j + 1] + t * (c[2 * n + 1] - c[2 * j + 1])]);
            }
          }
          if (ends.length < 2) continue;
          const path = level === 0 ? zero : others;
          path.moveTo(sx(ends[0][0]), sy(ends[0][1]));
          path.lineTo(sx(ends[1][0]), sy(ends[1][1]));
        }
      }
      g.strokeStyle = ink;
      g.globalAlpha = 0.45;
      g.lineWidth = 0.8;
      g.stroke(others);
      g.globalAlpha = 1;
      g.lineWidth = 2.2;
      g.stroke(zero);
    }

    /* The Train panel's points over the square: class 0 as squares, class 1 as circles, in two of the figures' colours. */
    drawData(g, sx, sy, css, size) {
      const fills = ["--rv-negative", "--rv-output"].map((name) => css.getPropertyValue(name).trim());
      g.save();
      g.beginPath();
      g.rect(MARGIN.left, MARGIN.top, size, size);
      g.clip();
      g.lineWidth = 1;
      for (const [x, y, c] of this.panel.points()) {
        g.beginPath();
        if (c) g.arc(sx(x), sy(y), DOT, 0, 2 * Math.PI);
        else g.rect(sx(x) - DOT, sy(y) - DOT, 2 * DOT, 2 * DOT);
        g.fillStyle = fills[c];
        g.fill();
        g.stroke();
      }
      g.restore();
    }

    /* The probe's ring, over the canvas: moving it redraws nothing. */
    drawProbe(x, y) {
      if (!this.scale) return;
      this.marker.style.transform = `translate(${this.scale.sx(x)}px, ${this.scale.sy(y)}px)`;
    }
  }

  document.querySelectorAll('.rv-explorer[data-kind="plane"]').forEach((root) => {
    root.explorer = new PlaneExplorer(root);
  });
})();
