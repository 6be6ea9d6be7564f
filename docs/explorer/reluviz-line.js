/* The exact analysis of a network along a line: reluviz/pieces.py and reluviz/filtered.py in JavaScript.
 *
 * Every question (is this zero inside its piece, which zero comes first, are two zeros one place, do the slopes on
 * either side of a boundary differ) is answered in floating point with a rigorous error bound and, only where the
 * bound cannot decide, exactly (ReluvizExact). The answers are exact, so they are the package's; the slopes and
 * intercepts are the same index-order sums the package takes, so they are its bits too. Constants come from
 * ReluvizShared. No DOM here. */
"use strict";
(function (root) {
  const Exact = root.ReluvizExact;
  const F = root.ReluvizShared.filter;
  const { unitRoundoff: U, tiny: TINY, slack: SLACK, rounded: ROUNDED, undecided: UNDECIDED } = F;
  const gamma = (n) => (n + F.gammaSpare) * F.gammaUnit;
  const bits = new DataView(new ArrayBuffer(8));
  const spacing = (x) => {  // np.spacing for a magnitude: the distance to the next double up
    if (!Number.isFinite(x)) return NaN;
    bits.setFloat64(0, x);
    bits.setBigUint64(0, bits.getBigUint64(0) + 1n);
    return bits.getFloat64(0) - x;
  };
  const width = (value, bound) => (bound === ROUNDED ? spacing(Math.abs(value)) : Math.max(bound, 0));

  /* filtered.order: -1, 0, 1 where a is certainly before, at, after b; UNDECIDED where the bounds do not tell. */
  function order(a, ea, b, eb) {
    const gap = a - b, margin = SLACK * (width(a, ea) + width(b, eb) + 4 * U * (Math.abs(a) + Math.abs(b))) + TINY;
    if (gap > margin) return 1;
    if (gap < -margin) return -1;
    const monotone = (ea === 0 || ea === ROUNDED) && (eb === 0 || eb === ROUNDED);
    if (monotone && a < b) return -1;
    if (monotone && a > b) return 1;
    if (monotone && ea === 0 && eb === 0 && a === b) return 0;
    if (Number.isFinite(a) && Number.isFinite(ea) && eb === 0 && b === -Infinity) return 1;
    if (Number.isFinite(a) && Number.isFinite(ea) && eb === 0 && b === Infinity) return -1;
    return UNDECIDED;
  }

  /* filtered.root_bound, for one unit: [bound, hasRoot]. */
  function rootBound(offset, rate, eo, er, zero) {
    const hasRoot = !(rate === 0 && er === 0);
    if (eo === 0 && er === 0) return [offset === 0 ? 0 : Number.isFinite(zero) ? ROUNDED : Infinity, hasRoot];
    const magnitude = Math.abs(rate);
    const bound = SLACK * ((Math.abs(offset) * er + magnitude * eo) / (magnitude * (magnitude - er))) + U * Math.abs(zero) + TINY;
    const unsure = !(magnitude > er) || !Number.isFinite(zero) || !Number.isFinite(bound);
    return [hasRoot && unsure ? Infinity : bound, hasRoot];
  }

  /* filtered.Bounds: a bound for unit u on piece p is scale[p] · norm[u] + extra[u]. */
  const bound = (b, p, u) => { const v = b.scale[p] === 0 ? b.extra[u] : b.scale[p] * b.norm[u] + b.extra[u]; return Number.isFinite(v) ? v : Infinity; };
  const largestBound = (b, p) => {
    b.most ||= [b.norm.reduce((t, v) => Math.max(t, v), 0), b.extra.reduce((t, v) => Math.max(t, v), 0)];
    const v = b.scale[p] * b.most[0] + b.most[1];
    return Number.isFinite(v) ? v : Infinity;
  };
  const norms = (weight) => Float64Array.from(weight, (row) => SLACK * row.reduce((t, w) => t + Math.abs(w), 0));
  const exactBounds = (pieces, units) => ({ scale: new Float64Array(pieces), norm: new Float64Array(units), extra: new Float64Array(units) });

  /* filtered.dot_bound: per piece, the largest carried error and input; per unit, the row's 1-norm. */
  function dotBound(weight, carried, largest, bias) {
    const n = weight[0].length;
    const scale = carried.map((c, p) => { const v = SLACK * SLACK * (c + (U + gamma(n + 1)) * largest[p] + TINY); return Number.isFinite(v) ? v : Infinity; });
    const extra = Float64Array.from(weight, (_, u) => SLACK * ((2 * n + 2) * TINY + (bias ? gamma(n + 1) * Math.abs(bias[u]) : 0)));
    return { scale: Float64Array.from(scale), norm: norms(weight), extra };
  }

  function prefixSumBound(weight, largest, carried, bias, terms, pieces) {
    const v = SLACK * SLACK * 2 * (carried + (U + gamma(terms)) * largest + TINY);
    const extra = Float64Array.from(weight, (_, u) => SLACK * ((2 * terms + 2) * TINY + (bias ? gamma(terms) * Math.abs(bias[u]) : 0)));
    return { scale: new Float64Array(pieces).fill(Number.isFinite(v) ? v : Infinity), norm: norms(weight), extra };
  }

  /* pieces._times_transposed for one row: Σ_k values[k] · weight[m][k], in index order. */
  function timesTransposed(values, weight) {
    const out = new Float64Array(weight.length);
    for (let m = 0; m < weight.length; m++) {
      const row = weight[m];
      let total = values[0] * row[0];
      for (let k = 1; k < row.length; k++) total = total + values[k] * row[k];
      out[m] = total;
    }
    return out;
  }

  /* The same for two rows at once (a piece's offsets and rates), reading each weight once, into out1 (plus bias)
   * and out2. */
  function timesTransposedTwice(first, second, weight, bias, out1, out2) {
    for (let m = 0; m < weight.length; m++) {
      const row = weight[m];
      let total1 = first[0] * row[0], total2 = second[0] * row[0];
      for (let k = 1; k < row.length; k++) {
        total1 = total1 + first[k] * row[k];
        total2 = total2 + second[k] * row[k];
      }
      out1[m] = total1 + bias[m];
      out2[m] = total2;
    }
  }

  /* pieces._exact_order: where an exact zero lies against an edge of a level. */
  function exactOrder(zero, level, edge, walk) {
    const [source, piece, unit] = level.sources[edge];
    let value;
    if (source < 0) {
      const end = level.edges[edge];
      if (!Number.isFinite(end)) return end < 0 ? 1 : -1;
      value = Exact.fraction(end);
    } else value = walk.root(source, piece, unit);
    return Exact.compare(zero, value);
  }

  /* pieces._place_exact_first_zeros and _place_roots: which units change sign inside their piece, their signs on
   * either side, and their zeros with bounds. Entries are per (piece, unit): arrays of rows. */
  function placeZeros(level, index, walk, stats) {
    const pieces = level.offset.length, units = level.offset[0].length;
    const firstExact = index === 0 && pieces === 1 && !level.offsetBounds.scale[0] && !level.rateBounds.scale[0] &&
      !level.offsetBounds.extra.some(Boolean) && !level.rateBounds.extra.some(Boolean);
    const inside = [], left = [], right = [], zeros = [], bounds = [], offsetMost = new Float64Array(pieces), rateMost = new Float64Array(pieces);
    for (let p = 0; p < pieces; p++) {
      const offset = level.offset[p], rate = level.rate[p];
      const rowInside = new Uint8Array(units), rowLeft = new Int8Array(units), rowRight = new Int8Array(units);
      const rowZeros = new Float64Array(units), rowBounds = new Float64Array(units);
      const start = level.edges[p], end = level.edges[p + 1], wStart = width(start, level.edgeBounds[p]), wEnd = width(end, level.edgeBounds[p + 1]);
      const eo = largestBound(level.offsetBounds, p), er = largestBound(level.rateBounds, p);
      let largestOffset = 0, largestRate = 0;
      for (let u = 0; u < units; u++) { largestOffset = Math.max(largestOffset, Math.abs(offset[u])); largestRate = Math.max(largestRate, Math.abs(rate[u])); }
      offsetMost[p] = largestOffset; rateMost[p] = largestRate;  // for carry's bounds
      const errorAt = (e, w) => (Number.isFinite(e)
        ? SLACK * (eo + Math.abs(e) * er + (largestRate + er) * w + 2 * U * (largestOffset + Math.abs(e) * largestRate)) + 2 * TINY : er);
      const errStart = errorAt(start, wStart), errEnd = errorAt(end, wEnd);
      stats.decisions += units;
      for (let u = 0; u < units; u++) {
        const A = offset[u], R = rate[u];
        if (!firstExact) {  // most units keep one sign along the piece: their signs at both ends show it
          const atStart = Number.isFinite(start) ? A + start * R : Math.sign(start) * R;
          const atEnd = Number.isFinite(end) ? A + end * R : Math.sign(end) * R;
          if (Math.abs(atStart) > errStart && Math.abs(atEnd) > errEnd && Math.sign(atStart) === Math.sign(atEnd)) {
            rowLeft[u] = rowRight[u] = Math.sign(atStart);
            continue;
          }
        }
        const eoU = firstExact ? 0 : bound(level.offsetBounds, p, u), erU = firstExact ? 0 : bound(level.rateBounds, p, u);
        let z = -A / R;
        let [zb, hasRoot] = rootBound(A, R, eoU, erU, z);
        let l, r;
        if (firstExact) {
          l = z > start ? 1 : z < start ? -1 : UNDECIDED;
          r = z < end ? -1 : z > end ? 1 : UNDECIDED;
        } else {
          l = order(z, zb, start, level.edgeBounds[p]);
          r = order(z, zb, end, level.edgeBounds[p + 1]);
        }
        let rateSign = Math.sign(R), offsetSign = Math.sign(A);
        const unsure = (hasRoot && (l === UNDECIDED || r === UNDECIDED)) || (!hasRoot && eoU !== 0 && !(Math.abs(A) > eoU));
        if (unsure) {
          stats.exact += 1;
          rateSign = walk.sign(index, p, u, true);
          if (rateSign === 0) {
            offsetSign = walk.sign(index, p, u, false);
            hasRoot = false;
          } else {
            hasRoot = true;
            const exactZero = walk.root(index, p, u);
            l = exactOrder(exactZero, level, p, walk);
            r = exactOrder(exactZero, level, p + 1, walk);
            const near = Exact.nearest(exactZero[0], exactZero[1]);
            if (Number.isFinite(near)) { z = near; zb = ROUNDED; }
          }
        }
        const strictly = hasRoot && l === 1 && r === -1;
        const steady = hasRoot && l <= 0 ? rateSign : hasRoot ? -rateSign : offsetSign;
        rowInside[u] = strictly ? 1 : 0;
        rowLeft[u] = strictly ? -rateSign : steady;
        rowRight[u] = strictly ? rateSign : steady;
        rowZeros[u] = z;
        rowBounds[u] = zb;
      }
      inside.push(rowInside); left.push(rowLeft); right.push(rowRight); zeros.push(rowZeros); bounds.push(rowBounds);
    }
    return { inside, left, right, zeros, bounds, offsetMost, rateMost };
  }

  /* pieces._group_roots: the zeros inside their pieces in order (piece, place, unit), the first at each place,
   * and each unit's rank among its piece's distinct places (-1 for none). */
  function groupZeros(level, index, placed, walk, stats) {
    const found = [];
    placed.inside.forEach((row, p) => row.forEach((isInside, u) => { if (isInside) found.push([p, u]); }));
    const value = ([p, u]) => placed.zeros[p][u];
    found.sort((a, b) => a[0] - b[0] || (value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : a[1] - b[1]));
    const runStart = found.map((entry, i) => i === 0 || entry[0] !== found[i - 1][0]);
    const monotone = found.every(([p, u]) => placed.bounds[p][u] === ROUNDED || placed.bounds[p][u] === 0);
    let reach = -Infinity;
    found.forEach(([p, u], i) => {  // a zero whose interval starts past every earlier one's in its piece needs no look
      const v = placed.zeros[p][u], b = placed.bounds[p][u];
      const margin = (b === ROUNDED ? spacing(Math.abs(v)) : b) * 2 + 4 * U * Math.abs(v);
      if (runStart[i]) reach = -Infinity;
      if (monotone ? i > 0 && !runStart[i] && v !== value(found[i - 1]) : !(v - margin <= reach)) runStart[i] = true;
      reach = Math.max(reach, Number.isFinite(v + margin) ? v + margin : Infinity);
    });
    const first = runStart.slice();
    for (let a = 0; a < found.length; a++) {
      if (!runStart[a]) continue;
      let b = a + 1;
      while (b < found.length && !runStart[b]) b++;
      if (b - a < 2) continue;
      stats.exact += b - a;  // zeros whose places might overlap: in order, and equal ones found, exactly
      const exact = found.slice(a, b).map(([p, u]) => ({ p, u, zero: walk.root(index, p, u) }));
      exact.sort((x, y) => Exact.compare(x.zero, y.zero) || x.u - y.u);
      exact.forEach((entry, k) => {
        found[a + k] = [entry.p, entry.u];
        first[a + k] = k === 0 || Exact.compare(entry.zero, exact[k - 1].zero) !== 0;
      });
    }
    const ranks = placed.inside.map((row) => new Int32Array(row.length).fill(-1));
    let rank = -1;
    found.forEach(([p, u], i) => {
      if (i === 0 || p !== found[i - 1][0]) rank = -1;
      if (first[i]) rank += 1;
      ranks[p][u] = rank;
    });
    return { found, first, ranks };
  }

  /* pieces._split: the new pieces, each unit's sign on them, and the next layer's pre-activations there. */
  function split(level, index, next, slope, placed, zeros, walk) {
    const pieces = level.offset.length, counts = new Int32Array(pieces);
    zeros.found.forEach(([p], i) => { if (zeros.first[i]) counts[p] += 1; });
    const parents = [], positions = [];
    for (let p = 0; p < pieces; p++) for (let k = 0; k <= counts[p]; k++) { parents.push(p); positions.push(k); }
    const signsOf = (piece) => {  // a unit's sign on a new piece: its right one once past its zero, else its left one
      const p = parents[piece], k = positions[piece], ranks = zeros.ranks[p], left = placed.left[p], right = placed.right[p];
      const signs = new Int8Array(left.length);
      for (let u = 0; u < left.length; u++) signs[u] = ranks[u] >= 0 && k > ranks[u] ? right[u] : left[u];
      return signs;
    };
    signsOf.everPositive = () => placed.left.some((row) => row.some((s) => s > 0)) || placed.right.some((row) => row.some((s) => s > 0));
    walk.addLevel(parents, signsOf);
    const edges = [], edgeBounds = [], sources = [];
    for (let p = 0, i = 0; p < pieces; p++) {
      edges.push(level.edges[p]); edgeBounds.push(level.edgeBounds[p]); sources.push(level.sources[p]);
      for (; i < zeros.found.length && zeros.found[i][0] === p; i++) {
        if (!zeros.first[i]) continue;
        const [, u] = zeros.found[i];
        edges.push(placed.zeros[p][u]); edgeBounds.push(placed.bounds[p][u]); sources.push([index, p, u]);
      }
    }
    edges.push(level.edges[pieces]); edgeBounds.push(level.edgeBounds[pieces]); sources.push(level.sources[pieces]);
    const negative = new Int32Array(parents.length);
    const signRows = pieces === 1 ? null : parents.map((_, piece) => signsOf(piece));
    parents.forEach((p, piece) => {
      const signs = signRows ? signRows[piece] : signsOf(piece);
      let count = level.negative[p];
      for (let u = 0; u < signs.length; u++) if (signs[u] < 0) count++;
      negative[piece] = count;
    });
    const carried = pieces === 1 ? carryAlongOnePiece(level, next, slope, placed, zeros) : carry(level, next, slope, placed, parents, signRows);
    return { edges, edgeBounds, sources, ...carried, negative, madeBy: zeros };
  }

  /* pieces._carry: the next layer on every new piece, each an index-order sum, with bounds (from the largest
   * values placeZeros found on each parent). */
  function carry(level, next, slope, placed, parents, signRows) {
    const offset = [], rate = [], units = level.offset[0].length, outputs = next.bias.length;
    const offsetIn = new Float64Array(units), rateIn = new Float64Array(units);
    const offsetCarried = [], rateCarried = [], offsetMost = [], rateMost = [];
    for (let piece = 0; piece < parents.length; piece++) {
      const p = parents[piece], signs = signRows[piece], A = level.offset[p], R = level.rate[p];
      for (let u = 0; u < units; u++) {
        const f = signs[u] > 0 ? 1.0 : slope;
        offsetIn[u] = f * A[u];
        rateIn[u] = f * R[u];
      }
      const o = new Float64Array(outputs), r = new Float64Array(outputs);
      timesTransposedTwice(offsetIn, rateIn, next.weight, next.bias, o, r);
      offset.push(o); rate.push(r);
      offsetCarried.push(largestBound(level.offsetBounds, p)); rateCarried.push(largestBound(level.rateBounds, p));
      offsetMost.push(placed.offsetMost[p]); rateMost.push(placed.rateMost[p]);
    }
    return { offset, rate, offsetBounds: dotBound(next.weight, offsetCarried, offsetMost, next.bias),
      rateBounds: dotBound(next.weight, rateCarried, rateMost, null) };
  }

  /* pieces._carry_along_one_piece: the first hidden layer, by adding each switch's effect in turn. */
  function carryAlongOnePiece(level, next, slope, placed, zeros) {
    const units = zeros.found.map(([, u]) => u);
    const lastOfGroup = units.map((_, i) => i === units.length - 1 || zeros.first[i + 1]);
    const left = placed.left[0], right = placed.right[0];
    const first = Array.from(left, (s) => (s > 0 ? 1.0 : slope)), last = Array.from(right, (s) => (s > 0 ? 1.0 : slope));
    const change = units.map((u) => (left[u] <= 0 ? 1.0 - slope : slope - 1.0));
    function accumulate(values) {
      const initial = timesTransposed(first.map((f, u) => f * values[u]), next.weight);
      const rows = [initial], running = new Float64Array(initial.length);
      units.forEach((u, c) => {
        const step = change[c] * values[u];
        for (let m = 0; m < running.length; m++) {
          const delta = step * next.weight[m][u];
          running[m] = c === 0 ? delta : running[m] + delta;
        }
        if (lastOfGroup[c]) rows.push(initial.map((v, m) => v + running[m]));
      });
      rows[rows.length - 1] = timesTransposed(last.map((f, u) => f * values[u]), next.weight);
      return rows;
    }
    const offset = accumulate(level.offset[0]).map((row) => row.map((v, m) => v + next.bias[m]));
    const rate = accumulate(level.rate[0]);
    const terms = units.length + level.offset[0].length + 3;
    return {
      offset, rate,
      offsetBounds: prefixSumBound(next.weight, placed.offsetMost[0], largestBound(level.offsetBounds, 0), next.bias, terms, offset.length),
      rateBounds: prefixSumBound(next.weight, placed.rateMost[0], largestBound(level.rateBounds, 0), null, terms, rate.length),
    };
  }

  /* pieces._kinks and _one_layer_kinks: whether the exact slopes on the two sides of each boundary differ. */
  function kinks(level, walk, last, network, stats) {
    const slope = network.negativeSlope;
    if (last === 1 && level.madeBy) {
      const { found, first } = level.madeBy, out = network.layers[1].weight;
      const groups = [];
      found.forEach(([, u], i) => { if (first[i]) groups.push([]); groups[groups.length - 1].push(u); });
      stats.decisions += groups.length;
      return groups.map((units) => {
        if (slope === 1) return false;
        if (units.length === 1) return out.some((row) => row[units[0]] !== 0);
        stats.exact += 1;  // units switching at exactly one place: (1 − α) Σ ±V_u R_u ≠ 0, exactly
        const rate = walk.map(0, 0)[1][0], r = rate.ints;
        return out.some((row) => {
          let total = [0n, 1n];
          units.forEach((u) => {
            const [vm, ve] = Exact.dyadic(row[u]), abs = r[u] < 0n ? -r[u] : r[u];
            const e = ve + rate.exponent, term = e >= 0 ? [vm * abs << BigInt(e), 1n] : [vm * abs, 1n << BigInt(-e)];
            total = [total[0] * term[1] + term[0] * total[1], total[1] * term[1]];
          });
          return total[0] !== 0n;
        });
      });
    }
    const rows = level.rate.length, outputs = level.rate[0].length, differ = [];
    for (let k = 0; k + 1 < rows; k++) {
      stats.decisions += 1;
      let answer = 0;
      for (let o = 0; o < outputs; o++) {
        const c = order(level.rate[k][o], bound(level.rateBounds, k, o), level.rate[k + 1][o], bound(level.rateBounds, k + 1, o));
        if (c === 1 || c === -1) { answer = 1; break; }
        if (c === UNDECIDED) answer = UNDECIDED;
      }
      if (answer === UNDECIDED) {
        stats.exact += 1;
        const a = walk.map(last, k)[1][0], b = walk.map(last, k + 1)[1][0];
        answer = a.ints.some((v, o) => Exact.compare([v << BigInt(Math.max(a.exponent - b.exponent, 0)), 1n],
          [b.ints[o] << BigInt(Math.max(b.exponent - a.exponent, 0)), 1n]) !== 0) ? 1 : 0;
      }
      differ.push(answer === 1);
    }
    return differ;
  }

  function nearestOrRefuse(fraction, what) {
    const value = Exact.nearest(fraction[0], fraction[1]);
    if (!Number.isFinite(value)) throw new RangeError(`${what} is beyond the largest double`);
    return value;
  }

  /* analyze_line (and analyze_segment's core): the exact pieces of a network on [lo, hi]. */
  function analyze(network, lo, hi, origin = [0.0], direction = [1.0]) {
    const first = network.layers[0], units = first.bias.length;
    const onTheInput = origin.length === 1 && origin[0] === 0 && direction.length === 1 && direction[0] === 1;
    const walk = new Exact.ExactWalk(network, origin, [direction.length === 2 && Array.isArray(direction[0])
      ? { end: direction[0], start: direction[1] } : direction]);
    const stats = { decisions: 0, exact: 0, exactPositions: 0 };
    let level;
    if (onTheInput) {
      level = { offset: [Float64Array.from(first.bias)], rate: [Float64Array.from(first.weight, (row) => row[0])],
        offsetBounds: exactBounds(1, units), rateBounds: exactBounds(1, units) };
    } else {
      const o = timesTransposed(origin, first.weight);
      for (let m = 0; m < units; m++) o[m] = o[m] + first.bias[m];
      const step = Math.max(...direction.map(Math.abs));
      level = { offset: [o], rate: [timesTransposed(direction, first.weight)],
        offsetBounds: dotBound(first.weight, [0], [Math.max(...origin.map(Math.abs))], first.bias),
        rateBounds: dotBound(first.weight, [U * step], [step], null) };
    }
    Object.assign(level, { edges: [lo, hi], edgeBounds: [0, 0], sources: [[-1, -1, -1], [-1, -1, -1]], negative: [0] });
    network.layers.slice(1).forEach((next, index) => {
      const placed = placeZeros(level, index, walk, stats);
      level = split(level, index, next, network.negativeSlope, placed, groupZeros(level, index, placed, walk, stats), walk);
    });
    const depth = network.layers.length - 1, isKink = kinks(level, walk, depth, network, stats);
    const final = level;
    let settled = null, positions = null;
    const result = {
      network, lo, hi, isKink, stats, edges: final.edges,
      negative: final.negative,
      /* Slopes and intercepts, any that floating point lost made exact (pieces._exact_where_floats_failed). */
      settle() {
        if (settled) return settled;
        const slopes = final.rate.map((row) => Float64Array.from(row)), intercepts = final.offset.map((row) => Float64Array.from(row));
        slopes.forEach((row, k) => {
          const broken = row.some((v, o) => !Number.isFinite(v) || !Number.isFinite(intercepts[k][o]) ||
            !Number.isFinite(bound(final.rateBounds, k, o)) || !Number.isFinite(bound(final.offsetBounds, k, o)));
          if (!broken) return;
          const [offset, [rate]] = walk.map(depth, k);
          row.forEach((_, o) => {
            const scale = (v, e) => (e >= 0 ? [v << BigInt(e), 1n] : [v, 1n << BigInt(-e)]);
            row[o] = nearestOrRefuse(scale(rate.ints[o], rate.exponent), `the slope on piece ${k + 1}`);
            intercepts[k][o] = nearestOrRefuse(scale(offset.ints[o], offset.exponent), `the intercept on piece ${k + 1}`);
          });
        });
        return (settled = { slopes, intercepts });
      },
      /* The boundaries, each the double nearest to its exact place. */
      boundaries() {
        if (positions) return positions;
        positions = final.edges.slice(1, -1).map((value, k) => {
          const b = final.edgeBounds[k + 1];
          if (b === 0 || b === ROUNDED) return value;
          stats.exactPositions += 1;
          const [source, piece, unit] = final.sources[k + 1];
          return nearestOrRefuse(walk.root(source, piece, unit), `boundary ${k + 1} (after piece ${k + 1})`);
        });
        return positions;
      },
      breakpoints() { return this.boundaries().filter((_, k) => isKink[k]); },
      /* The part on [a, b] (inside [lo, hi]): which boundaries lie strictly inside it, decided exactly, so its
       * kinks are exactly the analysis of [a, b] alone would find; the values drawn are the floating-point ones. */
      within(a, b) {
        const place = (k, end) => {  // boundary k against an end, exactly
          const c = order(final.edges[k], final.edgeBounds[k], end, 0);
          if (c !== UNDECIDED) return c;
          stats.exact += 1;
          const [source, piece, unit] = final.sources[k];
          return Exact.compare(walk.root(source, piece, unit), Exact.fraction(end));
        };
        let before = 0;
        const inner = [];
        for (let k = 1; k + 1 < final.edges.length; k++) {
          if (place(k, a) <= 0) before++;
          else if (place(k, b) === -1) inner.push(k);
        }
        const pieces = [before, ...inner];
        return { edges: [a, ...inner.map((k) => final.edges[k]), b], isKink: inner.map((k) => isKink[k - 1]),
          negative: pieces.map((k) => final.negative[k]), pieces };
      },
      pattern(k) {
        const found = [];
        for (let l = walk.signs.length; l > 0; l--) { found.push(walk.signs[l - 1](k).map((s) => s > 0)); k = walk.parents[l - 1][k]; }
        return found.reverse();
      },
    };
    return result;
  }

  root.ReluvizLine = { analyze, timesTransposed, bound, largestBound, dotBound, exactBounds };
})(typeof globalThis !== "undefined" ? globalThis : this);
