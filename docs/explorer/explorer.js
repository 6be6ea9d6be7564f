/* The explorer: controls, the Quora experiment's three panels drawn live, read-outs, and the state in the URL.
 * All numbers come from reluviz-core.js (the package's computations); this file only draws and listens. */
"use strict";
(function () {
  const Core = window.ReluvizCore, Shared = window.ReluvizShared;
  const SVG_NS = "http://www.w3.org/2000/svg";
  const CONTROLS = Shared.explorer.controls;  // reluviz.explorer.LINE_CONTROLS: the one description of every setting
  const BY_NAME = Object.fromEntries(CONTROLS.map((control) => [control.name, control]));
  const PAIRS = [["lo", "hi"], ["spread_lo", "spread_hi"]].map(([low, high]) => [low, high,
    `${BY_NAME[low].label} must be smaller than ${BY_NAME[high].label.toLowerCase()}`]);
  const PANEL = { top: 22, left: 52, right: 12, output: 150, gap: 22, kinks: 34, negative: 70, axis: 30 };
  const HEIGHT = PANEL.top + PANEL.output + PANEL.kinks + PANEL.negative + 2 * PANEL.gap + PANEL.axis;
  const PROBE_STEPS = 1000;
  const ADDRESS_DELAY_MS = 300;
  const DEFAULTS = Object.fromEntries(CONTROLS.map((control) => [control.name, control.default]));
  const grouped = (n) => n.toLocaleString("en-US");
  const kinkCount = (pieces) => pieces.isKink.filter(Boolean).length;
  /* Where the kinks are drawn: the floating-point places (exact to the pixel; the JSON has the nearest doubles). */
  const kinkPlaces = (pieces) => pieces.edges.slice(1, -1).filter((_, k) => pieces.isKink[k]);

  /* A control's value read from text (an address parameter or an input), or undefined if the text is not allowed. */
  function parseValue(control, text) {
    if (text === null || text.trim() === "") return undefined;
    if (control.kind === "choice") return Object.hasOwn(control.choices, text) ? text : undefined;
    if (control.kind === "switch") return text === "1" ? true : text === "0" ? false : undefined;
    const value = Number(text);
    if (control.kind === "integer" && !(/^\d+$/.test(text.trim()) && Number.isSafeInteger(value))) return undefined;
    return Number.isFinite(value) && value >= control.low && value <= control.high ? value : undefined;
  }

  function allowed(control) {
    if (control.kind === "choice") return `one of ${Object.keys(control.choices).join(", ")}`;
    if (control.kind === "switch") return "0 or 1";
    const kind = control.kind === "integer" ? "a whole number" : "a number";
    return `${kind} from ${grouped(control.low)} to ${grouped(control.high)}`;
  }

  /* A state read from text (the URL): every setting checked; one that is missing or not allowed keeps its default. */
  function parseState(params, defaults) {
    const state = { ...defaults }, rejected = [];
    for (const control of CONTROLS) {
      if (!params.has(control.name)) continue;
      const value = parseValue(control, params.get(control.name));
      if (value === undefined) rejected.push(`${control.name} (${allowed(control)})`);
      else state[control.name] = value;
    }
    for (const [low, high, message] of PAIRS) {
      if (!(state[low] < state[high])) {
        rejected.push(`${low} and ${high} (${message})`);
        [state[low], state[high]] = [defaults[low], defaults[high]];
      }
    }
    return { state, rejected };
  }

  function stateQuery(state) {
    const params = new URLSearchParams();
    for (const control of CONTROLS) params.set(control.name, control.kind === "switch" ? (state[control.name] ? 1 : 0) : state[control.name]);
    return params.toString();
  }

  const element = (tag, attributes = {}, children = []) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  };

  /* Round numbers for axis ticks: about `count` of them between lo and hi. */
  function ticks(lo, hi, count) {
    const raw = (hi - lo) / count, magnitude = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
    const values = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) values.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    return values;
  }

  const format = (value, digits = 4) => {
    if (value === 0) return "0";
    const text = Math.abs(value) >= 1e5 || Math.abs(value) < 1e-3 ? value.toExponential(digits - 1) : value.toPrecision(digits);
    return text.replace(/(\.\d*?)0+(e|$)/, "$1$2").replace(/\.(e|$)/, "$1").replace("-", "−");
  };

  class Explorer {
    constructor(root) {
      this.root = root;
      this.compact = root.dataset.mode === "compact";
      this.defaults = parseState(new URLSearchParams(root.dataset.state), DEFAULTS).state;
      const { state, rejected } = this.compact
        ? { state: { ...this.defaults }, rejected: [] }
        : parseState(new URLSearchParams(window.location.search), this.defaults);
      this.state = state;
      this.build(rejected);
      this.recompute();
      new ResizeObserver(() => this.draw()).observe(this.figure);
      root.hidden = false;
    }

    build(rejected) {
      const controls = element("div", { class: "rv-controls" });
      const more = element("details", { class: "rv-more" }, [element("summary", { text: "Where the spread initialisation puts the kinks" })]);
      this.inputs = {};
      this.outputs = {};
      for (const control of CONTROLS) {
        if (this.compact && !control.compact) continue;
        const input = this.input(control);
        const extra = [];
        if (control.slider) extra.push(this.outputs[control.name] = element("output", { "aria-hidden": "true" }));
        if (control.name === "seed") {
          const fresh = element("button", { type: "button", text: "New network" });
          fresh.addEventListener("click", () => {
            this.state.seed = Math.floor(Math.random() * 1e6);
            this.recompute();
          });
          extra.push(fresh);
        }
        const id = `${this.root.id}-${control.name}`;
        input.id = id;
        const row = element("div", { class: "rv-row" }, [input, ...extra]);
        (control.only_for_init ? more : controls).append(element("div", { class: "rv-field" }, [element("label", { for: id, text: control.label }), row]));
        input.addEventListener(input.type === "range" || input.type === "number" ? "input" : "change", () => this.fromControls());
        this.inputs[control.name] = input;
        if (control.name === "hi") {
          const zoom = element("div", { class: "rv-field rv-zoom", role: "group", "aria-label": "Zoom the x interval" });
          [["Zoom in", 0.5], ["Zoom out", 2], ["Reset interval", 0]].forEach(([text, factor]) => {
            const button = element("button", { type: "button", text });
            button.addEventListener("click", () => this.zoom(factor));
            zoom.append(button);
          });
          controls.append(zoom);
        }
      }
      if (more.children.length > 1) controls.append(this.more = more);
      this.note = element("p", { class: "rv-note", role: "status" });
      this.note.hidden = rejected.length === 0;
      this.note.textContent = rejected.length ? `Not valid in the link, so left at their defaults: ${rejected.join("; ")}.` : "";
      this.figure = element("div", { class: "rv-plot" });
      this.svg = document.createElementNS(SVG_NS, "svg");
      this.svg.setAttribute("role", "img");
      this.svg.setAttribute("height", HEIGHT);
      this.figure.append(this.svg);
      this.figure.addEventListener("pointermove", (event) => this.pointAt(event));
      this.probe = element("input", { type: "range", name: "probe", min: 0, max: PROBE_STEPS, step: 1, value: PROBE_STEPS / 2 });
      this.probe.addEventListener("input", () => this.showProbe());
      const probeField = element("div", { class: "rv-field rv-probe-field" }, [
        element("label", { for: `${this.root.id}-probe`, text: "Look at x (or point at the plot)" }), this.probe]);
      this.probe.id = `${this.root.id}-probe`;
      this.probeText = element("p", { class: "rv-probe" });
      this.mask = element("div", { class: "rv-mask" });
      this.summary = element("p", { class: "rv-summary", "aria-live": "polite" });
      const lead = this.compact
        ? [element("p", { class: "rv-lead", text: "The same network, live in your browser: change the units or the seed and watch the kinks move." })]
        : [];
      const parts = [...lead, controls, this.note, this.figure, probeField, this.probeText, this.mask, this.summary];
      if (this.compact) {
        this.open = element("a", { class: "rv-open", text: "Open this network in the explorer, with every control" });
        parts.push(element("p", {}, [this.open]));
      } else {
        const copy = element("button", { type: "button", text: "Copy link" });
        copy.addEventListener("click", () => this.copyLink());
        const download = element("button", { type: "button", text: "Download JSON" });
        download.addEventListener("click", () => this.download());
        this.shareStatus = element("span", { role: "status", class: "rv-share-status" });
        this.command = element("code");
        parts.push(element("div", { class: "rv-share" }, [copy, download, this.shareStatus]),
          element("p", { class: "rv-command" }, [element("span", { text: "The same network and analysis from the command line: " }), this.command]));
      }
      this.root.append(...parts);
    }

    input(control) {
      if (control.kind === "choice") {
        return element("select", { name: control.name }, Object.entries(control.choices).map(([value, text]) => element("option", { value, text })));
      }
      if (control.kind === "switch") return element("input", { type: "checkbox", name: control.name });
      if (control.slider) {
        return element("input", { type: "range", name: control.name, min: control.low, max: control.high, step: 1 });
      }
      const integer = control.kind === "integer";
      return element("input", { type: "number", name: control.name, step: integer ? 1 : "any", min: control.low, max: control.high,
        ...(integer ? { inputmode: "numeric" } : {}) });
    }

    /* Read every control into the state; an incomplete number (while typing) leaves the state as it was. */
    fromControls() {
      const next = { ...this.state }, problems = [];
      for (const [name, input] of Object.entries(this.inputs)) {
        const control = BY_NAME[name];
        if (control.kind === "switch") next[name] = input.checked;
        else if (control.kind === "choice") next[name] = input.value;
        else if (input.value.trim() === "" || !Number.isFinite(Number(input.value))) continue;
        else {
          const value = parseValue(control, input.value);
          if (value === undefined) problems.push(`${control.label} must be ${allowed(control)}`);
          else next[name] = value;
        }
      }
      for (const [low, high, message] of PAIRS) if (!(next[low] < next[high])) problems.push(message);
      this.note.hidden = problems.length === 0;
      this.note.textContent = problems.join("; ");
      if (problems.length) return;
      this.state = next;
      this.recompute(false);
    }

    zoom(factor) {
      const { lo, hi } = this.state;
      const centre = 0.5 * lo + 0.5 * hi, half = (0.5 * hi - 0.5 * lo) * factor;
      if (factor === 0 || !(Math.abs(centre) + half <= BY_NAME.hi.high) || half < 1e-6) Object.assign(this.state, { lo: this.defaults.lo, hi: this.defaults.hi });
      else Object.assign(this.state, { lo: centre - half, hi: centre + half });
      this.recompute();
    }

    /* Draw the network of the state and analyse it; put the state into the controls unless they set it. */
    recompute(updateControls = true) {
      const s = this.state;
      if (updateControls) {
        for (const [name, input] of Object.entries(this.inputs)) {
          if (input.type === "checkbox") input.checked = s[name];
          else input.value = s[name];
        }
      }
      for (const [name, output] of Object.entries(this.outputs)) output.textContent = s[name];
      if (this.more) this.more.hidden = s.init !== "spread";
      this.network = Core.randomNetwork(s);
      // One analysis, of the whole line; the window's pieces are read from it exactly (ReluvizLine's within), and
      // the window's own analysis, whose sums start at its left end, is made only for its JSON.
      this.wholeLine = Core.analyzeLine(this.network, -Infinity, Infinity);
      this.pieces = this.wholeLine.within(s.lo, s.hi);
      this.windowAnalysis = null;
      this.describe();
      this.draw();
      const query = stateQuery(s);
      if (this.compact) this.open.href = `${this.root.dataset.explore}?${query}`;
      else {
        // The address follows once the control rests: each change of address makes the browser fetch its icon again.
        clearTimeout(this.addressTimer);
        this.addressTimer = setTimeout(() => window.history.replaceState(null, "", `?${query}`), ADDRESS_DELAY_MS);
        this.command.textContent = Core.cliCommand(s);
      }
    }

    /* What `reluviz network … --json` prints for the state: the window's own analysis, made once asked for. */
    json() {
      this.windowAnalysis ||= Core.analyzeLine(this.network, this.state.lo, this.state.hi);
      return Core.cliJson(this.windowAnalysis);
    }

    describe() {
      const s = this.state, p = this.pieces, units = s.width * s.layers;
      const kinks = kinkCount(p), pieces = kinks + 1;
      const low = Math.min(...p.negative), high = Math.max(...p.negative);
      const wholeKinks = kinkCount(this.wholeLine);
      const bound = s.layers === 1
        ? `one hidden layer of ${s.width} units has at most ${s.width} + 1 = ${s.width + 1} pieces`
        : `${s.layers} layers of ${s.width} units have at most (${s.width} + 1)^${s.layers} = ${(s.width + 1) ** s.layers} pieces`;
      this.summary.textContent =
        `${kinks} kink${kinks === 1 ? "" : "s"}, so ${pieces} linear piece${pieces === 1 ? "" : "s"}, on [${format(s.lo)}, ${format(s.hi)}]; ` +
        `${wholeKinks + 1} on the whole line, where ${bound}. ` +
        `N + 1 = ${units + 1} for these N = ${units} hidden units: about the expected count on the whole line for He-initialised, wide networks (Depth page). ` +
        `Units with a negative input: between ${low} and ${high} of ${units}.`;
      this.svg.setAttribute("aria-label",
        `Three panels over x from ${format(s.lo)} to ${format(s.hi)}: the output, a chain of ${pieces} straight pieces; ` +
        `the ${kinks} kinks; the number of units with a negative input, from ${low} to ${high}.`);
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

    showProbe() {
      const x = this.probeX(), at = Core.evaluate(this.wholeLine, x);
      const pattern = Core.activationPattern(this.network, x);
      const on = pattern.map((layer) => layer.filter(Boolean).length);
      const text = `x = ${format(x)}: output ${format(at.output)}, slope ${format(at.slope)}, piece ${at.piece - this.pieces.pieces[0] + 1} of ${this.pieces.edges.length - 1}`;
      this.probeText.textContent = text;
      this.probe.setAttribute("aria-valuetext", text);
      this.mask.replaceChildren(...pattern.map((layer, l) => element("p", {}, [
        element("span", { text: `D${l + 1}(x), ${on[l]} of ${layer.length} units on: ` }),
        element("code", { text: layer.map((unit) => (unit ? "1" : "0")).join("") })])));
      this.drawProbe(x, at.output);
    }

    draw() {
      const width = Math.max(200, this.figure.clientWidth);
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
      const frame = (top, height) => parts.push(`<rect class="rv-frame" x="${PANEL.left}" y="${top}" width="${r(plotWidth)}" height="${height}"/>`);
      [[top1, PANEL.output], [top2, PANEL.kinks], [top3, PANEL.negative]].forEach(([t, h]) => frame(t, h));
      for (const t of ticks(lo, hi, Math.max(2, Math.floor(plotWidth / 90)))) {
        parts.push(`<line class="rv-grid" x1="${r(sx(t))}" x2="${r(sx(t))}" y1="${top1}" y2="${top3 + PANEL.negative}"/>`,
          `<text class="rv-tick" x="${r(sx(t))}" y="${top3 + PANEL.negative + 16}" text-anchor="middle">${format(t, 3)}</text>`);
      }
      for (const t of ticks(yLo, yHi, 4)) {
        parts.push(`<text class="rv-tick" x="${PANEL.left - 6}" y="${r(sy(t)) + 4}" text-anchor="end">${format(t, 3)}</text>`);
      }
      for (const n of [0, maxNegative]) parts.push(`<text class="rv-tick" x="${PANEL.left - 6}" y="${r(sn(n)) + 4}" text-anchor="end">${n}</text>`);
      parts.push(`<text class="rv-label" x="${PANEL.left + 4}" y="${top1 - 5}">output</text>`,
        `<text class="rv-label" x="${PANEL.left + 4}" y="${top2 - 5}">kinks (${kinkCount(p)})</text>`,
        `<text class="rv-label" x="${PANEL.left + 4}" y="${top3 - 5}">units with a negative input</text>`,
        `<text class="rv-tick" x="${PANEL.left + plotWidth}" y="${HEIGHT - 2}" text-anchor="end">x</text>`);
      const line = xs.map((x, k) => `${k ? "L" : "M"}${r(sx(x))} ${r(sy(ys[k]))}`).join("");
      parts.push(`<path class="rv-output" d="${line}"/>`);
      const kinks = kinkPlaces(p).map((b) => `M${r(sx(b))} ${top2 + 3}V${top2 + PANEL.kinks - 3}`).join("");
      parts.push(`<path class="rv-kinks" d="${kinks}"/>`);
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

    async copyLink() {
      const link = window.location.href;
      try {
        await navigator.clipboard.writeText(link);
        this.shareStatus.textContent = "Link copied.";
      } catch {
        this.shareStatus.textContent = `Copy this link: ${link}`;
      }
    }

    download() {
      const s = this.state;
      const blob = new Blob([`${this.json()}\n`], { type: "application/json" });
      const link = element("a", { href: URL.createObjectURL(blob), download: `reluviz-network-w${s.width}-l${s.layers}-seed${s.seed}.json` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
      this.shareStatus.textContent = "Downloaded.";
    }
  }

  document.querySelectorAll(".rv-explorer").forEach((root) => {
    root.explorer = new Explorer(root);
  });
})();
