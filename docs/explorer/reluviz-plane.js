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
  const gamma = (n) => (n + F.gammaSpare) * F.gammaUnit;
  const norms = (weight) => Float64Array.from(weight, (row) => SLACK * row.reduce((t, w) => t + Math.abs(w), 0));
  const largest = (b, c) => { const v = b.scale[c] * b.most[0] + b.most[1]; return Number.isFinite(v) ? v : Infinity; };
  const at = (b, c, u) => { const v = b.scale[c] === 0 ? b.extra[u] : b.scale[c] * b.norm[u] + b.extra[u]; return Number.isFinite(v) ? v : Infinity; };

  /* filtered.dot_bound, per cell: the largest carried error and input; per unit, the row's 1-norm. */
  function dotBound(weight, carried, biggest, bias) {
    const n = weight[0].length, norm = norms(weight);
    const scale = Float64Array.from(carried, (c, i) => { const v = SLACK * SLACK * (c + (U + gamma(n + 1)) * biggest[i] + TINY); return Number.isFinite(v) ? v : Infinity; });
    const extra = Float64Array.from(weight, (_, u) => SLACK * ((2 * n + 2) * TINY + (bias ? gamma(n + 1) * Math.abs(bias[u]) : 0)));
    return { scale, norm, extra, most: [norm.reduce((t, v) => Math.max(t, v), 0), extra.reduce((t, v) => Math.max(t, v), 0)] };
  }

  /* regions.analyze_plane for a network with two inputs, on the square [uLo, uHi] × [vLo, vHi]. `limit` stops the
   * cutting (and says so) once there are that many regions, so that a huge count never freezes the page. */
  function analyze(network, corners, limit = Infinity) {
    const [uLo, uHi, vLo, vHi] = corners, slope = network.negativeSlope, first = network.layers[0];
    const walk = new Exact.ExactWalk(network, [0.0, 0.0], [[1.0, 0.0], [0.0, 1.0]]);
    const X = [], Y = [], E = [], lines = [], exactVertex = new Map();
    const add = (x, y, e, pair) => { X.push(x); Y.push(y); E.push(e); lines.push(pair); return X.length - 1; };
    const sides = [["side", 1, 2], ["side", 0, 1], ["side", 1, 3], ["side", 0, 0]];
    let cells = [{ vertices: [add(uLo, vLo, 0, [sides[3], sides[0]]), add(uHi, vLo, 0, [sides[0], sides[1]]),
      add(uHi, vHi, 0, [sides[1], sides[2]]), add(uLo, vHi, 0, [sides[2], sides[3]])], lines: sides, signs: [] }];
    const units0 = first.bias.length;
    let offset = [Float64Array.from(first.bias)];
    let rates = [Array.from(first.weight, (row) => [row[0], row[1]])];
    const zeroBound = (n) => ({ scale: new Float64Array(1), norm: new Float64Array(n), extra: new Float64Array(n), most: [0, 0] });
    let bounds = [zeroBound(units0), zeroBound(units0)];
    const stats = { decisions: 0, exact: 0 }, parents = [], signs = [];
    let stopped = false;

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

    network.layers.slice(1).forEach((next, level) => {
      if (stopped) return;
      const made = [], madeParents = [];
      cells.forEach((cell, c) => {
        if (stopped) return;
        const o = offset[c], r = rates[c], n = o.length;
        const eo = Array.from({ length: n }, (_, u) => at(bounds[0], c, u)), er = Array.from({ length: n }, (_, u) => at(bounds[1], c, u));
        const value = (u, i) => {  // the unit's value at vertex i, and its sign, exactly where the bound cannot tell
          const a = o[u], [r1, r2] = r[u], x = X[i], y = Y[i], e = E[i];
          const v = (a + r1 * x) + r2 * y;
          const b = SLACK * (eo[u] + (Math.abs(x) + Math.abs(y)) * er[u] + (Math.abs(r1) + Math.abs(r2) + 2 * er[u]) * e +
            3 * U * (Math.abs(a) + Math.abs(r1 * x) + Math.abs(r2 * y))) + 4 * TINY;
          stats.decisions += 1;
          if (Math.abs(v) > b && Number.isFinite(b)) return [v > 0 ? 1 : -1, v, b];
          stats.exact += 1;
          const [c0, c1, c2] = walk.affine(level, c, u), [ex, ey] = vertexExactly(i);
          return [Exact.sign(Exact.plus(Exact.plus(c0, Exact.times(c1, ex)), Exact.times(c2, ey))), v, Infinity];
        };
        const crossing = (p, q, fp, fq, edge, line) => {  // where the edge p → q meets the unit's line
          const [, vp, bp] = fp, [, vq, bq] = fq, t = vp / (vp - vq);
          const x = X[p] + t * (X[q] - X[p]), y = Y[p] + t * (Y[q] - Y[p]);
          const gap = Math.abs(vp - vq), gapBound = bp + bq;
          const tBound = SLACK * (Math.abs(vp) * gapBound + gap * bp) / (gap * (gap - gapBound)) + U * Math.abs(t) + TINY;
          const span = Math.max(Math.abs(X[q] - X[p]), Math.abs(Y[q] - Y[p]));
          const b = SLACK * (E[p] + Math.abs(t) * (E[p] + E[q]) + tBound * (span + E[p] + E[q]) +
            3 * U * (Math.max(Math.abs(X[p]), Math.abs(Y[p])) + Math.abs(t) * span)) + 2 * TINY;
          const sure = Math.sign(vp) !== Math.sign(vq) && Math.abs(vp) > bp && Math.abs(vq) > bq && gap > gapBound;
          return add(x, y, sure && Number.isFinite(b) ? b : Infinity, [edge, line]);
        };
        let pieces = [{ vertices: cell.vertices, lines: cell.lines, signs: [] }];
        for (let u = 0; u < n; u++) {
          const cut = [];
          for (const piece of pieces) {
            const found = piece.vertices.map((i) => value(u, i)), s = found.map((f) => f[0]);
            if (!(s.includes(1) && s.includes(-1))) {
              piece.signs.push(s.includes(1) ? 1 : s.includes(-1) ? -1 : 0);
              cut.push(piece);
              continue;
            }
            const line = ["unit", level, c, u], sidesOf = { 1: [[], []], "-1": [[], []] }, m = piece.vertices.length;
            for (let i = 0; i < m; i++) {
              const j = (i + 1) % m, p = piece.vertices[i], q = piece.vertices[j], edge = piece.lines[i], sp = s[i], sq = s[j];
              const across = sp * sq < 0 ? crossing(p, q, found[i], found[j], edge, line) : -1;
              for (const side of [1, -1]) {
                const [vs, ls] = sidesOf[side];
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
            for (const side of [1, -1]) cut.push({ vertices: sidesOf[side][0], lines: sidesOf[side][1], signs: [...piece.signs, side] });
          }
          pieces = cut;
        }
        for (const piece of pieces) { made.push(piece); madeParents.push(c); }
        if (made.length > limit) stopped = true;
      });
      if (stopped) return;
      parents.push(madeParents);
      const cellSigns = made.map((cell) => cell.signs);
      signs.push(cellSigns);
      walk.addLevel(madeParents, (cell) => cellSigns[cell]);
      // The next layer on every new cell: index-order sums, with bounds (regions._Cutting._carry).
      const nextOffset = [], nextRates = [];
      made.forEach((cell, k) => {
        const p = madeParents[k], o = offset[p], r = rates[p], n = o.length;
        const factor = cell.signs.map((sg) => (sg > 0 ? 1.0 : slope));
        const offsetIn = new Float64Array(n), rate1 = new Float64Array(n), rate2 = new Float64Array(n);
        for (let u = 0; u < n; u++) { offsetIn[u] = factor[u] * o[u]; rate1[u] = factor[u] * r[u][0]; rate2[u] = factor[u] * r[u][1]; }
        const sums = Line.timesTransposed(offsetIn, next.weight);
        for (let m = 0; m < sums.length; m++) sums[m] = sums[m] + next.bias[m];
        const g1 = Line.timesTransposed(rate1, next.weight), g2 = Line.timesTransposed(rate2, next.weight);
        nextOffset.push(sums);
        nextRates.push(Array.from(g1, (v, m) => [v, g2[m]]));
      });
      const biggestOffset = madeParents.map((p) => offset[p].reduce((t, v) => Math.max(t, Math.abs(v)), 0));
      const biggestRate = madeParents.map((p) => rates[p].reduce((t, [a, b]) => Math.max(t, Math.abs(a), Math.abs(b)), 0));
      bounds = [dotBound(next.weight, madeParents.map((p) => largest(bounds[0], p)), biggestOffset, next.bias),
        dotBound(next.weight, madeParents.map((p) => largest(bounds[1], p)), biggestRate, null)];
      offset = nextOffset;
      rates = nextRates;
      cells = made.map((cell) => ({ vertices: cell.vertices, lines: cell.lines, signs: [] }));
    });

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
      polygons: cells.map((cell) => cell.vertices.map((i) => [X[i], Y[i]])),
      gradient: rates, intercept: offset, pattern,
      exactPolygon: (k) => cells[k].vertices.map(nearestVertex),
    };
  }

  const pythonFloat = (x) => root.ReluvizCore.pythonFloat(x);
  const floats = (values) => `[${Array.from(values, pythonFloat).join(", ")}]`;

  /* What `reluviz regions … --json` prints, character for character (fields in Shared.json.plane's order). */
  function cliJson(result) {
    const net = result.network;
    const layers = net.layers.map((layer) => `{"weight": [${layer.weight.map(floats).join(", ")}], "bias": ${floats(layer.bias)}}`);
    const regions = result.polygons.map((_, k) => {
      const polygon = result.exactPolygon(k).map(floats).join(", ");
      const pattern = result.pattern(k).map((layer) => `"${layer.map((on) => (on ? "1" : "0")).join("")}"`).join(", ");
      const [g1, g2] = result.gradient[k][0];
      return `{"pattern": [${pattern}], "polygon": [${polygon}], "gradient": ${floats([g1, g2])}, "intercept": ${pythonFloat(result.intercept[k][0])}}`;
    });
    const fields = { layers: `[${layers.join(", ")}]`, activation: `"${net.activation}"`, square: floats(result.corners),
      regions: `[${regions.join(", ")}]` };
    return `{${root.ReluvizShared.json.plane.map((name) => `"${name}": ${fields[name]}`).join(", ")}}`;
  }

  root.ReluvizPlane = { analyze, cliJson };
})(typeof globalThis !== "undefined" ? globalThis : this);
