/* reluviz in the browser: the package's random networks and exact analysis, operation for operation.
 *
 * Every function here mirrors one in the Python package (named in its comment) and does the same IEEE 754
 * operations in the same order, so the numbers are the same bits: reluviz/portable_random.py for the weights,
 * reluviz/pieces.py for the pieces, reluviz/export.py's to_json for the JSON. tests/test_explorer.py checks this
 * in Chromium. Every constant comes from ReluvizShared (explorer/reluviz-shared.js, generated from the package).
 * No DOM here; explorer.js draws. */
"use strict";
(function (root) {
  const Shared = root.ReluvizShared;
  const { multipliers: MULTIPLIERS, keySteps: KEY_STEPS, rounds: ROUNDS, fractionShifts: SHIFTS } = Shared.random;
  const { ln2: LN2, sqrt2: SQRT2, logSeries: SERIES, maxSeed: MAX_SEED, streamsPerLayer: STREAMS } = Shared.random;
  const KINDS = Shared.random.kinds;
  const TWO32 = 2 ** 32;
  const LOW_SCALE = 2 ** (32 - SHIFTS[1]), FRACTION_SCALE = 2 ** (64 - SHIFTS[0] - SHIFTS[1]);
  const { mergeUlps: MERGE_ULPS, kinkRtol: KINK_RTOL } = Shared.analysis;
  const { leakySlope: LEAKY_SLOPE, negativeSlope: NEGATIVE_SLOPE } = Shared.activations;

  /* The high 32 bits of a * b, for 32-bit a and b (the low ones are Math.imul); every partial product is exact. */
  function mulhi(a, b) {
    const aHigh = a >>> 16, aLow = a & 0xffff, bHigh = b >>> 16, bLow = b & 0xffff;
    const cross1 = aHigh * bLow, cross2 = aLow * bHigh;  // each below 2^32, so >>> keeps them whole
    const middle = ((aLow * bLow) >>> 16) + (cross1 & 0xffff) + (cross2 & 0xffff);
    return (aHigh * bHigh + (cross1 >>> 16) + (cross2 >>> 16) + (middle >>> 16)) >>> 0;
  }

  const words = new Uint32Array(4);

  /* philox4x32 in portable_random.py: Philox4x32-10 of one counter under a key, into `words` (returned). */
  function philox(c0, c1, c2, c3, k0, k1) {
    let x0 = c0 >>> 0, x1 = c1 >>> 0, x2 = c2 >>> 0, x3 = c3 >>> 0;
    for (let round = 0; round < ROUNDS; round++) {
      if (round) {
        k0 = (k0 + KEY_STEPS[0]) >>> 0;
        k1 = (k1 + KEY_STEPS[1]) >>> 0;
      }
      const high0 = mulhi(MULTIPLIERS[0], x0), low0 = Math.imul(MULTIPLIERS[0], x0) >>> 0;
      const high1 = mulhi(MULTIPLIERS[1], x2), low1 = Math.imul(MULTIPLIERS[1], x2) >>> 0;
      x0 = (high1 ^ x1 ^ k0) >>> 0;
      x1 = low1;
      x2 = (high0 ^ x3 ^ k1) >>> 0;
      x3 = low0;
    }
    words[0] = x0; words[1] = x1; words[2] = x2; words[3] = x3;
    return words;
  }

  const keyLow = (seed) => seed % TWO32;
  const keyHigh = (seed) => Math.floor(seed / TWO32);

  /* _fraction: 53 random bits as a float in [0, 1). */
  function fraction(high, low) {
    return ((high >>> SHIFTS[0]) * LOW_SCALE + (low >>> SHIFTS[1])) / FRACTION_SCALE;
  }

  const bitsView = new DataView(new ArrayBuffer(8));

  /* log_fixed: the logarithm by a fixed series, the same bits everywhere. */
  function logFixed(s) {
    bitsView.setFloat64(0, s);
    const highWord = bitsView.getUint32(0);
    let exponent = ((highWord >>> 20) & 0x7ff) - 1023;
    bitsView.setUint32(0, (highWord & 0x000fffff) | 0x3ff00000);
    let mantissa = bitsView.getFloat64(0);
    if (mantissa > SQRT2) {
      mantissa = mantissa / 2.0;
      exponent += 1;
    }
    const t = (mantissa - 1.0) / (mantissa + 1.0);
    const t2 = t * t;
    let series = SERIES[SERIES.length - 1];
    for (let k = SERIES.length - 2; k >= 0; k--) series = series * t2 + SERIES[k];
    return exponent * LN2 + 2.0 * t * series;
  }

  /* uniform: counter (row, column, 0, stream). */
  function uniform(seed, stream, row, column) {
    const w = philox(row, column, 0, stream, keyLow(seed), keyHigh(seed));
    return fraction(w[0], w[1]);
  }

  /* standard_normal: Marsaglia's polar method, attempt a at counter (row, column, a, stream). */
  function standardNormal(seed, stream, row, column) {
    const k0 = keyLow(seed), k1 = keyHigh(seed);
    for (let attempt = 0; ; attempt++) {
      const w = philox(row, column, attempt, stream, k0, k1);
      const u = 2.0 * fraction(w[0], w[1]) - 1.0;
      const v = 2.0 * fraction(w[2], w[3]) - 1.0;
      const s = u * u + v * v;
      if (s > 0.0 && s < 1.0) return u * Math.sqrt((-2.0 * logFixed(s)) / s);
    }
  }

  /* Network.random, then experiments.without_biases when settings.biases is false.
   * settings: the explorer's controls by name (reluviz.explorer.LINE_CONTROLS): width, layers, seed, init,
   * activation, biases, spread_lo, spread_hi. */
  function randomNetwork(settings) {
    const widths = [1, ...Array(settings.layers).fill(settings.width), 1];
    const spreadLo = settings.spread_lo, spreadHi = settings.spread_hi;
    const layers = [];
    for (let index = 0; index + 1 < widths.length; index++) {
      const fanIn = widths[index], fanOut = widths[index + 1];
      const heStd = Math.sqrt(2.0 / fanIn);
      const normal = (kind, row, column) => standardNormal(settings.seed, STREAMS * index + kind, row, column);
      const weight = [], bias = [];
      for (let row = 0; row < fanOut; row++) {
        const weightRow = [];
        for (let column = 0; column < fanIn; column++) weightRow.push(normal(KINDS.weight, row, column));
        let b;
        if (settings.init === "standard") {
          b = normal(KINDS.bias, row, 0);
        } else if (settings.init === "he" || index > 0) {
          for (let column = 0; column < fanIn; column++) weightRow[column] = heStd * weightRow[column];
          b = settings.init === "he" ? heStd * normal(KINDS.bias, row, 0) : 0.0;
        } else {
          const f = uniform(settings.seed, STREAMS * index + KINDS.kink, row, 0);
          b = -weightRow[0] * (spreadLo * (1.0 - f) + spreadHi * f);
        }
        weight.push(Float64Array.from(weightRow));
        bias.push(settings.biases ? b : 0.0);
      }
      layers.push({ weight, bias });
    }
    return { layers, activation: settings.activation, negativeSlope: NEGATIVE_SLOPE[settings.activation] };
  }

  /* np.spacing for a magnitude >= 0. */
  function spacing(x) {
    if (x === 0) return Number.MIN_VALUE;
    bitsView.setFloat64(0, x);
    const low = bitsView.getUint32(4);
    if (low === 0xffffffff) {
      bitsView.setUint32(4, 0);
      bitsView.setUint32(0, bitsView.getUint32(0) + 1);
    } else {
      bitsView.setUint32(4, low + 1);
    }
    return bitsView.getFloat64(0) - x;
  }

  /* _apart: b exceeds a by more than MERGE_ULPS units in the last place of the larger. */
  function apart(a, b) {
    const magnitude = Math.max(Math.abs(a), Math.abs(b)), difference = b - a;
    // The same answer without reading bits when it is clear: 8 ulp of a normal x is at most x · 2^-49 < x · 1e-14.
    if (!(difference > 0)) return false;
    if (magnitude > 1e-290 && difference > magnitude * 1e-14) return true;
    return difference > MERGE_ULPS * spacing(Number.isFinite(magnitude) ? magnitude : 0.0);
  }

  /* inner_points, for one piece [left, right]. */
  function innerPoint(left, right) {
    if (left === -Infinity && right === Infinity) return 0.0;
    if (left === -Infinity) return right - Math.max(1.0, Math.abs(right));
    if (right === Infinity) return left + Math.max(1.0, Math.abs(left));
    return 0.5 * left + 0.5 * right;
  }

  /* _times_transposed for one row: Σ_k values[k] · weight[m][k] for each row m, summed in index order. */
  function timesTransposed(values, weight) {
    return timesTransposedTwice(values, null, weight)[0];
  }

  /* The same for two rows of values at once (a piece's offsets and rates), reading each weight once. */
  function timesTransposedTwice(first, second, weight) {
    const out1 = new Float64Array(weight.length), out2 = second && new Float64Array(weight.length);
    for (let m = 0; m < weight.length; m++) {
      const row = weight[m];
      let total1 = first[0] * row[0];
      if (second) {
        let total2 = second[0] * row[0];
        for (let k = 1; k < row.length; k++) {
          total1 = total1 + first[k] * row[k];
          total2 = total2 + second[k] * row[k];
        }
        out2[m] = total2;
      } else {
        for (let k = 1; k < row.length; k++) total1 = total1 + first[k] * row[k];
      }
      out1[m] = total1;
    }
    return [out1, out2];
  }

  function plusBias(values, bias) {
    for (let m = 0; m < values.length; m++) values[m] = values[m] + bias[m];
    return values;
  }

  /* _split_single_piece: the first hidden layer, by sorting its zeros and accumulating each switch's effect. */
  function splitSinglePiece(offset, rate, edges, negative, negativeSlope, next) {
    const n = offset.length, zeros = new Float64Array(n), units = [];
    for (let j = 0; j < n; j++) {
      zeros[j] = -offset[j] / rate[j];
      if (rate[j] !== 0 && apart(edges[0], zeros[j]) && apart(zeros[j], edges[1])) units.push(j);
    }
    units.sort((a, b) => (zeros[a] < zeros[b] ? -1 : zeros[a] > zeros[b] ? 1 : 0));  // stable: ties keep unit order
    const crossings = units.map((j) => zeros[j]);
    const firstOfGroup = crossings.map((c, i) => i === 0 || apart(crossings[i - 1], c));
    const lastOfGroup = crossings.map((c, i) => i === crossings.length - 1 || firstOfGroup[i + 1]);
    const newEdges = [edges[0], ...crossings.filter((c, i) => firstOfGroup[i]), edges[1]];

    const start = innerPoint(newEdges[0], newEdges[1]);
    const end = innerPoint(newEdges[newEdges.length - 2], newEdges[newEdges.length - 1]);
    const factor = new Float64Array(n), endFactor = new Float64Array(n);
    let startNegative = negative[0];
    for (let j = 0; j < n; j++) {
      const z = offset[j] + start * rate[j];
      factor[j] = z > 0 ? 1.0 : negativeSlope;
      if (z < 0) startNegative += 1;
      endFactor[j] = offset[j] + end * rate[j] > 0 ? 1.0 : negativeSlope;
    }

    function accumulate(values) {
      const scaled = new Float64Array(n);
      for (let j = 0; j < n; j++) scaled[j] = factor[j] * values[j];
      const initial = timesTransposed(scaled, next.weight);
      const pieces = [initial], running = new Float64Array(initial.length);
      units.forEach((j, c) => {
        const step = (rate[j] > 0 ? 1.0 - negativeSlope : negativeSlope - 1.0) * values[j];
        for (let m = 0; m < running.length; m++) {
          const delta = step * next.weight[m][j];
          running[m] = c === 0 ? delta : running[m] + delta;
        }
        if (lastOfGroup[c]) pieces.push(initial.map((value, m) => value + running[m]));
      });
      for (let j = 0; j < n; j++) scaled[j] = endFactor[j] * values[j];
      pieces[pieces.length - 1] = timesTransposed(scaled, next.weight);
      return pieces;
    }

    const newOffset = accumulate(offset).map((row) => plusBias(row, next.bias));
    const newRate = accumulate(rate);
    const newNegative = [startNegative];
    let steps = 0;
    units.forEach((j, c) => {
      steps += rate[j] > 0 ? -1 : 1;
      if (lastOfGroup[c]) newNegative.push(startNegative + steps);
    });
    return [newEdges, newOffset, newRate, newNegative];
  }

  /* _split_pieces: a deeper layer; split every piece at its units' zeros, read each new piece's mask inside it. */
  function splitPieces(offset, rate, edges, negative, negativeSlope, next) {
    const candidates = Array.from(edges), n = offset[0].length;
    for (let i = 0; i < offset.length; i++) {
      for (let j = 0; j < n; j++) {
        const zero = -offset[i][j] / rate[i][j];
        if (rate[i][j] !== 0 && apart(edges[i], zero) && apart(zero, edges[i + 1])) candidates.push(zero);
      }
    }
    const sorted = Float64Array.from(candidates).sort();
    const newEdges = Array.from(sorted).filter((c, i) => i === 0 || apart(sorted[i - 1], c));
    newEdges[newEdges.length - 1] = edges[edges.length - 1];
    const newOffset = [], newRate = [], newNegative = [];
    const scaledOffset = new Float64Array(n), scaledRate = new Float64Array(n);
    let parent = 0;
    for (let k = 0; k + 1 < newEdges.length; k++) {
      const middle = innerPoint(newEdges[k], newEdges[k + 1]);
      while (parent + 2 < edges.length && edges[parent + 1] <= middle) parent++;  // searchsorted(side="right") - 1
      const o = offset[parent], r = rate[parent];
      let count = negative[parent];
      for (let j = 0; j < n; j++) {
        const z = o[j] + middle * r[j], f = z > 0 ? 1.0 : negativeSlope;
        if (z < 0) count += 1;
        scaledOffset[j] = f * o[j];
        scaledRate[j] = f * r[j];
      }
      const [offsetRow, rateRow] = timesTransposedTwice(scaledOffset, scaledRate, next.weight);
      newOffset.push(plusBias(offsetRow, next.bias));
      newRate.push(rateRow);
      newNegative.push(count);
    }
    return [newEdges, newOffset, newRate, newNegative];
  }

  /* analyze_line: the exact pieces of a one-input network on [lo, hi] (either end may be infinite). */
  function analyzeLine(network, lo, hi) {
    const first = network.layers[0];
    let offset = [Float64Array.from(first.weight, (row, j) => 0.0 * row[0] + first.bias[j])];
    let rate = [Float64Array.from(first.weight, (row) => 1.0 * row[0])];
    let edges = [lo, hi];
    let negative = [0];
    network.layers.slice(1).forEach((next, index) => {
      const single = index === 0;
      [edges, offset, rate, negative] = (single ? splitSinglePiece : splitPieces)(
        single ? offset[0] : offset, single ? rate[0] : rate, edges, negative, network.negativeSlope, next);
    });
    const slopes = rate.map((row) => row[0]);
    const intercepts = offset.map((row) => row[0]);
    const scale = Math.max(...slopes.map(Math.abs));
    const isKink = slopes.slice(1).map((s, k) => Math.abs(s - slopes[k]) > KINK_RTOL * scale);
    const boundaries = edges.slice(1, -1);
    return {
      network, lo, hi, edges, boundaries, slopes, intercepts, negative, isKink,
      breakpoints: boundaries.filter((b, k) => isKink[k]),
    };
  }

  /* The output at x from the pieces (PiecewiseLinear.evaluate), and the piece index there. */
  function evaluate(pieces, x) {
    let k = 0;
    while (k < pieces.boundaries.length && pieces.boundaries[k] <= x) k++;
    return { piece: k, output: pieces.intercepts[k] + pieces.slopes[k] * x, slope: pieces.slopes[k] };
  }

  /* Network.activation_pattern at one x: which hidden units have a positive input, layer by layer. */
  function activationPattern(network, x) {
    let h = [x];
    return network.layers.slice(0, -1).map((layer) => {
      const z = timesTransposed(h, layer.weight).map((value, j) => value + layer.bias[j]);
      h = z.map((value) => (value > 0 ? value : network.negativeSlope * value));
      return z.map((value) => value > 0);
    });
  }

  /* repr() of a Python float, from the shortest digits that JavaScript also finds. */
  function pythonFloat(x) {
    if (x === 0) return "0.0";  // and -0.0, which to_json turns into 0.0
    const [mantissa, exponentText] = x.toExponential().split("e");
    const exponent = Number(exponentText);
    const sign = mantissa[0] === "-" ? "-" : "";
    const digits = mantissa.replace("-", "").replace(".", "");
    if (exponent >= -4 && exponent < 16) {
      if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
      const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
      return `${sign}${whole}.${digits.slice(exponent + 1) || "0"}`;
    }
    const shortened = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${shortened}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }

  const floats = (values) => `[${Array.from(values, pythonFloat).join(", ")}]`;

  /* What `reluviz network --json` prints for these pieces, character for character. */
  function cliJson(pieces) {
    const layers = pieces.network.layers.map(
      (layer) => `{"weight": [${layer.weight.map(floats).join(", ")}], "bias": ${floats(layer.bias)}}`);
    const ends = [pieces.lo, pieces.hi].map((end) => (Number.isFinite(end) ? pythonFloat(end) : "null"));
    return `{"layers": [${layers.join(", ")}], "activation": "${pieces.network.activation}", ` +
      `"interval": [${ends.join(", ")}], "breakpoints": ${floats(pieces.breakpoints)}, ` +
      `"boundaries": ${floats(pieces.boundaries)}, "slopes": ${floats(pieces.slopes)}, ` +
      `"intercepts": ${floats(pieces.intercepts)}, "negative": [${pieces.negative.join(", ")}]}`;
  }

  /* The command line that prints the same JSON: each control's flag (reluviz.explorer.Control.flag) with its value;
   * a switch's flag stands for "off", and a control that belongs to one initialisation appears with it only. */
  function cliCommand(settings) {
    const parts = ["reluviz network"];
    for (const control of Shared.explorer.controls) {
      if (control.only_for_init && settings.init !== control.only_for_init) continue;
      const value = settings[control.name];
      if (control.kind === "switch") {
        if (!value) parts.push(control.flag);
      } else {
        parts.push(`${control.flag} ${value}`);
      }
    }
    return `${parts.join(" ")} --json`;
  }

  root.ReluvizCore = {
    philox, uniform, standardNormal, logFixed, randomNetwork, analyzeLine, evaluate,
    activationPattern, pythonFloat, cliJson, cliCommand,
  };
})(typeof globalThis !== "undefined" ? globalThis : this);
