/* Training in the browser, the same bits as the package: reluviz/portable_math.py, reluviz/datasets.py and
 * reluviz/training.py in JavaScript.
 *
 * Every function here repeats one of the package's (named in its comment) operation for operation: the same
 * additions and multiplications in the same order, every sum over points or units taken in index order, exp, log1p
 * and sin from the same reductions and series, so that after k steps the weights, the losses and the JSON are the
 * package's to the bit (tests/test_train_browser.py checks this in Chromium against `reluviz train … --json`).
 * Every constant comes from ReluvizShared (explorer/reluviz-shared.js, generated from the package); the random
 * numbers and networks from ReluvizCore. No DOM here: it runs in a Web Worker as well as on a page. */
"use strict";
(function (root) {
  const Shared = root.ReluvizShared, Core = root.ReluvizCore;
  const M = Shared.math, T = Shared.training, D = T.data;
  const { beta1: BETA1, oneMinusBeta1: ONE_MINUS_BETA1, beta2: BETA2, oneMinusBeta2: ONE_MINUS_BETA2, epsilon: EPSILON } = T.adam;
  const [PIO2_1, PIO2_2, PIO2_3] = M.pio2Parts;
  const series = (values) => Float64Array.from(values);  // the same numbers, in an array that is quick to read
  const EXP_SERIES = series(M.expSeries), LOG1P_SERIES = series(M.log1pSeries);
  const SIN_TAIL = series(M.sinSeries.slice(1)), COS_TAIL = series(M.cosSeries.slice(1));
  const { position: STREAM_POSITION, noise: STREAM_NOISE, centre: STREAM_CENTRE } = D.streams;
  const EXPONENT_BIAS = 1023, HIGH_WORD_SHIFT = 20;  // IEEE 754 doubles: the exponent's bias and place in the high word

  /* portable_math._horner: Σ c[i] tⁱ from the highest term down. */
  function horner(coefficients, t) {
    let total = coefficients[coefficients.length - 1];
    for (let i = coefficients.length - 2; i >= 0; i--) total = total * t + coefficients[i];
    return total;
  }

  /* portable_math._power_of_two: 2^e for the integers e in [1 − bias, bias], each made from its bits once. */
  const POWERS_OF_TWO = (() => {
    const bits = new DataView(new ArrayBuffer(8)), powers = new Float64Array(2 * EXPONENT_BIAS);
    for (let biased = 1; biased <= powers.length; biased++) {
      bits.setUint32(0, (biased << HIGH_WORD_SHIFT) >>> 0);
      bits.setUint32(4, 0);
      powers[biased - 1] = bits.getFloat64(0);
    }
    return powers;
  })();
  const powerOfTwo = (e) => POWERS_OF_TWO[e + EXPONENT_BIAS - 1];

  /* portable_math._exp: e^x for x ≤ Shared.math.expMax (not NaN), within 1.5 ulps. */
  function exp(x) {
    x = Math.max(x, M.expZeroBelow);
    const k = Math.floor(x * M.log2e + 0.5);
    const r = (x - k * M.ln2Hi) - k * M.ln2Lo;
    const p = horner(EXP_SERIES, r), first = Math.floor(k / 2);
    return (p * powerOfTwo(first)) * powerOfTwo(k - first);
  }

  /* portable_math._log1p: log(1 + u) for u in [0, 1], within 3 ulps. */
  function log1p(u) {
    const twiceT = (2 * u) / (2 + u);
    const t = 0.5 * twiceT;
    return twiceT * horner(LOG1P_SERIES, t * t);
  }

  /* portable_math._sin_cos: sin x (shift 0) or cos x (shift 1) for |x| ≤ Shared.math.trigMax, within 1.5 ulps. */
  function sinCos(x, shift) {
    const k = Math.floor(x * M.twoOverPi + 0.5);
    const r = ((x - k * PIO2_1) - k * PIO2_2) - k * PIO2_3;
    const r2 = r * r;
    const quadrant = ((((k % 4) + 4) % 4) + shift) % 4;
    if (quadrant === 0 || quadrant === 2) {
      const sine = r + (r * r2) * horner(SIN_TAIL, r2);
      return quadrant === 0 ? sine : -sine;
    }
    const cosine = 1 + r2 * horner(COS_TAIL, r2);
    return quadrant === 1 ? cosine : -cosine;
  }

  const sin = (x) => sinCos(x, 0);
  const cos = (x) => sinCos(x, 1);

  /* A data set: `count` points, row p of x at x[p · inputs …], of y at y[p · outputs …]. */
  const dataSet = (inputs, outputs, count) => ({ inputs, outputs, count, x: new Float64Array(count * inputs), y: new Float64Array(count * outputs) });

  /* datasets.evenly_spaced: lo + i · step, the last exactly hi. */
  function evenlySpaced(lo, hi, points) {
    const step = (hi - lo) / (points - 1), values = new Float64Array(points);
    for (let i = 0; i < points; i++) values[i] = lo + i * step;
    values[points - 1] = hi;
    return values;
  }

  /* datasets.curve at one x. */
  function curve(name, x) {
    if (!Object.hasOwn(D.sineTerms, name)) return Math.abs(x);
    const terms = D.sineTerms[name];
    let total = terms[0][0] * sin(terms[0][1] * x);
    for (let j = 1; j < terms.length; j++) total = total + terms[j][0] * sin(terms[j][1] * x);
    return total;
  }

  /* datasets.curve_data on the chapter's interval. */
  function curveData(name, points) {
    const data = dataSet(1, 1, points);
    data.x.set(evenlySpaced(D.curveInterval[0], D.curveInterval[1], points));
    for (let p = 0; p < points; p++) data.y[p] = curve(name, data.x[p]);
    return data;
  }

  /* Each labelled set's clean point i and its label, as in datasets.py: [first, second, label]. */
  const PLACES = {
    xor(seed, i) {
      const a = D.reach * (2 * Core.uniform(seed, STREAM_POSITION, i, 0) - 1);
      const b = D.reach * (2 * Core.uniform(seed, STREAM_POSITION, i, 1) - 1);
      return [a, b, a * b > 0 ? 1 : 0];
    },
    circles(seed, i) {
      const label = i % 2, angle = D.twoPi * Core.uniform(seed, STREAM_POSITION, i, 0), radius = D.circleRadii[label];
      return [radius * cos(angle), radius * sin(angle), label];
    },
    moons(seed, i) {
      const label = i % 2, t = D.pi * Core.uniform(seed, STREAM_POSITION, i, 0);
      const a = cos(t) - D.moonShift[0], b = sin(t) - D.moonShift[1];
      return [D.moonScale * (label ? -a : a), D.moonScale * (label ? -b : b), label];
    },
    spiral(seed, i) {
      const label = i % 2, fraction = Core.uniform(seed, STREAM_POSITION, i, 0);
      const radius = D.reach * fraction, angle = D.spiralAngle * fraction + label * D.pi;
      return [radius * cos(angle), radius * sin(angle), label];
    },
    mixture(seed, i) {
      const component = i % D.mixtureComponents;
      const centre = (axis) => D.mixtureCentreReach * (2 * Core.uniform(seed, STREAM_CENTRE, component, axis) - 1);
      const a = centre(0) + D.mixtureSpread * Core.standardNormal(seed, STREAM_NOISE, i, 2);
      const b = centre(1) + D.mixtureSpread * Core.standardNormal(seed, STREAM_NOISE, i, 3);
      return [a, b, component % 2];
    },
  };

  /* datasets.xor, circles, moons, spiral and mixture (_labelled adds the noise, and + 0 leaves no −0). */
  function labelled(name, points, seed, noise) {
    const data = dataSet(2, 1, points);
    for (let i = 0; i < points; i++) {
      const [a, b, label] = PLACES[name](seed, i);
      data.x[2 * i] = (a + noise * Core.standardNormal(seed, STREAM_NOISE, i, 0)) + 0;
      data.x[2 * i + 1] = (b + noise * Core.standardNormal(seed, STREAM_NOISE, i, 1)) + 0;
      data.y[i] = label;
    }
    return data;
  }

  /* A data set from rows (the reader's points): x rows of inputs, y rows of targets or labels. */
  function fromRows(xRows, yRows) {
    const data = dataSet(xRows[0].length, yRows[0].length, xRows.length);
    xRows.forEach((row, p) => data.x.set(row, p * data.inputs));
    yRows.forEach((row, p) => data.y.set(row, p * data.outputs));
    return data;
  }

  const rowsOf = (values, width) => Array.from({ length: values.length / width }, (_, p) => values.subarray(p * width, (p + 1) * width));
  const floats = (values) => `[${Array.from(values, Core.pythonFloat).join(", ")}]`;
  const table = (values, width) => `[${rowsOf(values, width).map(floats).join(", ")}]`;

  /* datasets.data_json: the data file `reluviz train --data FILE` reads, character for character. */
  function dataJson(data) {
    const fields = { x: table(data.x, data.inputs), y: table(data.y, data.outputs) };
    return `{${T.dataJson.map((name) => `"${name}": ${fields[name]}`).join(", ")}}`;
  }

  /* The data a Train panel's settings name (Shared.training.lineControls or planeControls), or `own`. */
  function dataOf(settings, own) {
    if (settings.dataset === T.readerPoints) return own;
    if (D.curves.includes(settings.dataset)) return curveData(settings.dataset, settings.points);
    return labelled(settings.dataset, settings.points, settings.data_seed, settings.noise);
  }

  /* training.train, one step at a time, on flat Float64Arrays made once: no allocation in a step. */
  class Trainer {
    /* network: as ReluvizCore.randomNetwork returns it (one output); data: as the functions above return it;
     * loss: "mse" or "logistic"; learningRate: Adam's step size. The loss at step 0 is computed here. */
    constructor(network, data, { loss, learningRate }) {
      if (network.layers[network.layers.length - 1].bias.length !== data.outputs) throw new Error("the network's outputs must match the data's");
      this.activation = network.activation;
      this.slope = network.negativeSlope;
      this.data = data;
      this.lossName = loss;
      this.learningRate = learningRate;
      const n = data.count;
      this.layers = network.layers.map((layer) => {
        const out = layer.weight.length, inn = layer.weight[0].length, weight = new Float64Array(out * inn);
        layer.weight.forEach((row, o) => weight.set(row, o * inn));
        const sized = (size) => [new Float64Array(size), new Float64Array(size), new Float64Array(size)];  // gradient, moment, square
        const [weightGradient, weightMoment, weightSquare] = sized(out * inn), [biasGradient, biasMoment, biasSquare] = sized(out);
        return { out, inn, weight, bias: Float64Array.from(layer.bias), weightGradient, weightMoment, weightSquare, biasGradient,
          biasMoment, biasSquare, z: new Float64Array(n * out), h: new Float64Array(n * out), signal: new Float64Array(n * out) };
      });
      this.power1 = 1;
      this.power2 = 1;
      this.steps = 0;
      this.losses = [];
      this.diverged = null;
      this.evaluate();
    }

    /* The loss now. */
    get loss() { return this.losses[this.losses.length - 1]; }

    /* training._forward: each layer's h · Wᵀ summed over k in order, + bias; the activation between layers. */
    forward() {
      let input = this.data.x;
      this.layers.forEach((layer, index) => {
        const { out, inn, weight, bias, z, h } = layer, hidden = index + 1 < this.layers.length;
        for (let p = 0; p < this.data.count; p++) {
          for (let o = 0; o < out; o++) {
            let total = input[p * inn] * weight[o * inn];
            for (let k = 1; k < inn; k++) total = total + input[p * inn + k] * weight[o * inn + k];
            const value = total + bias[o];
            z[p * out + o] = value;
            h[p * out + o] = hidden ? (value > 0 ? value : this.slope * value) : value;
          }
        }
        input = h;
      });
      return input;
    }

    /* training._mse, _logistic: the loss (every term added in order) and the output layer's signal; NaN if an
     * output is not finite (training._loss_and_gradients). */
    lossAndSignal(output) {
      const signal = this.layers[this.layers.length - 1].signal, y = this.data.y, size = output.length;
      if (!output.every(Number.isFinite)) return NaN;
      let total = 0;
      if (this.lossName === "mse") {
        for (let j = 0; j < size; j++) {
          const error = output[j] - y[j];
          total = j ? total + error * error : error * error;
          signal[j] = (2 * error) / size;
        }
        return total / size;
      }
      for (let p = 0; p < size; p++) {
        const z = output[p], label = y[p], small = exp(-Math.abs(z));
        const term = ((z > 0 ? z : 0) - z * label) + log1p(small);
        total = p ? total + term : term;
        signal[p] = ((z > 0 ? 1 : small) / (1 + small) - label) / size;
      }
      return total / size;
    }

    /* training._loss_and_gradients' backward pass: the gradients summed over the points in order, and the signal
     * passed back through each weight (summed over the units in order) times the activation's slope. */
    backward() {
      const n = this.data.count;
      for (let index = this.layers.length - 1; index >= 0; index--) {
        const layer = this.layers[index], { out, inn, signal, weightGradient, biasGradient } = layer;
        const input = index ? this.layers[index - 1].h : this.data.x;
        for (let p = 0; p < n; p++) {
          for (let o = 0; o < out; o++) {
            const s = signal[p * out + o];
            biasGradient[o] = p ? biasGradient[o] + s : s;
            for (let i = 0; i < inn; i++) {
              const term = s * input[p * inn + i];
              weightGradient[o * inn + i] = p ? weightGradient[o * inn + i] + term : term;
            }
          }
        }
        if (index) this.passBack(layer, this.layers[index - 1]);
      }
    }

    /* The signal of the layer before: Σ_o signal[p, o] · W[o, i] in order, times act'(z) (1 or the slope). */
    passBack(layer, before) {
      const { out, inn, signal, weight } = layer;
      for (let p = 0; p < this.data.count; p++) {
        for (let i = 0; i < inn; i++) {
          let total = signal[p * out] * weight[i];
          for (let o = 1; o < out; o++) total = total + signal[p * out + o] * weight[o * inn + i];
          before.signal[p * inn + i] = total * (before.z[p * inn + i] > 0 ? 1 : this.slope);
        }
      }
    }

    /* The loss and gradients of the network as it is now, recorded; divergence stops the run. */
    evaluate() {
      const value = this.lossAndSignal(this.forward());
      this.losses.push(value);
      if (!Number.isFinite(value)) return this.stop("loss");
      this.backward();
      return true;
    }

    stop(cause) {
      this.diverged = T.diverged.replace("{step}", String(this.steps)).replace("{reason}", T.divergedReasons[cause]);
      return false;
    }

    /* training._Adam.step on one array of parameters. */
    adam(parameters, gradient, moment, square, corrected1, corrected2) {
      let finite = true;
      for (let j = 0; j < parameters.length; j++) {
        const g = gradient[j];
        moment[j] = BETA1 * moment[j] + ONE_MINUS_BETA1 * g;
        square[j] = BETA2 * square[j] + ONE_MINUS_BETA2 * (g * g);
        parameters[j] = parameters[j] - (this.learningRate * (moment[j] / corrected1)) / (Math.sqrt(square[j] / corrected2) + EPSILON);
        finite = finite && Number.isFinite(parameters[j]);
      }
      return finite;
    }

    /* `count` steps of Adam (training.train's loop); false, with `diverged` set to the package's message, once
     * the loss or a parameter is no longer finite. */
    step(count = 1) {
      for (let done = 0; done < count; done++) {
        if (this.diverged) return false;
        this.power1 *= BETA1;
        this.power2 *= BETA2;
        const corrected1 = 1 - this.power1, corrected2 = 1 - this.power2;
        let finite = true;
        for (const layer of this.layers) {
          finite = this.adam(layer.weight, layer.weightGradient, layer.weightMoment, layer.weightSquare, corrected1, corrected2) && finite;
          finite = this.adam(layer.bias, layer.biasGradient, layer.biasMoment, layer.biasSquare, corrected1, corrected2) && finite;
        }
        this.steps += 1;
        if (!finite) return this.stop("parameters");
        if (!this.evaluate()) return false;
      }
      return true;
    }

    /* The network now, shaped as ReluvizCore.randomNetwork's (for ReluvizLine.analyze or ReluvizPlane.analyze). */
    network() {
      const layers = this.layers.map(({ weight, bias, inn }) => ({ weight: rowsOf(weight, inn).map((row) => Float64Array.from(row)), bias: Array.from(bias) }));
      return { layers, activation: this.activation, negativeSlope: this.slope };
    }

    /* What `reluviz train … --steps <this.steps> --json` prints, character for character (TrainingRun.to_dict,
     * fields in Shared.training.json's order). */
    cliJson() {
      const layers = this.layers.map(({ weight, bias, inn }) => `{"weight": ${table(weight, inn)}, "bias": ${floats(bias)}}`);
      const fields = { layers: `[${layers.join(", ")}]`, activation: `"${this.activation}"`, loss: `"${this.lossName}"`,
        learning_rate: Core.pythonFloat(this.learningRate), steps: String(this.steps), losses: floats(this.losses) };
      return `{${T.json.map((name) => `"${name}": ${fields[name]}`).join(", ")}}`;
    }
  }

  /* A Trainer for a Train panel's settings: the explorer's network controls (width, layers, seed, init,
   * activation, biases, spread_lo, spread_hi) and the panel's (dataset, points, data_seed, noise, learning_rate,
   * loss); `own` is the reader's data set, for dataset "own". */
  function start(settings, own) {
    const data = dataOf(settings, own);
    const [spreadLo, spreadHi] = Shared.plane.spread;
    const network = Core.randomNetwork({ spread_lo: spreadLo, spread_hi: spreadHi, ...settings, inputs: data.inputs });
    return new Trainer(network, data, { loss: settings.loss, learningRate: settings.learning_rate });
  }

  root.ReluvizTrain = { exp, log1p, sin, cos, evenlySpaced, curve, curveData, labelled, fromRows, dataJson, dataOf, Trainer, start };
})(typeof globalThis !== "undefined" ? globalThis : this);
