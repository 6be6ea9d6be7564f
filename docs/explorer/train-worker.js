/* The Train panel's training, off the page's thread: reluviz-train.js's Trainer, stepped at the speed the reader
 * chose, with the network sent back for drawing about thirty times a second. Messages in: start (settings, the
 * reader's points, a step to reach at once), play (steps per second), pause, step, json. Out: data (the points it trains
 * on), frame (step, loss and the weights), stopped (the divergence message, instead of a frame that is not finite),
 * json. */
"use strict";
importScripts("reluviz-shared.js", "reluviz-exact.js", "reluviz-line.js", "reluviz-core.js", "reluviz-train.js");

const FRAME_MS = 33;   // a frame for the page at most this often
const SLICE_MS = 12;   // then let messages in
let trainer = null, rate = 0, owed = 0, last = 0, lastFrame = 0, timer = null, id = 0;

function frame() {
  const layers = trainer.layers.map(({ weight, bias, inn }) => ({ weight: Float64Array.from(weight), bias: Float64Array.from(bias), inn }));
  self.postMessage({ task: "frame", id, step: trainer.steps, loss: trainer.loss, layers, activation: trainer.activation,
    negativeSlope: trainer.slope }, layers.flatMap((layer) => [layer.weight.buffer, layer.bias.buffer]));
  lastFrame = performance.now();
}

function stopped() {
  rate = 0;
  self.postMessage({ task: "stopped", id, step: trainer.steps, message: trainer.diverged });
}

/* Take the steps that are due at the chosen rate, a slice at a time, and send a frame when one is due. */
function run() {
  timer = null;
  if (!trainer || rate <= 0) return;
  const now = performance.now();
  owed += ((now - last) / 1000) * rate;
  last = now;
  const started = now;
  while (owed >= 1 && performance.now() - started < SLICE_MS) {
    owed -= 1;
    if (!trainer.step()) { stopped(); return; }
  }
  owed = Math.min(owed, rate);  // a slow machine falls behind rather than piling up steps
  if (performance.now() - lastFrame >= FRAME_MS) frame();
  timer = setTimeout(run, 0);
}

self.onmessage = ({ data }) => {
  try {
    if (data.task === "start") {
      id = data.id;
      rate = 0;
      const own = data.own ? ReluvizTrain.fromRows(data.own.x, data.own.y) : null;
      trainer = ReluvizTrain.start(data.settings, own);
      const set = trainer.data;
      self.postMessage({ task: "data", id, x: set.x, y: set.y, inputs: set.inputs, outputs: set.outputs, count: set.count });
      while (trainer.steps < data.reach && trainer.step()) { /* replay to the step the address names */ }
      if (trainer.diverged) stopped();
      else frame();
    } else if (data.task === "play" && trainer && !trainer.diverged) {
      rate = data.rate;
      owed = 0;
      last = performance.now();
      if (!timer) timer = setTimeout(run, 0);
    } else if (data.task === "pause") {
      rate = 0;
      if (trainer && !trainer.diverged) frame();
    } else if (data.task === "step" && trainer) {
      rate = 0;
      if (trainer.step()) frame();
      else stopped();
    } else if (data.task === "json" && trainer) {
      self.postMessage({ task: "json", id, step: trainer.steps, network: trainer.cliJson(), data: ReluvizTrain.dataJson(trainer.data) });
    }
  } catch (error) {
    self.postMessage({ task: "error", id, message: String(error && error.message ? error.message : error) });
  }
};
