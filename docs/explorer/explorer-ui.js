/* What the two explorers share on the page: controls built from the package's description of them
 * (reluviz.explorer.LINE_CONTROLS and PLANE_CONTROLS, in ReluvizShared), the state in the address, the command
 * line that prints the same JSON, the share buttons, and numbers written for reading. */
"use strict";
(function (root) {
  const ADDRESS_DELAY_MS = 300;

  const element = (tag, attributes = {}, children = []) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  };

  const GROUPING = new Intl.NumberFormat("en-US");  // made once: toLocaleString makes one on every call
  const grouped = (n) => GROUPING.format(n);
  const plural = (n, word, words = `${word}s`) => `${grouped(n)} ${n === 1 ? word : words}`;

  /* A number for reading: four significant digits, a real minus sign, exponents for the very large and small. */
  function format(value, digits = 4) {
    if (value === 0) return "0";
    if (!Number.isFinite(value)) return String(value);
    const text = Math.abs(value) >= 1e5 || Math.abs(value) < 1e-3 ? value.toExponential(digits - 1) : value.toPrecision(digits);
    return text.replace(/(\.\d*?)0+(e|$)/, "$1$2").replace(/\.(e|$)/, "$1").replace("-", "−");
  }

  /* An interval's ends with as many digits as it takes to tell them apart: [100, 100] would be false for an
   * interval from 99.99999999999999 to 100. */
  function formatInterval(lo, hi) {
    let digits = 4;
    while (digits < 17 && format(lo, digits) === format(hi, digits)) digits += 1;
    return [format(lo, digits), format(hi, digits)];
  }

  /* Round numbers for axis ticks, about `count` of them from lo to hi; only the two ends where the span is too
   * small to label (a window a few doubles wide), so that any interval the controls allow can be drawn. */
  function ticks(lo, hi, count) {
    const raw = (hi - lo) / count, magnitude = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
    const first = Math.ceil(lo / step) * step;
    if (!(step > 0) || !Number.isFinite(first) || first + step === first || hi - lo < 1e-12 * Math.max(Math.abs(lo), Math.abs(hi))) return [lo, hi];
    const values = [];
    for (let i = 0, v = first; v <= hi + step * 1e-9 && i <= count + 2; i++, v = first + i * step) values.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    return values;
  }

  /* A control's value read from text (an address parameter or an input), or undefined if it is not allowed. */
  function parseValue(control, text) {
    if (text === null || text === undefined || String(text).trim() === "") return undefined;
    text = String(text);
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
    return `${kind} from ${format(control.low)} to ${format(control.high)}`;
  }

  /* The settings of one explorer: its controls, their defaults, the pairs that must be in order. */
  class Settings {
    constructor(controls, pairs = []) {
      this.controls = controls;
      this.byName = Object.fromEntries(controls.map((c) => [c.name, c]));
      this.pairs = pairs.map(([low, high]) => [low, high, `${this.byName[low].label} must be smaller than ${this.byName[high].label.toLowerCase()}`]);
      this.defaults = Object.fromEntries(controls.map((c) => [c.name, c.default]));
    }

    /* A state from address parameters: each one checked; one that is missing or not allowed keeps its default. */
    parse(params, defaults = this.defaults) {
      const state = { ...defaults }, rejected = [];
      for (const control of this.controls) {
        if (!params.has(control.name)) continue;
        const value = parseValue(control, params.get(control.name));
        if (value === undefined) rejected.push(`${control.name} (${allowed(control)})`);
        else state[control.name] = value;
      }
      for (const [low, high, message] of this.pairs) {
        if (!(state[low] < state[high])) {
          rejected.push(`${low} and ${high} (${message})`);
          [state[low], state[high]] = [defaults[low], defaults[high]];
        }
      }
      return { state, rejected };
    }

    query(state) {
      const params = new URLSearchParams();
      for (const c of this.controls) params.set(c.name, c.kind === "switch" ? (state[c.name] ? 1 : 0) : state[c.name]);
      return params.toString();
    }

    /* The command that prints the same JSON: each control's flag with its value; a switch's flag means "off",
     * and a control that belongs to one initialisation appears with it only. */
    command(name, state) {
      const parts = [`reluviz ${name}`];
      for (const c of this.controls) {
        if (c.only_for_init && state.init !== c.only_for_init) continue;
        if (c.kind === "switch") { if (!state[c.name]) parts.push(c.flag); } else parts.push(`${c.flag} ${state[c.name]}`);
      }
      return `${parts.join(" ")} --json`;
    }
  }

  /* Every control as a labelled native input: those named in `main` in `mainNode` (shown first, beside the plot),
   * the rest in `node`, and those of one initialisation in a box that shows only with it. A change calls
   * `owner.fromControls()`. */
  class Controls {
    constructor(settings, owner, { compact = false, extras = {}, more = null, main = [] } = {}) {
      this.settings = settings;
      this.inputs = {};
      this.outputs = {};
      this.node = element("div", { class: "rv-controls" });
      this.mainNode = element("div", { class: "rv-controls rv-main-controls" });
      this.more = more && element("details", { class: "rv-more" }, [element("summary", { text: more })]);
      for (const control of settings.controls) {
        if (compact && !control.compact) continue;
        const input = this.input(control), id = `${owner.id}-${control.name}`, extra = [];
        input.id = id;
        if (control.slider) extra.push(this.outputs[control.name] = element("output", { "aria-hidden": "true" }));
        extra.push(...(extras[control.name] || []));
        const field = element("div", { class: "rv-field" }, [element("label", { for: id, text: control.label }), element("div", { class: "rv-row" }, [input, ...extra])]);
        if (control.only_for_init && this.more) this.moreFor = control.only_for_init;
        (control.only_for_init && this.more ? this.more : main.includes(control.name) ? this.mainNode : this.node).append(field);
        input.addEventListener(input.type === "range" || input.type === "number" ? "input" : "change", () => owner.fromControls());
        this.inputs[control.name] = input;
        if (extras[`after:${control.name}`]) this.node.append(...extras[`after:${control.name}`]);
      }
      if (this.more && this.more.children.length > 1) this.node.append(this.more);
    }

    input(control) {
      if (control.kind === "choice") {
        return element("select", { name: control.name }, Object.entries(control.choices).map(([value, text]) => element("option", { value, text })));
      }
      if (control.kind === "switch") return element("input", { type: "checkbox", name: control.name });
      if (control.slider) return element("input", { type: "range", name: control.name, min: control.low, max: control.high, step: 1 });
      const integer = control.kind === "integer";
      return element("input", { type: "number", name: control.name, step: integer ? 1 : "any", min: control.low, max: control.high,
        ...(integer ? { inputmode: "numeric" } : {}) });
    }

    /* The state the inputs hold, from `state`; an incomplete number (while typing) keeps its old value. */
    read(state) {
      const next = { ...state }, problems = [];
      for (const [name, input] of Object.entries(this.inputs)) {
        const control = this.settings.byName[name];
        if (control.kind === "switch") next[name] = input.checked;
        else if (control.kind === "choice") next[name] = input.value;
        else if (input.value.trim() === "" || !Number.isFinite(Number(input.value))) continue;
        else {
          const value = parseValue(control, input.value);
          if (value === undefined) problems.push(`${control.label} must be ${allowed(control)}`);
          else next[name] = value;
        }
      }
      for (const [low, high, message] of this.settings.pairs) if (!(next[low] < next[high])) problems.push(message);
      return { next, problems };
    }

    /* Put the state into the inputs, or (`inputsToo` false, while the reader types) only into what follows them. */
    show(state, inputsToo = true) {
      if (inputsToo) {
        for (const [name, input] of Object.entries(this.inputs)) {
          if (input.type === "checkbox") input.checked = state[name];
          else input.value = state[name];
        }
      }
      for (const [name, output] of Object.entries(this.outputs)) output.textContent = state[name];
      if (this.more) this.more.hidden = state.init !== this.moreFor;
    }
  }

  /* Copy link, Download JSON (`getJson` returns the text, or a promise of it) and the command line, under an explorer. */
  function shareBox(getJson, fileName) {
    const status = element("span", { role: "status", class: "rv-share-status" });
    const copy = element("button", { type: "button", text: "Copy link" });
    copy.addEventListener("click", async () => {
      const link = window.location.href;
      try {
        await navigator.clipboard.writeText(link);
        status.textContent = "Link copied.";
      } catch {
        status.textContent = `Copy this link: ${link}`;
      }
    });
    const download = element("button", { type: "button", text: "Download JSON" });
    download.addEventListener("click", async () => {
      status.textContent = "Preparing the JSON…";
      const text = await getJson();  // the 2-D explorer's comes from its worker
      const link = element("a", { href: URL.createObjectURL(new Blob([`${text}\n`], { type: "application/json" })), download: fileName() });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
      status.textContent = "Downloaded.";
    });
    const command = element("code");
    return { command, node: [element("div", { class: "rv-share" }, [copy, download, status]),
      element("p", { class: "rv-command" }, [element("span", { text: "The same network and analysis from the command line: " }), command])] };
  }

  /* The address follows the state once the controls rest (each change of address makes browsers fetch the icon). */
  function followAddress(owner, query) {
    clearTimeout(owner.addressTimer);
    owner.addressTimer = setTimeout(() => window.history.replaceState(null, "", `?${query}`), ADDRESS_DELAY_MS);
  }

  /* Which units are on, as a picture in `node`: a row of small squares per layer, filled where the unit is on. A
   * picture of the same shape is refilled, not made anew: new squares on every move of the probe made the page
   * lay itself out again each time. */
  function showUnits(node, pattern) {
    let rows = node.querySelectorAll(".rv-units");
    if (rows.length !== pattern.length || pattern.some((layer, l) => rows[l].children.length !== layer.length)) {
      node.replaceChildren(...pattern.map((layer) => element("p", {}, [element("span"),
        element("span", { class: "rv-units", role: "img" }, Array.from(layer, () => element("i")))])));
      rows = node.querySelectorAll(".rv-units");
    }
    pattern.forEach((layer, l) => {
      const on = layer.filter(Boolean).length, row = rows[l];
      row.previousSibling.textContent = `D${l + 1}: ${on} of ${layer.length} on `;
      row.setAttribute("aria-label", `layer ${l + 1}: ${on} of ${layer.length} units on`);
      layer.forEach((isOn, u) => row.children[u].classList.toggle("on", isOn));
    });
  }

  /* A group of buttons named `label`: [text, act, its own label if the text is a symbol] each. */
  function buttonGroup(label, buttons) {
    const group = element("div", { class: "rv-field rv-zoom", role: "group", "aria-label": label });
    for (const [text, act, name] of buttons) {
      const button = element("button", { type: "button", text, ...(name ? { "aria-label": name } : {}) });
      button.addEventListener("click", act);
      group.append(button);
    }
    return group;
  }

  /* What both explorers share: their state, from the container's defaults and (for the full explorer) the address,
   * whose refused settings wait in `rejected` for the note; the New network button; the Train panel and its part
   * of the address; the link to the full explorer or the share box, with the command `reluviz <commandName>`;
   * the note; and the controls' values, taken only when every one is allowed. A subclass has `note`, `controls`,
   * `recompute` and `json`. */
  class ExplorerBase {
    constructor(root, settings, commandName) {
      this.root = root;
      this.id = root.id;
      this.settings = settings;
      this.commandName = commandName;
      this.compact = root.dataset.mode === "compact";
      this.defaults = settings.parse(new URLSearchParams(root.dataset.state)).state;
      const { state, rejected } = this.compact
        ? { state: { ...this.defaults }, rejected: [] }
        : settings.parse(new URLSearchParams(window.location.search), this.defaults);
      this.state = state;
      this.rejected = rejected;
    }

    /* New network: the same shape with a random seed. */
    freshButton() {
      const fresh = element("button", { type: "button", text: "New network" });
      fresh.addEventListener("click", () => { this.state.seed = Math.floor(Math.random() * 1e6); this.recompute(); });
      return fresh;
    }

    /* The full explorer's Train panel (`plane`: with two inputs), with its settings from the address. */
    addTrainPanel(plane) {
      if (this.compact) return;
      this.panel = new root.ReluvizTrainPanel(this, plane);
      this.rejected.push(...this.panel.parse(new URLSearchParams(window.location.search)));
    }

    /* The Train panel's network: the controls `reluviz train` shares with the explorer's command, from the state
     * and `extra` (what the state does not hold). */
    trainNetworkSettings(extra = {}) {
      const s = { ...this.state, ...extra };
      return Object.fromEntries(root.ReluvizShared.training.networkControls.map((name) => [name, s[name]]));
    }

    /* Whether the state names another network than before (which sends the Train panel back to step 0). */
    networkChanged() {
      const key = JSON.stringify(this.trainNetworkSettings()), changed = this.panel && this.networkKey !== undefined && key !== this.networkKey;
      this.networkKey = key;
      return changed;
    }

    /* Put `parts` into the container: the compact explorer's after the `lead` sentence and before a link to the
     * full explorer (`openText`), the full explorer's before the share box. */
    assemble(parts, lead, openText) {
      if (this.compact) {
        this.open = element("a", { class: "rv-open", text: openText });
        parts.unshift(element("p", { class: "rv-lead", text: lead }));
        parts.push(element("p", {}, [this.open]));
      } else {
        const fileName = () => `reluviz-${this.commandName}-w${this.state.width}-l${this.state.layers}-seed${this.state.seed}.json`;
        this.share = shareBox(() => this.json(), fileName);
        parts.push(...this.share.node);
      }
      this.root.append(...parts);
    }

    /* The state into the compact explorer's link, or into the address. */
    followState() {
      if (this.compact) this.open.href = `${this.root.dataset.explore}?${this.settings.query(this.state)}`;
      else this.addressChanged();
    }

    addressChanged() {
      const panel = this.panel.query();
      followAddress(this, this.settings.query(this.state) + (panel && `&${panel}`));
    }

    /* The command that prints the JSON of the network shown, under the full explorer. */
    showCommand() {
      if (this.compact) return;
      this.share.command.textContent = this.trained ? "(a trained network: the Train panel shows its command)" : this.settings.command(this.commandName, this.state);
    }

    showProblems(problems) {
      this.note.hidden = problems.length === 0;
      this.note.textContent = problems.length ? `${problems.join("; ")}.` : "";
    }

    showRejected(rejected) {
      this.showProblems(rejected.length ? [`Not valid in the link, so left at their defaults: ${rejected.join("; ")}`] : []);
    }

    fromControls() {
      const { next, problems } = this.controls.read(this.state);
      this.showProblems(problems);
      if (problems.length) return;
      this.state = next;
      this.recompute(false);
    }
  }

  root.ReluvizUI = { element, format, formatInterval, grouped, plural, ticks, parseValue, Settings, Controls, ExplorerBase, buttonGroup, showUnits };
})(typeof globalThis !== "undefined" ? globalThis : this);
