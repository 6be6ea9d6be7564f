/* Exact arithmetic for the explorer, with BigInt: reluviz/exact.py in JavaScript.
 *
 * A double is m · 2^e exactly, so sums and products of weights are exact with big integers. ExactVector holds
 * numbers as integers over one power of two; ExactWalk computes, only when the floating-point bounds cannot decide,
 * the exact map of every unit on a piece, where a unit's input is zero, and the double nearest to that place. The
 * answers are exact, so they are the package's whatever the order of the work. No DOM here. */
"use strict";
(function (root) {
  const view = new DataView(new ArrayBuffer(8));

  /* A finite double as [m, e] (BigInt m, number e) with x = m · 2^e. */
  function dyadic(x) {
    if (x === 0) return [0n, 0];
    view.setFloat64(0, x);
    const high = view.getUint32(0), low = view.getUint32(4), biased = (high >>> 20) & 0x7ff;
    let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
    if (biased) mantissa |= 1n << 52n;
    const exponent = (biased || 1) - 1075;
    return [high >>> 31 ? -mantissa : mantissa, exponent];
  }

  /* Numbers ints[i] · 2^exponent. */
  function vector(values) {
    const pairs = Array.from(values, dyadic);
    const low = Math.min(...pairs.filter(([m]) => m !== 0n).map(([, e]) => e), Infinity);
    const exponent = Number.isFinite(low) ? low : 0;
    return { ints: pairs.map(([m, e]) => (m === 0n ? 0n : m << BigInt(e - exponent))), exponent };
  }

  function minus(a, b) {
    const low = Math.min(a.exponent, b.exponent);
    return { ints: a.ints.map((v, i) => (v << BigInt(a.exponent - low)) - (b.ints[i] << BigInt(b.exponent - low))), exponent: low };
  }

  /* One layer, as integer rows over one power of two and an integer bias. */
  function exactLayer(layer) {
    const flat = vector(layer.weight.flatMap((row) => Array.from(row)));
    const columns = layer.weight[0].length;
    const rows = [];
    for (let i = 0; i < flat.ints.length; i += columns) rows.push(flat.ints.slice(i, i + columns));
    return { rows, exponent: flat.exponent, bias: vector(layer.bias) };
  }

  function apply(layer, x, withBias) {
    const exponent = layer.exponent + x.exponent;
    const sums = layer.rows.map((row) => row.reduce((total, w, k) => total + w * x.ints[k], 0n));
    if (!withBias) return { ints: sums, exponent };
    const low = Math.min(exponent, layer.bias.exponent);
    return { ints: sums.map((s, i) => (s << BigInt(exponent - low)) + (layer.bias.ints[i] << BigInt(layer.bias.exponent - low))), exponent: low };
  }

  /* The activation on pre-activations x whose signs on a piece are `signs`: slope 1 where positive, else `slope`. */
  function activated(x, signs, slope) {
    const [m, e] = dyadic(slope), shift = Math.min(e, 0);
    return {
      ints: x.ints.map((v, i) => (signs[i] > 0 ? v << BigInt(-shift) : (m * v) << BigInt(e - shift))),
      exponent: x.exponent + shift,
    };
  }

  const bits = (n) => (n === 0n ? 0 : n.toString(2).length);

  /* The double nearest to p/q (ties to even), q > 0; Infinity past the largest double. */
  function nearest(p, q) {
    if (p === 0n) return 0;
    const negative = p < 0n;
    if (negative) p = -p;
    let e = bits(p) - bits(q) - 54;  // so that the quotient has 54 or 55 bits: one to round with
    const quotient = (shift) => (shift >= 0 ? [p, q << BigInt(shift)] : [p << BigInt(-shift), q]);
    let [num, den] = quotient(e);
    if (num / den >= 1n << 54n) [num, den] = quotient(++e);
    if (e + 1 < -1074) {  // below the normal range: fewer bits, at the subnormals' fixed spacing
      [num, den] = quotient(-1075);
      e = -1075;
    }
    let n = num / den;
    const sticky = num % den !== 0n;
    const half = n & 1n;
    n >>= 1n;
    e += 1;
    if (half && (sticky || n & 1n)) n += 1n;
    if (n === 1n << 53n) {
      n >>= 1n;
      e += 1;
    }
    const value = e > 971 ? Infinity : Number(n) * 2 ** e;
    return negative ? -value : value;
  }

  /* Where offset + s · rate (exact vectors, unit `unit`) is zero, as a fraction [numerator, denominator > 0]. */
  function zero(offset, rate, unit) {
    let num = -offset.ints[unit], den = rate.ints[unit];
    const shift = offset.exponent - rate.exponent;
    if (shift > 0) num <<= BigInt(shift);
    else den <<= BigInt(-shift);
    return den < 0n ? [-num, -den] : [num, den];
  }

  const compare = ([a, b], [c, d]) => { const diff = a * d - c * b; return diff > 0n ? 1 : diff < 0n ? -1 : 0; };
  const fraction = (x) => { const [m, e] = dyadic(x); return e >= 0 ? [m << BigInt(e), 1n] : [m, 1n << BigInt(-e)]; };

  /* Fractions [numerator, denominator > 0] of BigInts, unreduced (the exact path is rare and short). */
  const times = ([a, b], [c, d]) => [a * c, b * d];
  const plus = ([a, b], [c, d]) => [a * d + c * b, b * d];
  const negated = ([a, b]) => [-a, b];
  const over = ([a, b], [c, d]) => (c < 0n ? [-a * d, -b * c] : [a * d, b * c]);
  const sign = ([a]) => (a > 0n ? 1 : a < 0n ? -1 : 0);
  const entry = (v, i) => (v.exponent >= 0 ? [v.ints[i] << BigInt(v.exponent), 1n] : [v.ints[i], 1n << BigInt(-v.exponent)]);

  /* The analysis's pieces (or cells), level by level, with their exact maps computed only when asked for
   * (ExactWalk in reluviz/exact.py): offset + s · rate along a line, offset + u · r1 + v · r2 on a plane. A
   * direction given as {end, start} is their difference, taken exactly. */
  class ExactWalk {
    constructor(network, origin, directions) {
      this.network = network;
      this.origin = origin;
      this.directions = directions;
      this.layers = [];
      this.maps = [new Map()];
      this.parents = [];
      this.signs = [];
    }

    layer(index) {
      return (this.layers[index] ||= exactLayer(this.network.layers[index]));
    }

    addLevel(parents, signs) {
      this.parents.push(parents);
      this.signs.push(signs);
      this.maps.push(new Map());
    }

    /* [offset, [rates…]] of the next layer's pre-activations on `piece` of `level`, exactly. */
    map(level, piece) {
      let found = this.maps[level].get(piece);
      if (found) return found;
      if (level === 0) {
        const first = this.layer(0);
        found = [apply(first, vector(this.origin), true), this.directions.map((d) =>
          apply(first, d.end ? minus(vector(d.end), vector(d.start)) : vector(d), false))];
      } else {
        const [offset, rates] = this.map(level - 1, this.parents[level - 1][piece]);
        const signs = this.signs[level - 1](piece), slope = this.network.negativeSlope, layer = this.layer(level);
        found = [apply(layer, activated(offset, signs, slope), true), rates.map((r) => apply(layer, activated(r, signs, slope), false))];
      }
      this.maps[level].set(piece, found);
      return found;
    }

    root(level, piece, unit) {
      const [offset, [rate]] = this.map(level, piece);
      return zero(offset, rate, unit);
    }

    sign(level, piece, unit, ofRate) {
      const [offset, rates] = this.map(level, piece), value = (ofRate ? rates[0] : offset).ints[unit];
      return value > 0n ? 1 : value < 0n ? -1 : 0;
    }

    /* A unit's exact offset and rates on a piece, as fractions. */
    affine(level, piece, unit) {
      const [offset, rates] = this.map(level, piece);
      return [entry(offset, unit), ...rates.map((r) => entry(r, unit))];
    }
  }

  root.ReluvizExact = { dyadic, vector, nearest, compare, fraction, times, plus, negated, over, sign, ExactWalk };
})(typeof globalThis !== "undefined" ? globalThis : this);
