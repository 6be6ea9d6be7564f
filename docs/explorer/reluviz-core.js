/* reluviz in the browser: the package's random networks, operation for operation, and its JSON.
 *
 * Every function here mirrors one in the Python package (named in its comment) and does the same IEEE 754
 * operations in the same order, so the numbers are the same bits: reluviz/portable_random.py for the weights,
 * reluviz/export.py's to_json for the JSON; the analysis is reluviz-line.js. tests/test_explorer.py checks this
 * in Chromium. Every constant comes from ReluvizShared (explorer/reluviz-shared.js, generated from the package).
 * No DOM here; explorer.js draws. */
"use strict";
(function (root) {
  const Shared = root.ReluvizShared;
  const { multipliers: MULTIPLIERS, keySteps: KEY_STEPS, rounds: ROUNDS, fractionShifts: SHIFTS } = Shared.random;
  const { ln2: LN2, sqrt2: SQRT2, logSeries: SERIES, maxSeed: MAX_SEED, streamsPerLayer: STREAMS } = Shared.random;
  const KINDS = Shared.random.kinds;
  const TWO32 = 2 ** 32;
  const LOW_SCALE = 2 ** (32 - SHIFTS[1]), FRACTION_SCALE = 2 ** (2 * 32 - SHIFTS[0] - SHIFTS[1]);  // two words, less the bits shifted out
  const { leakySlope: LEAKY_SLOPE, negativeSlope: NEGATIVE_SLOPE } = Shared.activations;

  /* The high 32 bits of a * b, for 32-bit a and b (the low ones are Math.imul); every partial product is exact.
   * Words are kept as signed 32-bit integers (the same bits), which V8 keeps in integer registers: words past 2^31
   * would be doubles. */
  function mulhi(a, b) {
    const aHigh = a >>> 16, aLow = a & 0xffff, bHigh = b >>> 16, bLow = b & 0xffff;
    const cross1 = aHigh * bLow, cross2 = aLow * bHigh;  // each below 2^32, so >>> keeps them whole
    const middle = ((aLow * bLow) >>> 16) + (cross1 & 0xffff) + (cross2 & 0xffff);
    return (aHigh * bHigh + (cross1 >>> 16) + (cross2 >>> 16) + (middle >>> 16)) | 0;
  }

  const words = new Uint32Array(4);

  /* philox4x32 in portable_random.py: Philox4x32-10 of one counter under a key, into `words` (returned, unsigned). */
  function philox(c0, c1, c2, c3, k0, k1) {
    let x0 = c0 | 0, x1 = c1 | 0, x2 = c2 | 0, x3 = c3 | 0;
    k0 |= 0;
    k1 |= 0;
    for (let round = 0; round < ROUNDS; round++) {
      if (round) {
        k0 = (k0 + KEY_STEPS[0]) | 0;
        k1 = (k1 + KEY_STEPS[1]) | 0;
      }
      const high0 = mulhi(MULTIPLIERS[0], x0), low0 = Math.imul(MULTIPLIERS[0], x0);
      const high1 = mulhi(MULTIPLIERS[1], x2), low1 = Math.imul(MULTIPLIERS[1], x2);
      x0 = high1 ^ x1 ^ k0;
      x1 = low1;
      x2 = high0 ^ x3 ^ k1;
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
   * activation, biases, spread_lo, spread_hi; and inputs (1, or 2 for the plane). */
  function randomNetwork(settings) {
    const widths = [settings.inputs || 1, ...Array(settings.layers).fill(settings.width), 1];
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

  /* analyze_line: the exact pieces of a one-input network on [lo, hi] (either end may be infinite). */
  const analyzeLine = (network, lo, hi) => root.ReluvizLine.analyze(network, lo, hi);

  /* The output at x from the pieces (PiecewiseLinear.evaluate), and the piece index there. */
  function evaluate(pieces, x) {
    const edges = pieces.edges, { slopes, intercepts } = pieces.settle();
    let k = 0;
    while (k + 2 < edges.length && edges[k + 1] <= x) k++;
    return { piece: k, output: intercepts[k][0] + slopes[k][0] * x, slope: slopes[k][0] };
  }

  /* Network.activation_pattern at one x: which hidden units have a positive input, layer by layer. */
  function activationPattern(network, x) {
    let h = [x];
    return network.layers.slice(0, -1).map((layer) => {
      const z = root.ReluvizLine.timesTransposed(h, layer.weight).map((value, j) => value + layer.bias[j]);
      h = z.map((value) => (value > 0 ? value : network.negativeSlope * value));
      return Array.from(z, (value) => value > 0);
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

  /* What `reluviz network --json` prints for these pieces, character for character, its fields in the order the
   * package gives (Shared.json.line). */
  function cliJson(pieces) {
    const boundaries = pieces.boundaries(), { slopes, intercepts } = pieces.settle();
    const layers = pieces.network.layers.map(
      (layer) => `{"weight": [${layer.weight.map(floats).join(", ")}], "bias": ${floats(layer.bias)}}`);
    const fields = {
      layers: `[${layers.join(", ")}]`,
      activation: `"${pieces.network.activation}"`,
      interval: `[${[pieces.lo, pieces.hi].map((end) => (Number.isFinite(end) ? pythonFloat(end) : "null")).join(", ")}]`,
      breakpoints: floats(pieces.breakpoints()),
      boundaries: floats(boundaries),
      equal_as_doubles: `[${boundaries.flatMap((b, k) => (k + 1 < boundaries.length && boundaries[k + 1] === b ? [k] : [])).join(", ")}]`,
      slopes: floats(slopes.map((row) => row[0])),
      intercepts: floats(intercepts.map((row) => row[0])),
      negative: `[${pieces.negative.join(", ")}]`,
    };
    return `{${Shared.json.line.map((name) => `"${name}": ${fields[name]}`).join(", ")}}`;
  }

  root.ReluvizCore = {
    philox, uniform, standardNormal, logFixed, randomNetwork, analyzeLine, evaluate,
    activationPattern, pythonFloat, cliJson,
  };
})(typeof globalThis !== "undefined" ? globalThis : this);
