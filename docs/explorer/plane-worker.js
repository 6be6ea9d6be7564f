/* The 2-D explorer's heavy work, off the page's thread: it draws the network, cuts the square into its exact
 * regions (reluviz-plane.js) and hands the polygons back in arrays that move without copying; on request, it
 * counts the whole plane or writes the square's JSON. The task "trained" cuts a network the message holds (the
 * Train panel's) instead of drawing one. One message in, one out, each tagged with the caller's id. */
"use strict";
importScripts("reluviz-shared.js", "reluviz-exact.js", "reluviz-line.js", "reluviz-core.js", "reluviz-plane.js");

const LIMIT = ReluvizShared.plane.regionLimit;
const [SPREAD_LO, SPREAD_HI] = ReluvizShared.plane.spread;
let latest = null;  // the last square cut, kept for its JSON

const networkOf = (state) => ReluvizCore.randomNetwork({ ...state, inputs: 2, spread_lo: SPREAD_LO, spread_hi: SPREAD_HI });
const cornersOf = (state) => [state.x - state.half, state.x + state.half, state.y - state.half, state.y + state.half];

function square(id, state, network) {
  const started = performance.now();
  const analysis = ReluvizPlane.analyze(network || networkOf(state), cornersOf(state), LIMIT);
  latest = network ? null : { key: JSON.stringify(state), analysis };
  if (analysis.stopped) return [{ id, task: "square", stopped: true, limit: LIMIT }, []];
  const flat = analysis.flat();
  const bound = ReluvizPlane.regionUpperBound(flat.widths, state.activation);
  const message = { id, task: "square", stopped: false, ...flat, bound, milliseconds: performance.now() - started };
  return [message, [flat.starts.buffer, flat.coordinates.buffer, flat.gradients.buffer, flat.intercepts.buffer, flat.patterns.buffer]];
}

function json(id, state, network) {
  if (network) return [{ id, task: "json", json: ReluvizPlane.cliJson(ReluvizPlane.analyze(network, cornersOf(state))) }, []];
  const key = JSON.stringify(state);
  if (!latest || latest.key !== key) latest = { key, analysis: ReluvizPlane.analyze(networkOf(state), cornersOf(state)) };
  return [{ id, task: "json", json: ReluvizPlane.cliJson(latest.analysis) }, []];
}

const whole = (id, state) => [{ id, task: "whole", ...ReluvizPlane.wholePlane(networkOf(state), LIMIT) }, []];

self.onmessage = ({ data }) => {
  const { id, task, state, network } = data;
  try {
    const [message, moved] = { square, trained: square, json, whole }[task](id, state, network);
    self.postMessage(message, moved);
  } catch (error) {
    self.postMessage({ id, task, error: String(error && error.message ? error.message : error) });
  }
};
