/* Exact activation regions of a network with two inputs in a square: reluviz/regions.py in JavaScript.
 *
 * The square is cut along every first-layer unit's line, each part along the second layer's lines, and so on, in
 * the package's order, so the regions come out in the same order with the same patterns. Which side of a line a
 * vertex lies on is decided in floating point with a rigorous bound and, only when the bound cannot decide,
 * exactly (ReluvizExact); each region's gradient and intercept are the package's index-order sums. No DOM here: it
 * runs in a Web Worker (plane-worker.js) as well as on a page. */
"use strict";
(function (root) {
  const Exact = root.ReluvizExact, Line = root.ReluvizLine;
  const F = root.ReluvizShared.filter;
  const { unitRoundoff: U, tiny: TINY, slack: SLACK } = F;
  // filtered.Bounds and filtered.dot_bound from the line's analysis: its bounds per piece are these per cell.
  const { bound, largestBound, dotBound, exactBounds } = Line;

  /* The sign a unit has at every vertex of a piece, when one test on the piece's bounding box can tell, else 0:
   * the value at the box's centre outweighs all the unit can change across the box, plus the bound the vertex test
   * allows (taken at the box's largest coordinates and error) and the rounding of both sums. The box is
   * [x0, x1, y0, y1, e] in a Float64Array, read by index: taken apart from an array, its numbers were boxed
   * anew on each of the hundreds of thousands of tests. */
  function boxSign(a, r1, r2, ea, er, box) {
    const x0 = box[0], x1 = box[1], y0 = box[2], y1 = box[3], e = box[4];
    const cx = 0.5 * x0 + 0.5 * x1, cy = 0.5 * y0 + 0.5 * y1;
    const hx = Math.max(x1 - cx, cx - x0), hy = Math.max(y1 - cy, cy - y0);
    const xm = Math.max(Math.abs(x0), Math.abs(x1)), ym = Math.max(Math.abs(y0), Math.abs(y1));
    const centre = (a + r1 * cx) + r2 * cy, size = Math.abs(a) + Math.abs(r1) * xm + Math.abs(r2) * ym;
    const vertexBound = SLACK * (ea + (xm + ym) * er + (Math.abs(r1) + Math.abs(r2) + 2 * er) * e + 3 * U * size) + 4 * TINY;
    const reach = SLACK * SLACK * (Math.abs(r1) * hx + Math.abs(r2) * hy + 3 * U * (Math.abs(a) + Math.abs(r1 * cx) + Math.abs(r2 * cy)) +
      3 * U * size + vertexBound) + 8 * TINY;
    return Math.abs(centre) > reach && Number.isFinite(reach) ? (centre > 0 ? 1 : -1) : 0;
  }

  /* regions.analyze_plane for a network with two inputs, on the square [uLo, uHi] × [vLo, vHi]. `limit` stops the
   * cutting (and says so) once there are more regions than that, so that a huge count never freezes the page.
   * Offsets and rates are kept flat (cell · units + unit), and a piece that a unit's line surely misses is passed
   * over by one test on its bounding box (boxSign), which decides what the test at each vertex would: the same
   * regions, in the same order, with fewer decisions. */
  function analyze(network, corners, limit = Infinity) {
    const [uLo, uHi, vLo, vHi] = corners, slope = network.negativeSlope, first = network.layers[0];
    const walk = new Exact.ExactWalk(network, [0.0, 0.0], [[1.0, 0.0], [0.0, 1.0]]);
    const X = [], Y = [], E = [], lines = [], exactVertex = new Map();
    const add = (x, y, e, pair) => { X.push(x); Y.push(y); E.push(e); lines.push(pair); return X.length - 1; };
    const sides = [["side", 1, 2], ["side", 0, 1], ["side", 1, 3], ["side", 0, 0]];
    let cells = [{ vertices: [add(uLo, vLo, 0, [sides[3], sides[0]]), add(uHi, vLo, 0, [sides[0], sides[1]]),
      add(uHi, vHi, 0, [sides[1], sides[2]]), add(uLo, vHi, 0, [sides[2], sides[3]])], lines: sides, signs: [] }];
    let n = first.bias.length;
    let offset = Float64Array.from(first.bias), rates = new Float64Array(2 * n);
    first.weight.forEach((row, u) => { rates[2 * u] = row[0]; rates[2 * u + 1] = row[1]; });
    let bounds = [exactBounds(1, n), exactBounds(1, n)];
    const stats = { decisions: 0, exact: 0, boxes: 0 }, parents = [], signs = [];
    let stopped = false;
    let sv = new Int8Array(0), vv = new Float64Array(0), bv = new Float64Array(0);  // per vertex of a piece, grown as needed

    const exactLine = (line) => {
      if (line[0] === "side") return [Exact.negated(Exact.fraction(corners[line[2]])), [BigInt(1 - line[1]), 1n], [BigInt(line[1]), 1n]];
      return walk.affine(line[1], line[2], line[3]);
    };
    const vertexExactly = (i) => {  // Cramer's rule on the vertex's two lines
      if (!exactVertex.has(i)) {
        const [[c1, a1, b1], [c2, a2, b2]] = lines[i].map(exactLine), T = Exact.times, P = Exact.plus, N = Exact.negated;
        const det = P(T(a1, b2), N(T(a2, b1)));
        exactVertex.set(i, [Exact.over(P(T(b1, c2), N(T(b2, c1))), det), Exact.over(P(T(a2, c1), N(T(a1, c2))), det)]);
      }
      return exactVertex.get(i);
    };
    const box = (piece) => {  // the piece's bounding box and its vertices' largest error, found once per piece
      if (!piece.box) {
        let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity, e = 0;
        for (const i of piece.vertices) {
          x0 = Math.min(x0, X[i]); x1 = Math.max(x1, X[i]); y0 = Math.min(y0, Y[i]); y1 = Math.max(y1, Y[i]); e = Math.max(e, E[i]);
        }
        piece.box = Float64Array.of(x0, x1, y0, y1, e);
      }
      return piece.box;
    };

    network.layers.slice(1).forEach((next, level) => {
      if (stopped) return;
      const made = [], madeParents = [];
      for (let c = 0; c < cells.length && !stopped; c++) {
        const cell = cells[c], base = c * n;
        let pieces = [{ vertices: cell.vertices, lines: cell.lines, signs: [], box: null }];
        for (let u = 0; u < n; u++) {
          const a = offset[base + u], r1 = rates[2 * (base + u)], r2 = rates[2 * (base + u) + 1];
          const ea = bound(bounds[0], c, u), er = bound(bounds[1], c, u);
          let cut = null;  // the pieces once this unit's line has split one of them; until then, `pieces`
          for (let index = 0; index < pieces.length; index++) {
            const piece = pieces[index], sure = boxSign(a, r1, r2, ea, er, box(piece));
            if (sure) { stats.boxes += 1; piece.signs.push(sure); cut?.push(piece); continue; }
            const m = piece.vertices.length;
            if (m > sv.length) { sv = new Int8Array(2 * m); vv = new Float64Array(2 * m); bv = new Float64Array(2 * m); }
            let positive = false, negative = false;
            for (let k = 0; k < m; k++) {  // the unit's sign at each vertex: with a bound, exactly where it cannot tell
              const i = piece.vertices[k], x = X[i], y = Y[i], e = E[i];
              const v = (a + r1 * x) + r2 * y;
              const b = SLACK * (ea + (Math.abs(x) + Math.abs(y)) * er + (Math.abs(r1) + Math.abs(r2) + 2 * er) * e +
                3 * U * (Math.abs(a) + Math.abs(r1 * x) + Math.abs(r2 * y))) + 4 * TINY;
              stats.decisions += 1;
              let s;
              if (Math.abs(v) > b && Number.isFinite(b)) {
                s = v > 0 ? 1 : -1;
                bv[k] = b;
              } else {
                stats.exact += 1;
                const [c0, c1, c2] = walk.affine(level, c, u), [ex, ey] = vertexExactly(i);
                s = Exact.sign(Exact.plus(Exact.plus(c0, Exact.times(c1, ex)), Exact.times(c2, ey)));
                bv[k] = Infinity;
              }
              sv[k] = s; vv[k] = v;
              positive ||= s > 0; negative ||= s < 0;
            }
            if (!(positive && negative)) {
              piece.signs.push(positive ? 1 : negative ? -1 : 0);
              cut?.push(piece);
              continue;
            }
            cut ??= pieces.slice(0, index);
            const line = ["unit", level, c, u], parts = { 1: [[], []], "-1": [[], []] };
            for (let k = 0; k < m; k++) {
              const j = (k + 1) % m, p = piece.vertices[k], q = piece.vertices[j], edge = piece.lines[k], sp = sv[k], sq = sv[j];
              const across = sp * sq < 0 ? crossing(p, q, vv[k], vv[j], bv[k], bv[j], edge, line) : -1;
              for (const side of [1, -1]) {
                const [vs, ls] = parts[side];
                if (sp * side > 0) {
                  vs.push(p); ls.push(edge);
                  if (sq * side < 0) { vs.push(across); ls.push(line); }
                } else if (sp === 0) {
                  vs.push(p); ls.push(sq * side < 0 ? line : edge);
                } else if (sq * side > 0) {
                  vs.push(across); ls.push(edge);
                }
              }
            }
            for (const side of [1, -1]) cut.push({ vertices: parts[side][0], lines: parts[side][1], signs: [...piece.signs, side], box: null });
          }
          if (cut) pieces = cut;
        }
        for (const piece of pieces) { made.push(piece); madeParents.push(c); }
        if (made.length > limit) stopped = true;
      }
      if (stopped) return;
      parents.push(madeParents);
      const cellSigns = made.map((cell) => cell.signs);
      signs.push(cellSigns);
      walk.addLevel(madeParents, (cell) => cellSigns[cell]);
      // The next layer on every new cell: index-order sums, with bounds (regions._Cutting._carry).
      const units = next.bias.length, weight = next.weight;
      const nextOffset = new Float64Array(made.length * units), nextRates = new Float64Array(2 * made.length * units);
      const in0 = new Float64Array(n), in1 = new Float64Array(n), in2 = new Float64Array(n);
      const biggestOffset = new Float64Array(made.length), biggestRate = new Float64Array(made.length);
      made.forEach((cell, k) => {
        const p = madeParents[k], from = p * n;
        let most0 = 0, most1 = 0;
        for (let u = 0; u < n; u++) {
          const f = cell.signs[u] > 0 ? 1.0 : slope, o = offset[from + u], q1 = rates[2 * (from + u)], q2 = rates[2 * (from + u) + 1];
          in0[u] = f * o; in1[u] = f * q1; in2[u] = f * q2;
          most0 = Math.max(most0, Math.abs(o)); most1 = Math.max(most1, Math.abs(q1), Math.abs(q2));
        }
        biggestOffset[k] = most0; biggestRate[k] = most1;
        for (let mm = 0; mm < units; mm++) {
          const row = weight[mm];
          let t0 = in0[0] * row[0], t1 = in1[0] * row[0], t2 = in2[0] * row[0];
          for (let u = 1; u < n; u++) { t0 = t0 + in0[u] * row[u]; t1 = t1 + in1[u] * row[u]; t2 = t2 + in2[u] * row[u]; }
          nextOffset[k * units + mm] = t0 + next.bias[mm];
          nextRates[2 * (k * units + mm)] = t1;
          nextRates[2 * (k * units + mm) + 1] = t2;
        }
      });
      bounds = [dotBound(weight, madeParents.map((p) => largestBound(bounds[0], p)), biggestOffset, next.bias),
        dotBound(weight, madeParents.map((p) => largestBound(bounds[1], p)), biggestRate, null)];
      offset = nextOffset;
      rates = nextRates;
      n = units;
      cells = made.map((cell) => ({ vertices: cell.vertices, lines: cell.lines }));
    });

    function crossing(p, q, vp, vq, bp, bq, edge, line) {  // where the edge p → q meets the unit's line
      const t = vp / (vp - vq);
      const x = X[p] + t * (X[q] - X[p]), y = Y[p] + t * (Y[q] - Y[p]);
      const gap = Math.abs(vp - vq), gapBound = bp + bq;
      const tBound = SLACK * (Math.abs(vp) * gapBound + gap * bp) / (gap * (gap - gapBound)) + U * Math.abs(t) + TINY;
      const span = Math.max(Math.abs(X[q] - X[p]), Math.abs(Y[q] - Y[p]));
      const b = SLACK * (E[p] + Math.abs(t) * (E[p] + E[q]) + tBound * (span + E[p] + E[q]) +
        3 * U * (Math.max(Math.abs(X[p]), Math.abs(Y[p])) + Math.abs(t) * span)) + 2 * TINY;
      const sure = Math.sign(vp) !== Math.sign(vq) && Math.abs(vp) > bp && Math.abs(vq) > bq && gap > gapBound;
      if (sure && Number.isFinite(b)) return add(x, y, b, [edge, line]);
      // Where the bound cannot say how close the crossing is, it is found exactly and kept as its nearest doubles,
      // within half a unit in the last place: every later test on it can be decided in floating point again.
      const i = add(x, y, Infinity, [edge, line]), [ex, ey] = vertexExactly(i);
      const nx = Exact.nearest(ex[0], ex[1]), ny = Exact.nearest(ey[0], ey[1]);
      if (Number.isFinite(nx) && Number.isFinite(ny)) {
        X[i] = nx; Y[i] = ny; E[i] = SLACK * U * Math.max(Math.abs(nx), Math.abs(ny)) + TINY;
      }
      return i;
    }

    const pattern = (k) => {
      const layers = [];
      for (let l = signs.length; l > 0; l--) { layers.push(signs[l - 1][k].map((s) => s > 0)); k = parents[l - 1][k]; }
      return layers.reverse();
    };
    const nearestVertex = (i) => {
      if (E[i] === 0) return [X[i], Y[i]];
      const [x, y] = vertexExactly(i), nx = Exact.nearest(x[0], x[1]), ny = Exact.nearest(y[0], y[1]);
      if (!Number.isFinite(nx) || !Number.isFinite(ny)) throw new RangeError(`vertex ${i} is beyond the largest double`);
      return [nx, ny];
    };
    return {
      network, corners, stats, stopped, count: stopped ? null : cells.length,
      polygon: (k) => cells[k].vertices.map((i) => [X[i], Y[i]]),
      gradient: (k) => [rates[2 * k * n], rates[2 * k * n + 1]],
      intercept: (k) => offset[k * n],
      pattern,
      exactPolygon: (k) => cells[k].vertices.map(nearestVertex),
      /* Everything a page draws, in arrays that a Web Worker can hand over without copying. */
      flat() {
        const count = cells.length, starts = new Int32Array(count + 1);
        cells.forEach((cell, k) => { starts[k + 1] = starts[k] + cell.vertices.length; });
        const coordinates = new Float64Array(2 * starts[count]), gradients = new Float64Array(2 * count), intercepts = new Float64Array(count);
        const widths = network.layers.slice(0, -1).map((layer) => layer.bias.length), units = widths.reduce((t, w) => t + w, 0);
        const patterns = new Uint8Array(count * units);
        cells.forEach((cell, k) => {
          cell.vertices.forEach((i, j) => { coordinates[2 * (starts[k] + j)] = X[i]; coordinates[2 * (starts[k] + j) + 1] = Y[i]; });
          gradients[2 * k] = rates[2 * k * n];
          gradients[2 * k + 1] = rates[2 * k * n + 1];
          intercepts[k] = offset[k * n];
          // The pattern written layer by layer from the last, through the cells' parents (as `pattern` reads it,
          // without making its arrays: for thousands of regions that was most of the time this takes).
          let cellAt = k, end = (k + 1) * units;
          for (let l = signs.length - 1; l >= 0; l--) {
            const layer = signs[l][cellAt];
            end -= layer.length;
            for (let u = 0; u < layer.length; u++) patterns[end + u] = layer[u] > 0 ? 1 : 0;
            cellAt = parents[l][cellAt];
          }
        });
        return { count, starts, coordinates, gradients, intercepts, patterns, widths };
      },
    };
  }

  /* How many regions the whole plane has, as regions.whole_plane_regions counts them: the regions of a square
   * `reach` wide, once no vertex and no nearest point of a boundary segment lies beyond half of it (regions are
   * convex, so such a square meets each region once); null, with the reason, where that cannot be said. */
  function wholePlane(network, limit = Infinity) {
    const reach = root.ReluvizShared.plane.reach, edge = reach * (1 - 1e-9);
    if (firstLayerReach(network) > reach / 2) return { count: null, reason: `a first-layer line lies further out than ${reach / 2}` };
    const far = analyze(network, [-reach, reach, -reach, reach], limit);
    if (far.stopped) return { count: null, reason: `more than ${limit} regions` };
    let farthest = 0;
    for (let k = 0; k < far.count; k++) {
      const polygon = far.polygon(k);
      polygon.forEach((p, i) => {
        const q = polygon[(i + 1) % polygon.length];
        const onBorder = [0, 1].some((a) => Math.abs(p[a]) >= edge && Math.abs(q[a]) >= edge && Math.sign(p[a]) === Math.sign(q[a]));
        if (onBorder) return;
        const step = [q[0] - p[0], q[1] - p[1]];
        const t = Math.min(1, Math.max(0, -(p[0] * step[0] + p[1] * step[1]) / Math.max(step[0] * step[0] + step[1] * step[1], 1e-300)));
        farthest = Math.max(farthest, Math.abs(p[0] + t * step[0]), Math.abs(p[1] + t * step[1]));
        for (const v of [p, q]) if (Math.max(Math.abs(v[0]), Math.abs(v[1])) < edge) farthest = Math.max(farthest, Math.abs(v[0]), Math.abs(v[1]));
      });
    }
    if (farthest > reach / 2) return { count: null, reason: `boundaries reach further out than ${reach / 2}` };
    return { count: far.count, reason: null };
  }

  /* How far from the origin the first layer's lines come and cross (arrangement_half_width, in floating point). */
  function firstLayerReach(network) {
    const { weight, bias } = network.layers[0];
    let most = 0;
    weight.forEach(([a, b], i) => {
      const norm = a * a + b * b;
      if (norm > 0) most = Math.max(most, Math.abs(bias[i] * a / norm), Math.abs(bias[i] * b / norm));
      for (let j = i + 1; j < weight.length; j++) {
        const [c, d] = weight[j], det = a * d - c * b;
        if (det !== 0) most = Math.max(most, Math.abs((-bias[i] * d + bias[j] * b) / det), Math.abs((-a * bias[j] + c * bias[i]) / det));
      }
    });
    return most;
  }

  /* regions.region_upper_bound: the most regions layers of `widths` units can make of the plane. */
  function regionUpperBound(widths, activation) {
    const comb = (n, j) => (j === 0 ? 1 : j === 1 ? n : n * (n - 1) / 2);
    if (activation !== "relu") return widths.reduce((t, n) => t * (n > 1 ? 1 + n + comb(n, 2) : 2), 1);
    let budgets = new Map([[2, 1]]);
    for (const n of widths) {
      const following = new Map();
      for (const [free, ways] of budgets) {
        for (let j = 0; j <= Math.min(free, n); j++) {
          const room = Math.min(free, n - j);
          following.set(room, (following.get(room) || 0) + ways * comb(n, j));
        }
      }
      budgets = following;
    }
    return [...budgets.values()].reduce((t, v) => t + v, 0);
  }

  const pythonFloat = (x) => root.ReluvizCore.pythonFloat(x);
  const floats = (values) => `[${Array.from(values, pythonFloat).join(", ")}]`;

  /* What `reluviz regions … --json` prints, character for character (fields in Shared.json.plane's order). */
  function cliJson(result) {
    const net = result.network;
    const layers = net.layers.map((layer) => `{"weight": [${layer.weight.map(floats).join(", ")}], "bias": ${floats(layer.bias)}}`);
    const regions = Array.from({ length: result.count }, (_, k) => {
      const polygon = result.exactPolygon(k).map(floats).join(", ");
      const pattern = result.pattern(k).map((layer) => `"${layer.map((on) => (on ? "1" : "0")).join("")}"`).join(", ");
      return `{"pattern": [${pattern}], "polygon": [${polygon}], "gradient": ${floats(result.gradient(k))}, "intercept": ${pythonFloat(result.intercept(k))}}`;
    });
    const fields = { layers: `[${layers.join(", ")}]`, activation: `"${net.activation}"`, square: floats(result.corners),
      regions: `[${regions.join(", ")}]` };
    return `{${root.ReluvizShared.json.plane.map((name) => `"${name}": ${fields[name]}`).join(", ")}}`;
  }

  root.ReluvizPlane = { analyze, wholePlane, regionUpperBound, cliJson };
})(typeof globalThis !== "undefined" ? globalThis : this);
