/* The Train panel of both explorers: its controls (reluviz.explorer.TRAIN_LINE_CONTROLS or TRAIN_PLANE_CONTROLS),
 * Play, Pause, Step and Reset, the loss and the exact count plotted step by step, a timeline to replay any drawn
 * step, the reader's own points, and the export of a run with the one command that repeats it. Training runs in
 * train-worker.js; the explorer that owns the panel draws each network it sends and counts its pieces or regions
 * exactly (`showTrained`), then hands the count back (`counted`). */
"use strict";
(function () {
  const Shared = window.ReluvizShared, UI = window.ReluvizUI;
  const { element, format, grouped, plural } = UI;
  const T = Shared.training;
  const WORKER_URL = new URL("train-worker.js", document.currentScript.src).href;
  const MAX_FRAMES = 2000;   // the timeline keeps this many drawn steps, thinned evenly beyond it
  const CHART = { width: 320, height: 90, left: 4, right: 4 };
  const OWN = T.readerPoints, LIMIT = T.maxReaderPoints;
  const ADDRESS = { points: "own", step: "step", speed: "speed" };  // the panel's own address parameters

  /* The reader's points as text ("x, y" a line, and a class 0 or 1 after them in the plane), and back; a line
   * that is not a point is refused with its number. */
  function parsePoints(text, plane) {
    const rows = text.split(/[\n;]/).map((line) => line.trim()).filter(Boolean);
    if (rows.length > LIMIT) return { error: `at most ${LIMIT} points; there are ${grouped(rows.length)}` };
    const x = [], y = [];
    for (const [k, row] of rows.entries()) {
      const values = row.split(/[\s,:]+/).map(Number);
      const bad = values.length !== (plane ? 3 : 2) || !values.every(Number.isFinite) || values.some((v) => Math.abs(v) > Shared.explorer.maxEnd) ||
        (plane && values[2] !== 0 && values[2] !== 1);
      if (bad) return { error: `point ${k + 1} (“${row}”) is not ${plane ? "x₁, x₂ and a class 0 or 1" : "x and y"}` };
      x.push(values.slice(0, plane ? 2 : 1));
      y.push(values.slice(plane ? 2 : 1));
    }
    return { x, y };
  }
  const pointsText = (points, plane) => points.x.map((row, k) => [...row, ...points.y[k]].map((v) => String(v)).join(", ")).join("\n");
  const pointsQuery = (points) => points.x.map((row, k) => [...row, ...points.y[k]].join(":")).join(",");

  class TrainPanel {
    /* host: the explorer (LineExplorer or PlaneExplorer); plane: whether it has two inputs. */
    constructor(host, plane) {
      this.host = host;
      this.plane = plane;
      this.settings = new UI.Settings(plane ? T.planeControls : T.lineControls);
      this.id = `${host.id}-train`;
      this.frames = [];
      this.own = { x: [], y: [] };
      this.worker = null;
      this.build();
    }

    build() {
      const buttons = element("div", { class: "rv-train-buttons", role: "group", "aria-label": "Training" });
      this.play = this.button("Play", () => this.toggle());
      this.stepButton = this.button("Step", () => this.stepOnce());
      this.reset = this.button("Reset", () => this.restart());
      this.speed = element("select", { id: `${this.id}-speed`, name: "speed" },
        T.stepsPerSecond.map((v) => element("option", { value: v, text: `${v} steps/s` })));
      this.speed.value = T.defaultStepsPerSecond;
      this.speed.addEventListener("change", () => { if (this.playing) this.send({ task: "play", rate: Number(this.speed.value) }); this.host.addressChanged(); });
      buttons.append(this.play, this.stepButton, this.reset, element("label", { for: this.speed.id, class: "rv-visually-hidden", text: "Speed" }), this.speed);
      this.state = { ...this.settings.defaults };
      this.controls = new UI.Controls(this.settings, this);
      this.classChoice = element("select", { id: `${this.id}-class`, name: "class" }, [0, 1].map((c) => element("option", { value: c, text: `class ${c}` })));
      this.ownText = element("textarea", { id: `${this.id}-own`, rows: 4, spellcheck: "false",
        placeholder: this.plane ? "x₁, x₂, class (0 or 1), one point a line" : "x, y: one point a line" });
      this.ownText.addEventListener("change", () => this.fromText());
      const ownHint = this.plane ? `Click the map to add a point of the class chosen here; at most ${LIMIT} points.` : `Click the output panel to add a point; at most ${LIMIT} points.`;
      this.ownBox = element("div", { class: "rv-train-own" }, [
        element("label", { for: this.ownText.id, text: "Your points" }), this.ownText,
        ...(this.plane ? [element("label", { for: this.classChoice.id, text: "Class of a clicked point " }), this.classChoice] : []),
        element("p", { class: "rv-hint", text: ownHint })]);
      this.status = element("p", { class: "rv-train-status", "aria-live": "polite" });
      this.chart = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      this.chart.setAttribute("viewBox", `0 0 ${CHART.width} ${CHART.height}`);
      this.chart.setAttribute("role", "img");
      this.chart.setAttribute("aria-label", "The loss and the count, step by step: nothing trained yet.");
      this.timeline = element("input", { type: "range", id: `${this.id}-timeline`, min: 0, max: 0, value: 0, step: 1, disabled: "" });
      this.timeline.addEventListener("input", () => this.replay(Number(this.timeline.value)));
      const timelineField = element("div", { class: "rv-field" }, [element("label", { for: this.timeline.id, text: "Replay a drawn step" }), this.timeline]);
      this.command = element("code");
      const exports = element("div", { class: "rv-share" }, [
        this.button("Download the trained network", () => this.download("network")),
        this.button("Download the data", () => this.download("data"))]);
      this.node = element("details", { class: "rv-train", id: this.id }, [
        element("summary", { text: "Train it: watch the kinks move as it learns" }),
        this.controls.node, this.ownBox, buttons, this.status, this.chart, timelineField, exports,
        element("p", { class: "rv-train-command" }, [element("span", { text: "The same run from the command line: " }), this.command])]);
      this.node.addEventListener("toggle", () => {
        if (!this.node.open) this.pause();
        else if (!this.started) this.startWorker(0);
        this.host.showTrained(undefined);  // the data shown or hidden
        this.host.addressChanged();
      });
      // Space plays and pauses wherever in the panel it has no other use (a slider, the chart, the text).
      this.node.addEventListener("keydown", (event) => {
        const t = event.target;
        if (event.key !== " " || t.closest("button, select, textarea, summary") || (t.tagName === "INPUT" && t.type !== "range")) return;
        event.preventDefault();
        this.toggle();
      });
      this.show();
    }

    button(text, act) {
      const b = element("button", { type: "button", text });
      b.addEventListener("click", act);
      return b;
    }

    /* The panel's state from the address (its controls, the reader's points, a step to train to); any of them
     * opens the panel. */
    parse(params) {
      if (![...this.settings.controls.map((c) => c.name), ...Object.values(ADDRESS)].some((name) => params.has(name))) return [];
      const { state, rejected } = this.settings.parse(params, this.state);
      this.state = state;
      if (params.has(ADDRESS.points)) {
        const given = parsePoints(params.get(ADDRESS.points).replaceAll(",", "\n").replaceAll(":", ","), this.plane);
        if (given.error) rejected.push(`own (${given.error})`);
        else this.own = given;
      }
      const speed = params.get(ADDRESS.speed);
      if (speed !== null && T.stepsPerSecond.map(String).includes(speed)) this.speed.value = speed;
      const step = Number(params.get(ADDRESS.step));
      this.reach = Number.isSafeInteger(step) && step > 0 && step <= T.maxSteps ? step : 0;
      if (params.has(ADDRESS.step) && !this.reach) rejected.push(`step (a whole number from 1 to ${grouped(T.maxSteps)})`);
      this.show();
      this.node.open = true;
      this.startWorker(this.reach);
      return rejected;
    }

    /* The panel's part of the address: nothing while it is closed. */
    query() {
      if (!this.node.open) return "";
      const params = new URLSearchParams(this.settings.query(this.state));
      if (this.state.dataset === OWN && this.own.x.length) params.set(ADDRESS.points, pointsQuery(this.own));
      params.set(ADDRESS.speed, this.speed.value);
      const step = this.frames.at(-1)?.step;
      if (step && !this.playing) params.set(ADDRESS.step, step);
      return params.toString();
    }

    fromControls() {
      const { next, problems } = this.controls.read(this.state);
      if (problems.length) { this.status.textContent = `${problems.join("; ")}.`; return; }
      this.state = next;
      this.restart();
    }

    fromText() {
      const given = parsePoints(this.ownText.value, this.plane);
      if (given.error) { this.status.textContent = `Your points: ${given.error}.`; return; }
      this.own = given;
      this.restart();
    }

    /* Whether a click on the plot adds a point. */
    takesPoints() { return this.node.open && this.state.dataset === OWN; }

    /* A point the reader clicked on the plot, in the plot's coordinates. */
    clicked(point) {
      if (!this.takesPoints()) return false;
      if (this.own.x.length >= LIMIT) { this.status.textContent = `At most ${LIMIT} points: remove some first.`; return true; }
      const rounded = point.map((v) => Number(v.toPrecision(4)));
      this.own.x.push(this.plane ? rounded : [rounded[0]]);
      this.own.y.push(this.plane ? [Number(this.classChoice.value)] : [rounded[1]]);
      this.ownText.value = pointsText(this.own, this.plane);
      this.restart();
      return true;
    }

    show() {
      this.controls.show(this.state);
      this.ownBox.hidden = this.state.dataset !== OWN;
      this.ownText.value = pointsText(this.own, this.plane);
      this.play.textContent = this.playing ? "Pause" : "Play";
      this.play.setAttribute("aria-pressed", this.playing ? "true" : "false");
      this.updateCommand();
    }

    /* Back to step 0: the explorer's own random network, nothing recorded; with the panel open, the trainer is
     * made at once, so that its data are drawn before the first step. */
    restart() {
      this.pause(false);
      this.frames = [];
      this.trainedData = null;
      this.started = false;
      this.stopped = null;
      this.timeline.max = 0;
      this.timeline.disabled = true;
      this.drawChart();
      this.status.textContent = "Step 0: press Play or Step to train.";
      this.host.showTrained(null);
      this.show();
      this.host.addressChanged();
      if (this.node.open) this.startWorker(0);
    }

    ownData() {
      return this.state.dataset === OWN ? this.own : null;
    }

    startWorker(reach = 0) {
      if (this.state.dataset === OWN && this.own.x.length === 0) {
        this.status.textContent = "Add at least one point first (click the plot, or type them in).";
        return false;
      }
      if (!this.worker) {
        this.worker = new Worker(WORKER_URL);
        this.worker.onmessage = ({ data }) => this.received(data);
      }
      this.runId = (this.runId || 0) + 1;
      this.frames = [];
      this.trainedData = null;
      this.stopped = null;
      this.started = true;
      const settings = { ...this.host.trainNetworkSettings(), ...this.state };
      this.send({ task: "start", id: this.runId, settings, own: this.ownData(), reach });
      return true;
    }

    send(message) { this.worker.postMessage(message); }

    toggle() { if (this.playing) this.pause(); else this.resume(); }

    resume() {
      if (this.stopped) return;
      if (!this.started && !this.startWorker()) return;
      this.playing = true;
      this.send({ task: "play", rate: Number(this.speed.value) });
      this.show();
    }

    pause(report = true) {
      const was = this.playing;
      this.playing = false;
      if (was) this.send({ task: "pause" });  // the worker answers with the step reached
      this.show();
      if (report && was) this.host.addressChanged();
    }

    stepOnce() {
      if (this.stopped) return;
      if (!this.started && !this.startWorker()) return;
      this.playing = false;
      this.send({ task: "step" });
      this.show();
    }

    received(data) {
      if (data.id !== this.runId) return;
      if (data.task === "frame") {
        const network = { layers: data.layers.map(({ weight, bias, inn }) => ({
          weight: Array.from({ length: weight.length / inn }, (_, o) => weight.subarray(o * inn, (o + 1) * inn)), bias })),
          activation: data.activation, negativeSlope: data.negativeSlope };
        this.pending = { step: data.step, loss: data.loss, network };
        if (!this.drawing) { this.drawing = true; requestAnimationFrame(() => this.drawPending()); }
      } else if (data.task === "stopped") {
        this.stopped = data.message;
        this.playing = false;
        this.show();
        this.status.textContent = `Training stopped: ${data.message}. Lower the learning rate and press Reset.`;
      } else if (data.task === "data") {
        this.trainedData = data;
        this.host.showTrained(undefined);  // the data, drawn over the network as it is
      } else if (data.task === "json") {
        this.jsonWaiting?.(data);
      } else if (data.task === "error") {
        this.status.textContent = `Training failed: ${data.message}.`;
      }
    }

    drawPending() {
      this.drawing = false;
      const frame = this.pending;
      if (!frame) return;
      this.pending = null;
      this.host.showTrained(frame.network, frame);
    }

    /* The explorer drew `frame` and counted it: record it, plot it, say it. */
    counted(frame, count) {
      if (frame.step === undefined) return;
      const last = this.frames[this.frames.length - 1];
      if (!last || last.step !== frame.step) {
        this.frames.push({ ...frame, count });
        if (this.frames.length > MAX_FRAMES) this.frames = this.frames.filter((_, k) => k % 2 === 0 || k === this.frames.length - 1);
      }
      this.timeline.max = this.frames.length - 1;
      this.timeline.value = this.frames.length - 1;
      this.timeline.disabled = this.frames.length < 2;
      this.describe(this.frames[this.frames.length - 1]);
      this.drawChart();
      this.updateCommand();
      if (!this.playing) this.host.addressChanged();  // the step reached
    }

    describe(frame) {
      const { step, loss, count } = frame;
      this.status.textContent = `Step ${grouped(step)}: loss ${format(loss)}; ${count.text}` + (this.stopped ? ` Training stopped: ${this.stopped}.` : "");
    }

    replay(k) {
      this.pause(false);
      const frame = this.frames[k];
      if (!frame) return;
      this.describe(frame);
      this.host.showTrained(frame.network, { ...frame, step: undefined });
    }

    drawChart() {
      const f = this.frames, w = CHART.width - CHART.left - CHART.right, h = CHART.height;
      if (f.length < 2) { this.chart.innerHTML = ""; return; }
      const steps = f.map((x) => x.step), s0 = steps[0], s1 = Math.max(steps[steps.length - 1], s0 + 1);
      const sx = (s) => CHART.left + ((s - s0) / (s1 - s0)) * w;
      const line = (values, cls) => {
        const lo = Math.min(...values), hi = Math.max(...values), span = hi - lo || 1;
        return `<path class="${cls}" d="${values.map((v, k) => `${k ? "L" : "M"}${sx(steps[k]).toFixed(1)} ${(h - 6 - ((v - lo) / span) * (h - 18)).toFixed(1)}`).join("")}"/>`;
      };
      const losses = f.map((x) => Math.log10(Math.max(x.loss, 1e-300)));
      this.chart.innerHTML = line(losses, "rv-chart-loss") + line(f.map((x) => x.count.value), "rv-chart-count") +
        `<text class="rv-tick" x="${CHART.left}" y="10">loss (log scale, solid) and ${f[0].count.name} (dashed), steps ${grouped(s0)}–${grouped(steps[steps.length - 1])}</text>`;
      const first = f[0], now = f[f.length - 1];
      this.chart.setAttribute("aria-label", `From step ${grouped(first.step)} to ${grouped(now.step)} the loss went from ${format(first.loss)} to ` +
        `${format(now.loss)} and the ${now.count.name} from ${grouped(first.count.value)} to ${grouped(now.count.value)}.`);
    }

    /* The command that repeats the run to the step reached (the CLI trains at least one step). */
    updateCommand() {
      const step = this.frames.length ? this.frames[this.frames.length - 1].step : 0;
      if (!step) { this.command.textContent = "(train at least one step)"; return; }
      const network = this.host.trainNetworkSettings(), s = this.state, parts = ["reluviz train", `--inputs ${this.plane ? 2 : 1}`];
      const byName = Object.fromEntries(Shared.explorer.controls.map((c) => [c.name, c]));
      for (const name of T.networkControls) {
        const c = byName[name];
        if (c.only_for_init && network.init !== c.only_for_init) continue;
        if (c.kind === "switch") { if (!network[name]) parts.push(c.flag); } else parts.push(`${c.flag} ${network[name]}`);
      }
      for (const c of this.settings.controls) {
        if (s.dataset === OWN && c.name !== "learning_rate" && c.name !== "loss") continue;
        parts.push(`${c.flag} ${s[c.name]}`);
      }
      if (s.dataset === OWN) parts.push(`--data ${this.fileName("data")}`);
      this.command.textContent = `${parts.join(" ")} --steps ${step} --json`;
    }

    fileName(kind) {
      const n = this.host.trainNetworkSettings();
      return `reluviz-${kind === "data" ? "data" : "trained"}-w${n.width}-l${n.layers}-seed${n.seed}.json`;
    }

    /* Download JSON: what `reluviz train … --json` prints for the run so far, or the data file it reads. */
    download(kind) {
      if (!this.started || (kind === "network" && this.stopped)) { this.status.textContent = "Nothing to export: train a run that has not diverged first."; return; }
      this.jsonWaiting = (data) => {
        this.jsonWaiting = null;
        const link = element("a", { href: URL.createObjectURL(new Blob([`${kind === "data" ? data.data : data.network}\n`], { type: "application/json" })),
          download: this.fileName(kind) });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 1000);
      };
      this.send({ task: "json", id: this.runId });
    }

    /* The data the plot shows, as rows [x…, y]: those the trainer trains on, once it has started, else the
     * reader's points; none while the panel is closed. */
    points() {
      if (!this.node.open) return [];
      const d = this.trainedData;
      if (d) return Array.from({ length: d.count }, (_, p) => [...d.x.subarray(p * d.inputs, (p + 1) * d.inputs), d.y[p * d.outputs]]);
      return this.state.dataset === OWN ? this.own.x.map((row, k) => [...row, this.own.y[k][0]]) : [];
    }
  }

  window.ReluvizTrainPanel = TrainPanel;
})();
