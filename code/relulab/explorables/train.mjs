// Training small networks in the reader's browser, in the conventions of relulab.
//
// An ES module with no dependency and no DOM: activations, losses, backpropagation, SGD and Adam
// (optax's definitions), seeded initialisation, minibatch orders and dead units, in float64.
//
// Parameters are relulab's: an array of layers [W, b], W an array of n_in rows of n_out numbers,
// b an array of n_out numbers; a layer computes x @ W + b, hidden layers apply the activation, the
// last layer is linear. The nested-array functions (gradients, sgdStep, adamStep, deadUnits, ...)
// are the public contract; the explorables train through the same code on flat Float64Arrays
// (Trainer), so the tests of the nested functions test what the reader runs.
//
// Definitions (each the same as in relulab / JAX / optax; tests/test_train_js.py checks them):
// - relu(z) = max(z, 0) with relu'(0) = 0 (jax.nn.relu); leaky_relu(z) = z if z >= 0 else 0.01 z
//   (slope 1 at 0); elu(z) = z if z > 0 else expm1(z) (slope 1 at 0); gelu(z) = z erfc(-z/sqrt 2)/2,
//   the exact form (jax.nn.gelu(approximate=False)); softplus(z) = log(1 + e^z); tanh; sigmoid.
// - "mse": mean over examples and outputs of (f(x) - t)^2, t a target vector or the one-hot code of
//   an integer label. "cross_entropy": softmax cross-entropy with integer labels for two or more
//   outputs, the sigmoid (binary) cross-entropy with labels 0/1 for one output (relulab.train).
// - sgd(lr, momentum m): trace = g + m trace, params += -lr trace (optax.sgd); adam(lr, b1, b2, eps,
//   eps_root): mu = (1-b1) g + b1 mu, nu = (1-b2) g^2 + b2 nu, t += 1,
//   params += -lr (mu/(1-b1^t)) / (sqrt(nu/(1-b2^t) + eps_root) + eps) (optax.adam).
// - A hidden unit is dead on a set of inputs when its output is exactly 0 on every one of them
//   (relulab.dead). XLA's CPU backend flushes subnormal numbers to zero, so an output below the
//   smallest normal float64 counts as 0 here too (it matters only for the sigmoid, softplus and
//   GELU tails, e.g. a sigmoid unit whose pre-activation is below -708.4 everywhere).
//
// Random draws are identical in every engine: a xoshiro128** generator (32-bit integer arithmetic
// only) seeded by SplitMix64 from (seed, stream); a uniform u = (k + 1/2) / 2^32 from one 32-bit
// output k; a standard normal z = Q(u), where Q is Acklam's rational approximation of the normal
// quantile (relative error below 1.15e-9) evaluated with + - * / and sqrt only (its tails need a
// logarithm, computed here by a fixed series, not Math.log). So |z| <= Q(1 - 2^-33), about 6.2.
// Layer l's weights come from stream l + 1 of the seed (adding a layer leaves the others' weights
// unchanged), minibatch orders from stream 1000. relulab.explorables.seeded repeats this in Python
// draw for draw.

export const ACTIVATIONS = Object.freeze(["relu", "leaky_relu", "elu", "gelu", "softplus", "tanh", "sigmoid"]);
export const LOSSES = Object.freeze(["mse", "cross_entropy"]);
export const INITS = Object.freeze(["he", "glorot", "lecun"]);
export const OPTIMIZERS = Object.freeze(["sgd", "adam"]);
export const LEAKY_SLOPE = 0.01;
export const MIN_NORMAL = 2.2250738585072014e-308;
export const BATCH_STREAM = 1000;

// ------------------------------------------------------------------------------ input checks
// As in relulab._validate: a wrong type is a TypeError, a wrong value or shape a RangeError, and the
// message reads "<argument> must <expected>, got <what came>".

function got(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${value.length}`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${value}`;
  if (typeof value === "string") return `string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "..." : value)}`;
  return typeof value;
}

function fail(ErrorType, name, expected, value, raw = false) {
  throw new ErrorType(`${name} must ${expected}, got ${raw ? value : got(value)}`);
}

function isArrayLike(v) {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

function checkChoice(value, name, choices) {
  if (typeof value !== "string") fail(TypeError, name, `be one of ${choices.map((c) => `"${c}"`).join(", ")}`, value);
  if (!choices.includes(value)) fail(RangeError, name, `be one of ${choices.map((c) => `"${c}"`).join(", ")}`, value);
  return value;
}

function checkNumber(value, name, { min = -Infinity, minOpen = false, max = Infinity, expected = "a finite number" } = {}) {
  if (typeof value !== "number") fail(TypeError, name, `be ${expected}`, value);
  if (!Number.isFinite(value) || value < min || (minOpen && value === min) || value > max) fail(RangeError, name, `be ${expected}`, value);
  return value;
}

function checkInteger(value, name, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  const expected = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  if (typeof value !== "number") fail(TypeError, name, `be ${expected}`, value);
  if (!Number.isInteger(value) || value < min || value > max) fail(RangeError, name, `be ${expected}`, value);
  return value;
}

function checkSizes(sizes, name = "sizes") {
  if (!isArrayLike(sizes)) fail(TypeError, name, "be an array of layer widths such as [1, 16, 16, 1]", sizes);
  if (sizes.length < 2) fail(RangeError, name, "list at least two widths (inputs and outputs)", sizes);
  sizes.forEach((s, i) => checkInteger(s, `${name}[${i}]`, { min: 1 }));
  return Array.from(sizes);
}

function checkVector(v, name, length, what) {
  if (!isArrayLike(v)) fail(TypeError, name, `be an array of ${length} numbers (${what})`, v);
  if (v.length !== length) fail(RangeError, name, `have length ${length} (${what})`, v);
  for (let i = 0; i < length; i++) {
    if (typeof v[i] !== "number") fail(TypeError, `${name}[${i}]`, "be a number", v[i]);
    if (!Number.isFinite(v[i])) fail(RangeError, `${name}[${i}]`, "be a finite number", v[i]);
  }
}

// ------------------------------------------------------------------------------ parameter layout

/** The shape of a network: widths, and where each layer's W (row-major) and b sit in a flat vector. */
export class Layout {
  constructor(sizes) {
    this.sizes = checkSizes(sizes);
    this.layers = [];
    let at = 0;
    for (let l = 0; l + 1 < this.sizes.length; l++) {
      const nIn = this.sizes[l], nOut = this.sizes[l + 1];
      this.layers.push({ nIn, nOut, w: at, b: at + nIn * nOut });
      at += nIn * nOut + nOut;
    }
    this.size = at;
    this.hidden = this.sizes.slice(1, -1);
  }
}

/** Check a nested parameter list and return its Layout. */
export function layoutOf(params, name = "params") {
  if (!Array.isArray(params)) fail(TypeError, name, "be an array of layers [W, b]", params);
  if (params.length < 1) fail(RangeError, name, "hold at least one layer [W, b]", params);
  const sizes = [];
  params.forEach((layer, l) => {
    const where = `${name}[${l}]`;
    if (!Array.isArray(layer) || layer.length !== 2) fail(TypeError, where, "be a pair [W, b]", layer);
    const [W, b] = layer;
    if (!isArrayLike(W) || W.length < 1) fail(TypeError, `${where} W`, "be a non-empty array of rows (n_in rows of n_out numbers)", W);
    if (!isArrayLike(W[0])) fail(TypeError, `${where} W[0]`, "be an array of n_out numbers", W[0]);
    const nIn = W.length, nOut = W[0].length;
    if (nOut < 1) fail(RangeError, `${where} W[0]`, "hold at least one number", W[0]);
    if (l === 0) sizes.push(nIn);
    else if (nIn !== sizes[l]) {
      fail(RangeError, `${where} W`, `have ${sizes[l]} rows to match the ${sizes[l]} outputs of ${name}[${l - 1}]`, `${nIn} rows`, true);
    }
    W.forEach((row, i) => checkVector(row, `${where} W[${i}]`, nOut, `row ${i} of a ${nIn} x ${nOut} matrix`));
    checkVector(b, `${where} b`, nOut, `the bias of a layer with ${nOut} outputs`);
    sizes.push(nOut);
  });
  return new Layout(sizes);
}

/** Nested params -> flat Float64Array in `layout` (W row-major, then b, layer after layer). */
export function pack(params, layout = layoutOf(params)) {
  const theta = new Float64Array(layout.size);
  layout.layers.forEach(({ nIn, nOut, w, b }, l) => {
    const [W, bias] = params[l];
    for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) theta[w + i * nOut + j] = W[i][j];
    for (let j = 0; j < nOut; j++) theta[b + j] = bias[j];
  });
  return theta;
}

/** Flat vector -> nested params [[W, b], ...] of plain arrays. */
export function unpack(layout, theta) {
  return layout.layers.map(({ nIn, nOut, w, b }) => [
    Array.from({ length: nIn }, (_, i) => Array.from(theta.subarray(w + i * nOut, w + (i + 1) * nOut))),
    Array.from(theta.subarray(b, b + nOut)),
  ]);
}

// ------------------------------------------------------------------------------ erf and erfc
// float64-accurate: Chebyshev expansions of erfcx(x) = exp(x^2) erfc(x) on [0, 1], [1, 2], [2, 3],
// [3, 4] (coefficients computed in 90-digit decimal arithmetic by tests/test_train_js.py, which
// checks this table), Laplace's continued fraction beyond 4, and the Taylor series of erf below 0.5.
// Relative error about 1e-15 for erfc on [-6, 27] (tested against a 90-digit reference).

const ERFCX_CHEB = [
  [0.6636754548049562, -0.27846906527659765, 0.04903417939717065, -0.007599751020383188, 0.0010654107427530049, -0.00013750347856587034, 1.654054543985497e-05, -1.8714831220745124e-06, 2.005707523747154e-07, -2.047435473714216e-08, 1.999753198444048e-09, -1.8758264773418728e-10, 1.6952320375586177e-11, -1.4799803967565557e-12, 1.251077129136384e-13, -1.0261146160401797e-14, 8.1802806636892e-16, -6.348781380104645e-17, 4.803725215126108e-18, -3.5480115189372663e-19],
  [0.331427281639452, -0.0850021377067432, 0.009951127341466115, -0.0010810888102208325, 0.0001102324363119495, -1.0636830518218601e-05, 9.775012680479055e-07, -8.597922867888315e-08, 7.2677084117248425e-09, -5.923543840592542e-10, 4.6683928572294154e-11, -3.56612770156775e-12, 2.6458779519104523e-13, -1.9101658673527567e-14, 1.343976588479829e-15, -9.228790549094326e-17, 6.19267308464391e-18, -4.0652224326488762e-19],
  [0.21398248255623223, -0.037938404099999566, 0.0031959178113380353, -0.0002573666707889977, 1.9905838950216772e-05, -1.484277185436206e-06, 1.0702889548418397e-07, -7.482824223542503e-09, 5.083548493074793e-10, -3.362256906091922e-11, 2.168583689441302e-12, -1.3659497593967644e-13, 8.41330237971444e-15, -5.07307611814009e-16, 2.997771009156646e-17, -1.7376147907764117e-18],
  [0.15664177324548129, -0.02091546173436561, 0.0013533062741154646, -8.507320563146502e-05, 5.206702837134669e-06, -3.1080131383071883e-07, 1.812288027485316e-08, -1.0336821988321494e-09, 5.7741095304546024e-11, -3.162182437881998e-12, 1.6994584246907247e-13, -8.970835568269196e-15, 4.654746280281841e-16, -2.3758099688267352e-17, 1.1936182338041515e-18],
];
const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;

function clenshaw(c, t) {
  let b1 = 0, b2 = 0;
  for (let k = c.length - 1; k >= 1; k--) {
    const b0 = c[k] + 2 * t * b1 - b2;
    b2 = b1;
    b1 = b0;
  }
  return c[0] + t * b1 - b2;
}

/** exp(-x^2) for x >= 0 without the rounding error of x*x: x = xh + xl, xh^2 exact. */
function expMinusSquare(x) {
  if (x < 1) return Math.exp(-x * x);
  const xh = Math.round(x * 4096) / 4096;
  const xl = x - xh;
  return Math.exp(-xh * xh) * Math.exp(-xl * (x + xh));
}

/** erfcx(x) = exp(x^2) erfc(x) for x >= 0. */
function erfcxPositive(x) {
  if (x < 4) {
    const k = Math.floor(x);
    return clenshaw(ERFCX_CHEB[k], 2 * (x - k) - 1);
  }
  // Laplace's continued fraction, erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))),
  // evaluated backwards from a fixed depth (22 terms give full accuracy from x = 4 on).
  let f = x;
  for (let k = 22; k >= 1; k--) f = x + (0.5 * k) / f;
  return ONE_OVER_SQRT_PI / f;
}

/** The complementary error function erfc(x) = 1 - erf(x), float64-accurate. */
export function erfc(x) {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 0.5) return 1 - erf(x);
  if (x > 27.3) return 0; // below the smallest subnormal
  return expMinusSquare(x) * erfcxPositive(x);
}

/** The error function, float64-accurate (Taylor series below 0.5, 1 - erfc beyond). */
export function erf(x) {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 0.5) {
    const x2 = x * x;
    let term = x, sum = x;
    for (let n = 1; n < 30; n++) {
      term *= -x2 / n;
      const next = sum + term / (2 * n + 1);
      if (next === sum) break;
      sum = next;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  const r = 1 - erfc(a);
  return x < 0 ? -r : r;
}

// ------------------------------------------------------------------------------ activations

const SQRT_HALF = Math.sqrt(0.5);
const ONE_OVER_SQRT_2PI = 0.3989422804014327;

function sigmoid(z) {
  return 1 / (1 + Math.exp(-z));
}

function softplus(z) {
  // log(1 + e^z) = max(z, 0) + log1p(exp(-|z|)), as jnp.logaddexp(z, 0)
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

const SCALAR = {
  relu: [(z) => (z > 0 ? z : z <= 0 ? 0 : z), (z) => (z > 0 ? 1 : 0)], // relu(NaN) = NaN, as jnp.maximum
  leaky_relu: [(z) => (z >= 0 ? z : LEAKY_SLOPE * z), (z) => (z >= 0 ? 1 : LEAKY_SLOPE)],
  // elu'(z) = expm1(z) + 1 for z <= 0: JAX's derivative of expm1, so 0 (not e^z) once expm1(z) = -1
  elu: [(z) => (z > 0 ? z : Math.expm1(z)), (z) => (z > 0 ? 1 : Math.expm1(z) + 1)],
  gelu: [(z) => 0.5 * z * erfc(-z * SQRT_HALF), (z) => 0.5 * erfc(-z * SQRT_HALF) + z * ONE_OVER_SQRT_2PI * Math.exp(-0.5 * z * z)],
  softplus: [softplus, sigmoid],
  tanh: [Math.tanh, (z) => { const t = Math.tanh(z); return 1 - t * t; }],
  sigmoid: [sigmoid, (z) => { const s = sigmoid(z); return s * (1 - s); }],
};

/** `{f, df}`: an activation and its derivative as scalar functions (relu'(0) = 0, as jax.nn.relu). */
export function activation(name) {
  checkChoice(name, "activation", ACTIVATIONS);
  const [f, df] = SCALAR[name];
  return { name, f, df };
}

/** h[i] = act(z[i]) for i < n. */
function activate(name, z, h, n) {
  switch (name) {
    case "relu":
      for (let i = 0; i < n; i++) h[i] = z[i] > 0 ? z[i] : z[i] <= 0 ? 0 : z[i];
      return;
    case "leaky_relu":
      for (let i = 0; i < n; i++) h[i] = z[i] >= 0 ? z[i] : LEAKY_SLOPE * z[i];
      return;
    case "tanh":
      for (let i = 0; i < n; i++) h[i] = Math.tanh(z[i]);
      return;
    case "sigmoid":
      for (let i = 0; i < n; i++) h[i] = 1 / (1 + Math.exp(-z[i]));
      return;
    default: {
      const f = SCALAR[name][0];
      for (let i = 0; i < n; i++) h[i] = f(z[i]);
    }
  }
}

/** d[i] *= act'(z[i]) for i < n (h = act(z) is given for the cheap cases). */
function backActivate(name, z, h, d, n) {
  switch (name) {
    case "relu":
      for (let i = 0; i < n; i++) if (!(z[i] > 0)) d[i] = 0;
      return;
    case "leaky_relu":
      for (let i = 0; i < n; i++) if (!(z[i] >= 0)) d[i] *= LEAKY_SLOPE;
      return;
    case "tanh":
      for (let i = 0; i < n; i++) d[i] *= 1 - h[i] * h[i];
      return;
    case "sigmoid":
      for (let i = 0; i < n; i++) d[i] *= h[i] * (1 - h[i]);
      return;
    default: {
      const df = SCALAR[name][1];
      for (let i = 0; i < n; i++) d[i] *= df(z[i]);
    }
  }
}

// ------------------------------------------------------------------------------ data sets

/**
 * A data set in flat form: `{n, nIn, nOut, X, labels, targets}` with X a Float64Array (n x nIn,
 * row-major), and either integer labels (Int32Array) or real targets (Float64Array, n x nOut).
 * `ys` holds integer labels (classification, or "mse" on one-hot codes) or target vectors ("mse").
 */
export function dataset(xs, ys, { nIn, nOut, loss = "mse" } = {}) {
  checkChoice(loss, "loss", LOSSES);
  if (!Array.isArray(xs)) fail(TypeError, "xs", "be an array of input vectors", xs);
  if (xs.length < 1) fail(RangeError, "xs", "hold at least one input vector", xs);
  if (!Array.isArray(ys)) fail(TypeError, "ys", "be an array with one label or target per input", ys);
  if (ys.length !== xs.length) fail(RangeError, "ys", `have one entry per input (${xs.length})`, ys);
  const n = xs.length;
  const X = new Float64Array(n * nIn);
  xs.forEach((x, i) => {
    checkVector(x, `xs[${i}]`, nIn, "one number per network input");
    X.set(x, i * nIn);
  });
  const out = { n, nIn, nOut, X, labels: null, targets: null };
  if (typeof ys[0] === "number") {
    const maxLabel = loss === "cross_entropy" && nOut === 1 ? 1 : nOut - 1;
    const what = nOut === 1 && loss === "cross_entropy" ? "a label 0 or 1 (one output: sigmoid cross-entropy)" : `an integer label from 0 to ${nOut - 1}`;
    out.labels = new Int32Array(n);
    ys.forEach((y, i) => {
      if (typeof y !== "number") fail(TypeError, `ys[${i}]`, `be ${what}`, y);
      if (!Number.isInteger(y) || y < 0 || y > maxLabel) fail(RangeError, `ys[${i}]`, `be ${what}`, y);
      out.labels[i] = y;
    });
  } else {
    if (loss === "cross_entropy") fail(TypeError, "ys", "hold integer labels for the cross_entropy loss", ys[0], false);
    out.targets = new Float64Array(n * nOut);
    ys.forEach((y, i) => {
      checkVector(y, `ys[${i}]`, nOut, "one target per network output");
      out.targets.set(y, i * nOut);
    });
  }
  return out;
}

// ------------------------------------------------------------------------------ the network

/** Buffers for a batch of up to `capacity` examples. */
class Workspace {
  constructor(layout, capacity) {
    this.capacity = capacity;
    const s = layout.sizes;
    this.Z = s.slice(1).map((w) => new Float64Array(capacity * w)); // pre-activations, last = output
    this.H = s.slice(1, -1).map((w) => new Float64Array(capacity * w)); // hidden activations
    this.D = s.slice(1).map((w) => new Float64Array(capacity * w)); // d loss / d Z
    this.grad = new Float64Array(layout.size);
  }
}

/** Forward pass of rows [0, n) of X: fills ws.Z and ws.H; returns the output buffer (n x nOut). */
function forwardFlat(layout, theta, act, X, n, ws) {
  let h = X;
  const L = layout.layers.length;
  for (let l = 0; l < L; l++) {
    const { nIn, nOut, w, b } = layout.layers[l];
    const z = ws.Z[l];
    for (let i = 0; i < n; i++) {
      const zi = i * nOut, hi = i * nIn;
      for (let j = 0; j < nOut; j++) z[zi + j] = theta[b + j];
      for (let k = 0; k < nIn; k++) {
        const v = h[hi + k];
        if (v === 0) continue;
        const wk = w + k * nOut;
        for (let j = 0; j < nOut; j++) z[zi + j] += v * theta[wk + j];
      }
    }
    if (l < L - 1) {
      activate(act, z, ws.H[l], n * nOut);
      h = ws.H[l];
    }
  }
  return ws.Z[L - 1];
}

/** Loss of outputs `out` (n x k) and, when `dOut` is given, its gradient with respect to them. */
function lossFlat(loss, out, n, k, data, rows, dOut) {
  let total = 0;
  if (loss === "mse") {
    const scale = 2 / (n * k);
    for (let i = 0; i < n; i++) {
      const r = rows ? rows[i] : i;
      for (let j = 0; j < k; j++) {
        const t = data.targets ? data.targets[r * k + j] : (data.labels[r] === j ? 1 : 0);
        const e = out[i * k + j] - t;
        total += e * e;
        if (dOut) dOut[i * k + j] = scale * e;
      }
    }
    return total / (n * k);
  }
  if (k === 1) {
    for (let i = 0; i < n; i++) {
      const y = data.labels[rows ? rows[i] : i], o = out[i];
      total += softplus(o) - y * o; // -y log sigmoid(o) - (1 - y) log(1 - sigmoid(o))
      if (dOut) dOut[i] = (sigmoid(o) - y) / n;
    }
    return total / n;
  }
  for (let i = 0; i < n; i++) {
    const y = data.labels[rows ? rows[i] : i], o = i * k;
    let m = -Infinity;
    for (let j = 0; j < k; j++) if (out[o + j] > m) m = out[o + j];
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.exp(out[o + j] - m);
    const lse = m + Math.log(s);
    total += lse - out[o + y];
    if (dOut) for (let j = 0; j < k; j++) dOut[o + j] = (Math.exp(out[o + j] - lse) - (j === y ? 1 : 0)) / n;
  }
  return total / n;
}

/** Backward pass after forwardFlat with ws.D[L-1] = d loss / d output; fills ws.grad. */
function backwardFlat(layout, theta, act, X, n, ws) {
  const g = ws.grad;
  g.fill(0);
  const L = layout.layers.length;
  const relu = act === "relu";
  for (let l = L - 1; l >= 0; l--) {
    const { nIn, nOut, w, b } = layout.layers[l];
    const d = ws.D[l];
    const h = l === 0 ? X : ws.H[l - 1];
    const dh = l > 0 ? ws.D[l - 1] : null;
    for (let i = 0; i < n; i++) {
      const di = i * nOut, hi = i * nIn;
      for (let j = 0; j < nOut; j++) g[b + j] += d[di + j];
      for (let k = 0; k < nIn; k++) {
        const v = h[hi + k];
        const wk = w + k * nOut;
        if (v === 0) {
          // no weight gradient from this input; for ReLU its unit is inactive (relu' = 0), so no signal back
          if (dh !== null) {
            let s = 0;
            if (!relu) for (let j = 0; j < nOut; j++) s += theta[wk + j] * d[di + j];
            dh[hi + k] = s;
          }
          continue;
        }
        if (dh === null) {
          for (let j = 0; j < nOut; j++) g[wk + j] += v * d[di + j];
        } else {
          // the weight gradient and the signal to the layer below share the loop over this row of W
          let s = 0;
          for (let j = 0; j < nOut; j++) {
            const dj = d[di + j];
            g[wk + j] += v * dj;
            s += theta[wk + j] * dj;
          }
          dh[hi + k] = s;
        }
      }
    }
    if (l > 0) backActivate(act, ws.Z[l - 1], ws.H[l - 1], dh, n * nIn);
  }
  return g;
}

/** Copy the rows `rows` of a data set into the batch buffer X (n x nIn). */
function gather(data, rows, Xb) {
  const d = data.nIn;
  for (let i = 0; i < rows.length; i++) Xb.set(data.X.subarray(rows[i] * d, rows[i] * d + d), i * d);
  return Xb;
}

function accuracyFlat(loss, out, n, k, data) {
  if (!data.labels) return NaN;
  let right = 0;
  for (let i = 0; i < n; i++) {
    let pred;
    if (k === 1 && loss === "cross_entropy") pred = out[i] > 0 ? 1 : 0;
    else {
      pred = 0;
      for (let j = 1; j < k; j++) if (out[i * k + j] > out[i * k + pred]) pred = j; // first maximum, as argmax
    }
    if (pred === data.labels[i]) right++;
  }
  return right / n;
}

function checkOptions({ activation: act = "relu", loss = "mse" } = {}) {
  return { act: checkChoice(act, "activation", ACTIVATIONS), loss: checkChoice(loss, "loss", LOSSES) };
}

function prepare(params, xs, ys, options) {
  const { act, loss } = checkOptions(options);
  const layout = layoutOf(params);
  const nOut = layout.sizes[layout.sizes.length - 1];
  const data = dataset(xs, ys, { nIn: layout.sizes[0], nOut, loss });
  return { act, loss, layout, data, theta: pack(params, layout), ws: new Workspace(layout, data.n) };
}

/**
 * The loss of a network on a batch and its gradient with respect to every parameter.
 * @param params [[W, b], ...] as in relulab (W: n_in rows of n_out numbers)
 * @param xs an array of input vectors; ys integer labels or target vectors (see `dataset`)
 * @param options {activation = "relu", loss = "mse"}
 * @returns {loss, grads}, grads in the layout of params
 */
export function gradients(params, xs, ys, options = {}) {
  const { act, loss, layout, data, theta, ws } = prepare(params, xs, ys, options);
  const L = layout.layers.length, k = layout.sizes[L];
  const out = forwardFlat(layout, theta, act, data.X, data.n, ws);
  const value = lossFlat(loss, out, data.n, k, data, null, ws.D[L - 1]);
  backwardFlat(layout, theta, act, data.X, data.n, ws);
  return { loss: value, grads: unpack(layout, ws.grad) };
}

/** The network's outputs for an array of input vectors (hidden activation `activation`). */
export function outputs(params, xs, { activation: act = "relu" } = {}) {
  checkChoice(act, "activation", ACTIVATIONS);
  const layout = layoutOf(params);
  const nOut = layout.sizes[layout.sizes.length - 1];
  const data = dataset(xs, xs.map(() => new Array(nOut).fill(0)), { nIn: layout.sizes[0], nOut });
  const out = forwardFlat(layout, pack(params, layout), act, data.X, data.n, new Workspace(layout, data.n));
  return Array.from({ length: data.n }, (_, i) => Array.from(out.subarray(i * nOut, (i + 1) * nOut)));
}

/** `{loss, accuracy}` of a network on a data set (accuracy NaN for real-valued targets). */
export function evaluate(params, xs, ys, options = {}) {
  const { act, loss, layout, data, theta, ws } = prepare(params, xs, ys, options);
  const k = layout.sizes[layout.sizes.length - 1];
  const out = forwardFlat(layout, theta, act, data.X, data.n, ws);
  return { loss: lossFlat(loss, out, data.n, k, data, null, null), accuracy: accuracyFlat(loss, out, data.n, k, data) };
}

// ------------------------------------------------------------------------------ dead units

/**
 * Scan rows [0, n) of X through the hidden layers and update per-unit flags: `nonzero[u]` becomes
 * 1 once unit u outputs a value that is not 0 (subnormals count as 0), `positive[u]` once its
 * pre-activation is > 0. Units are numbered layer after layer.
 */
function scanUnits(layout, theta, act, X, n, ws, nonzero, positive) {
  forwardFlat(layout, theta, act, X, n, ws);
  let u0 = 0;
  layout.hidden.forEach((width, l) => {
    const z = ws.Z[l], h = ws.H[l];
    for (let i = 0; i < n; i++) {
      const o = i * width;
      for (let j = 0; j < width; j++) {
        if (!nonzero[u0 + j] && !(Math.abs(h[o + j]) < MIN_NORMAL)) nonzero[u0 + j] = 1;
        if (!positive[u0 + j] && z[o + j] > 0) positive[u0 + j] = 1;
      }
    }
    u0 += width;
  });
}

/**
 * Which hidden units are dead on the inputs xs: one array of booleans per hidden layer, true where
 * the unit's output is exactly 0 on every input (relulab.dead.dead_units).
 */
export function deadUnits(params, xs, { activation: act = "relu" } = {}) {
  checkChoice(act, "activation", ACTIVATIONS);
  const layout = layoutOf(params);
  const nOut = layout.sizes[layout.sizes.length - 1];
  const data = dataset(xs, xs.map(() => new Array(nOut).fill(0)), { nIn: layout.sizes[0], nOut });
  const total = layout.hidden.reduce((a, b) => a + b, 0);
  const nonzero = new Uint8Array(total), positive = new Uint8Array(total);
  scanUnits(layout, pack(params, layout), act, data.X, data.n, new Workspace(layout, data.n), nonzero, positive);
  let u0 = 0;
  return layout.hidden.map((width) => {
    const mask = Array.from({ length: width }, (_, j) => nonzero[u0 + j] === 0);
    u0 += width;
    return mask;
  });
}

// ------------------------------------------------------------------------------ optimisers (optax)

/** Flat optimiser state and update, in place: theta += update(g). Returns the new state. */
function optimiserUpdate(opt, theta, g, state) {
  const lr = opt.learningRate;
  if (opt.name === "sgd") {
    if (opt.momentum === null) {
      for (let i = 0; i < theta.length; i++) theta[i] += -lr * g[i];
      return state;
    }
    const m = opt.momentum, tr = state.trace;
    for (let i = 0; i < theta.length; i++) {
      tr[i] = g[i] + m * tr[i];
      theta[i] += -lr * tr[i];
    }
    return state;
  }
  const { b1, b2, eps, epsRoot } = opt;
  const count = state.count + 1;
  const c1 = 1 - b1 ** count, c2 = 1 - b2 ** count;
  const mu = state.mu, nu = state.nu;
  for (let i = 0; i < theta.length; i++) {
    mu[i] = (1 - b1) * g[i] + b1 * mu[i];
    nu[i] = (1 - b2) * (g[i] * g[i]) + b2 * nu[i];
    const u = mu[i] / c1 / (Math.sqrt(nu[i] / c2 + epsRoot) + eps);
    theta[i] += -lr * u;
  }
  state.count = count;
  return state;
}

function initialState(opt, size) {
  if (opt.name === "sgd") return opt.momentum === null ? {} : { trace: new Float64Array(size) };
  return { count: 0, mu: new Float64Array(size), nu: new Float64Array(size) };
}

/** SGD as optax.sgd(learningRate, momentum): `{name, learningRate, momentum}` (momentum null: none). */
export function sgd(learningRate, { momentum = null } = {}) {
  checkNumber(learningRate, "learningRate", { min: 0, minOpen: true, expected: "a positive finite number" });
  if (momentum !== null) checkNumber(momentum, "momentum", { min: 0, max: 1, expected: "a number from 0 to 1, or null" });
  return { name: "sgd", learningRate, momentum };
}

/** Adam as optax.adam(learningRate, b1, b2, eps, eps_root). */
export function adam(learningRate, { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0 } = {}) {
  checkNumber(learningRate, "learningRate", { min: 0, minOpen: true, expected: "a positive finite number" });
  checkNumber(b1, "b1", { min: 0, max: 1, expected: "a number from 0 to 1" });
  checkNumber(b2, "b2", { min: 0, max: 1, expected: "a number from 0 to 1" });
  checkNumber(eps, "eps", { min: 0, expected: "a non-negative number" });
  checkNumber(epsRoot, "epsRoot", { min: 0, expected: "a non-negative number" });
  return { name: "adam", learningRate, b1, b2, eps, epsRoot };
}

function nestedStep(opt, params, grads, state) {
  const layout = layoutOf(params);
  const g = pack(grads, layoutOf(grads, "grads"));
  if (g.length !== layout.size) fail(RangeError, "grads", `have the layout of params (${layout.size} numbers)`, `${g.length} numbers`, true);
  const theta = pack(params, layout);
  let flat;
  if (state === null || state === undefined) flat = initialState(opt, layout.size);
  else if (opt.name === "sgd") flat = opt.momentum === null ? {} : { trace: pack(state.trace, layout) };
  else flat = { count: checkInteger(state.count, "state.count"), mu: pack(state.mu, layout), nu: pack(state.nu, layout) };
  optimiserUpdate(opt, theta, g, flat);
  const out = {};
  for (const [key, value] of Object.entries(flat)) out[key] = value instanceof Float64Array ? unpack(layout, value) : value;
  return { params: unpack(layout, theta), state: out };
}

/**
 * One SGD step, as optax.sgd: `{params, state}` from params, their gradients and the previous state
 * (null at the first step). With `momentum`, state.trace holds the momentum in the layout of params.
 */
export function sgdStep(params, grads, state, { learningRate, momentum = null } = {}) {
  return nestedStep(sgd(learningRate, { momentum }), params, grads, state);
}

/** One Adam step, as optax.adam: `{params, state}`, state = {count, mu, nu} (null at the first step). */
export function adamStep(params, grads, state, { learningRate, b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0 } = {}) {
  return nestedStep(adam(learningRate, { b1, b2, eps, epsRoot }), params, grads, state);
}

// ------------------------------------------------------------------------------ seeded draws

const MASK64 = (1n << 64n) - 1n;

function splitmix64(state) {
  const s = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = s;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [s, z ^ (z >> 31n)];
}

// Acklam's rational approximation of the standard normal quantile.
const QA = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const QB = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const QC = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const QD = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;
const LN2 = 0.6931471805599453;

/** Natural logarithm of x in (0, 1] with + - * / only: x = m 2^e, ln m = 2 atanh((m-1)/(m+1)). */
export function logArithmetic(x) {
  let e = 0;
  while (x < 0.7071067811865476) {
    x *= 2;
    e -= 1;
  }
  const s = (x - 1) / (x + 1);
  const s2 = s * s;
  let term = s, sum = s;
  for (let k = 3; k <= 41; k += 2) {
    term *= s2;
    sum += term / k;
  }
  return 2 * sum + e * LN2;
}

function tail(q) {
  return (((((QC[0] * q + QC[1]) * q + QC[2]) * q + QC[3]) * q + QC[4]) * q + QC[5]) / ((((QD[0] * q + QD[1]) * q + QD[2]) * q + QD[3]) * q + 1);
}

/** The standard normal quantile of u in (0, 1), by Acklam's approximation (relative error < 1.15e-9). */
export function normalQuantile(u) {
  if (u < P_LOW) return tail(Math.sqrt(-2 * logArithmetic(u)));
  if (u > 1 - P_LOW) return -tail(Math.sqrt(-2 * logArithmetic(1 - u)));
  const q = u - 0.5, r = q * q;
  return ((((((QA[0] * r + QA[1]) * r + QA[2]) * r + QA[3]) * r + QA[4]) * r + QA[5]) * q) / (((((QB[0] * r + QB[1]) * r + QB[2]) * r + QB[3]) * r + QB[4]) * r + 1);
}

/**
 * A seeded generator (xoshiro128**), stream `stream` of seed `seed` (both integers 0 .. 2^32 - 1):
 * `uint32()`, `uniform()` in (0, 1), `normal()`, `below(n)` an integer in [0, n) without bias.
 */
export function generator(seed, stream = 0) {
  checkInteger(seed, "seed", { max: 0xffffffff });
  checkInteger(stream, "stream", { max: 0xffffffff });
  let state = (BigInt(seed) << 32n) | BigInt(stream);
  const words = [];
  for (let i = 0; i < 2; i++) {
    let out;
    [state, out] = splitmix64(state);
    words.push(Number(out & 0xffffffffn), Number(out >> 32n));
  }
  let [s0, s1, s2, s3] = words;
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  const rotl = (x, k) => (x << k) | (x >>> (32 - k));
  function uint32() {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  }
  const uniform = () => (uint32() + 0.5) / 4294967296;
  return {
    uint32,
    uniform,
    normal: () => normalQuantile(uniform()),
    below(n) {
      checkInteger(n, "n", { min: 1, max: 0xffffffff });
      const limit = 4294967296 - (4294967296 % n); // reject the top remainder: no modulo bias
      for (;;) {
        const k = uint32();
        if (k < limit) return k % n;
      }
    },
  };
}

/** The standard deviation of the weights: sqrt(2/fan_in) (he), sqrt(2/(fan_in+fan_out)) (glorot), sqrt(1/fan_in) (lecun). */
export function initStd(fanIn, fanOut, init = "he") {
  checkInteger(fanIn, "fanIn", { min: 1 });
  checkInteger(fanOut, "fanOut", { min: 1 });
  checkChoice(init, "init", INITS);
  if (init === "he") return Math.sqrt(2 / fanIn);
  if (init === "glorot") return Math.sqrt(2 / (fanIn + fanOut));
  return Math.sqrt(1 / fanIn);
}

/**
 * Initial parameters: W[i][j] = (z * scale) * std with z the draws of stream l + 1 of `seed`, row
 * after row, std from initStd, and zero biases (relulab.nets.mlp_init's distribution).
 */
export function initParams(sizes, { init = "he", seed = 0, scale = 1 } = {}) {
  const layout = new Layout(sizes);
  checkChoice(init, "init", INITS);
  checkNumber(scale, "scale", { min: 0, minOpen: true, expected: "a positive finite number" });
  return layout.layers.map(({ nIn, nOut }, l) => {
    const g = generator(seed, l + 1);
    const std = initStd(nIn, nOut, init);
    const W = Array.from({ length: nIn }, () => Array.from({ length: nOut }, () => g.normal() * scale * std));
    return [W, new Array(nOut).fill(0)];
  });
}

/** The stream of example indices behind batchOrder, drawn on demand (a pass at a time). */
class OrderStream {
  constructor(n, seed, replace) {
    this.n = n;
    this.g = generator(seed, BATCH_STREAM);
    this.replace = replace;
    this.perm = replace ? null : new Int32Array(n);
    this.pos = n;
  }

  next() {
    if (this.replace) return this.g.below(this.n);
    if (this.pos === this.n) {
      const perm = this.perm;
      for (let i = 0; i < this.n; i++) perm[i] = i;
      for (let i = this.n - 1; i > 0; i--) {
        const j = this.g.below(i + 1);
        const t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      this.pos = 0;
    }
    return this.perm[this.pos++];
  }
}

/**
 * The example indices of `steps` minibatches of `batchSize` from n examples, drawn from stream
 * BATCH_STREAM of `seed`: with `replace`, each index uniformly and independently; otherwise one
 * Fisher-Yates permutation per pass over the data, cut into batches (a batch may span two passes).
 * Returns an Int32Array of steps * batchSize indices.
 */
export function batchOrder(n, batchSize, steps, { seed = 0, replace = false } = {}) {
  checkInteger(n, "n", { min: 1 });
  checkInteger(batchSize, "batchSize", { min: 1, max: n });
  checkInteger(steps, "steps", { min: 0 });
  const stream = new OrderStream(n, seed, replace);
  const out = new Int32Array(steps * batchSize);
  for (let i = 0; i < out.length; i++) out[i] = stream.next();
  return out;
}

// ------------------------------------------------------------------------------ the trainer

/**
 * Training state for the explorables: flat parameters, optimiser state and buffers, so that a step
 * allocates nothing.
 *
 * new Trainer({sizes, params?, init, seed, scale, activation, loss, optimizer, data, batchSize,
 *              replace})
 * - params: nested initial parameters, or drawn by initParams(sizes, {init, seed, scale});
 * - optimizer: sgd(...) or adam(...);
 * - data: from `dataset` (the training set);
 * - batchSize: null for full batch, else minibatches in the order batchOrder(n, batchSize, ...,
 *   {seed, replace}), generated a pass at a time.
 * step() trains one step and returns the loss on that step's batch *before* the update (as
 * relulab.train.fit records it); NaN or an infinite value means the run diverged. The accuracy on
 * that batch, before the update, is then `batchAccuracy` (NaN for real-valued targets).
 */
export class Trainer {
  constructor({ sizes = null, params = null, init = "he", seed = 0, scale = 1, activation: act = "relu", loss = "mse",
    optimizer, data, batchSize = null, replace = false }) {
    this.act = checkChoice(act, "activation", ACTIVATIONS);
    this.loss = checkChoice(loss, "loss", LOSSES);
    if (params === null) params = initParams(sizes, { init, seed, scale });
    this.layout = layoutOf(params);
    if (sizes !== null && this.layout.sizes.join() !== checkSizes(sizes).join()) {
      fail(RangeError, "params", `have the widths ${JSON.stringify(sizes)}`, JSON.stringify(this.layout.sizes), true);
    }
    if (!optimizer || !OPTIMIZERS.includes(optimizer.name)) fail(TypeError, "optimizer", "be sgd(...) or adam(...)", optimizer);
    this.opt = optimizer;
    const s = this.layout.sizes;
    if (!data || data.nIn !== s[0] || data.nOut !== s[s.length - 1]) {
      fail(RangeError, "data", `be a dataset with ${s[0]} inputs and ${s[s.length - 1]} outputs`, data ? `${data.nIn} and ${data.nOut}` : data, true);
    }
    if (this.loss === "cross_entropy" && !data.labels) fail(TypeError, "data", "hold integer labels for the cross_entropy loss", "real targets", true);
    this.data = data;
    this.batchSize = batchSize === null ? null : checkInteger(batchSize, "batchSize", { min: 1, max: data.n });
    this.seed = seed;
    this.replace = replace;
    this.theta = pack(params, this.layout);
    this.state = initialState(this.opt, this.layout.size);
    const m = this.batchSize ?? data.n;
    this.ws = new Workspace(this.layout, m);
    this.Xb = this.batchSize === null ? data.X : new Float64Array(m * data.nIn);
    this.t = 0;
    this.orders = this.batchSize === null ? null : new OrderStream(data.n, seed, replace);
    this.order = new Int32Array(0); // the indices drawn so far, steps * batchSize of them
    this.drawn = 0;
  }

  /** The rows of step t's minibatch (Int32Array), or null for full batch. */
  batchRows(t) {
    if (this.batchSize === null) return null;
    const per = this.batchSize, need = (t + 1) * per;
    if (need > this.drawn) {
      // draw on: the stream gives the same indices as batchOrder, whatever the steps asked for
      if (need > this.order.length) {
        const grown = new Int32Array(Math.max(need, 2 * this.order.length, 64 * per));
        grown.set(this.order.subarray(0, this.drawn));
        this.order = grown;
      }
      for (let i = this.drawn; i < need; i++) this.order[i] = this.orders.next();
      this.drawn = need;
    }
    return this.order.subarray(t * per, need);
  }

  step() {
    const rows = this.batchRows(this.t);
    const n = rows ? rows.length : this.data.n;
    const X = rows ? gather(this.data, rows, this.Xb) : this.data.X;
    const L = this.layout.layers.length, k = this.layout.sizes[L];
    const out = forwardFlat(this.layout, this.theta, this.act, X, n, this.ws);
    const value = lossFlat(this.loss, out, n, k, this.data, rows, this.ws.D[L - 1]);
    this.batchAccuracy = this.data.labels ? accuracyFlat(this.loss, out, n, k, rows ? { labels: Int32Array.from(rows, (r) => this.data.labels[r]) } : this.data) : NaN;
    backwardFlat(this.layout, this.theta, this.act, X, n, this.ws);
    optimiserUpdate(this.opt, this.theta, this.ws.grad, this.state);
    this.t += 1;
    return value;
  }

  /**
   * An evaluation of the current parameters on a data set (default: the training set) that can be
   * split into slices: `job.run(deadline)` scans rows in chunks until performance.now() passes the
   * deadline or the set is done, and returns `job.done`. Train no step before it is done.
   */
  evaluation(data = this.data, { chunk = 128 } = {}) {
    return new Evaluation(this, data, chunk);
  }

  /** `{loss, accuracy}` on a data set (default: the training set); accuracy is NaN for real targets. */
  evaluate(data = this.data) {
    const { loss, accuracy } = this.evaluation(data).finish();
    return { loss, accuracy };
  }

  /**
   * Per hidden layer: `{dead, inactive}` boolean arrays on a data set (default: the training set):
   * dead = output exactly 0 on every input (relulab.dead), inactive = pre-activation <= 0 on every
   * input (for ReLU the same; for leaky ReLU, ELU, ... the units in their negative regime).
   */
  units(data = this.data) {
    return this.evaluation(data).finish().units;
  }

  evalWorkspace(capacity) {
    if (!this.evalWs || this.evalWs.capacity < capacity) this.evalWs = new Workspace(this.layout, capacity);
    return this.evalWs;
  }

  /** The network's outputs on rows of a data set (Float64Array n x nOut, a view into a buffer). */
  predict(data) {
    const ws = this.predictWs && this.predictWs.capacity >= data.n ? this.predictWs : (this.predictWs = new Workspace(this.layout, data.n));
    return forwardFlat(this.layout, this.theta, this.act, data.X, data.n, ws).subarray(0, data.n * this.layout.sizes[this.layout.sizes.length - 1]);
  }

  /** True when every parameter is a finite number. */
  finite() {
    for (let i = 0; i < this.theta.length; i++) if (!Number.isFinite(this.theta[i])) return false;
    return true;
  }

  params() {
    return unpack(this.layout, this.theta);
  }
}

/** A slice-by-slice pass over a data set: loss, accuracy and per-unit flags (see Trainer.evaluation). */
class Evaluation {
  constructor(trainer, data, chunk) {
    this.trainer = trainer;
    this.data = data;
    this.chunk = checkInteger(chunk, "chunk", { min: 1 });
    this.ws = trainer.evalWorkspace(Math.min(chunk, data.n));
    const total = trainer.layout.hidden.reduce((a, b) => a + b, 0);
    this.nonzero = new Uint8Array(total);
    this.positive = new Uint8Array(total);
    this.next = 0;
    this.lossSum = 0;
    this.right = 0;
  }

  get done() {
    return this.next >= this.data.n;
  }

  /** Scans chunks until the deadline (a performance.now() value) or the end; returns `done`. */
  run(deadline = Infinity) {
    const { layout, theta, act, loss } = this.trainer;
    const k = layout.sizes[layout.sizes.length - 1];
    while (!this.done) {
      const n = Math.min(this.chunk, this.data.n - this.next);
      const part = sliceData(this.data, this.next, n);
      scanUnits(layout, theta, act, part.X, n, this.ws, this.nonzero, this.positive);
      const out = this.ws.Z[layout.layers.length - 1];
      this.lossSum += lossFlat(loss, out, n, k, part, null, null) * n;
      this.right += accuracyFlat(loss, out, n, k, part) * n;
      this.next += n;
      if (performance.now() >= deadline) break;
    }
    return this.done;
  }

  /** Runs to the end and returns `{loss, accuracy, units}` (units as Trainer.units). */
  finish() {
    this.run();
    let u0 = 0;
    const units = this.trainer.layout.hidden.map((width) => {
      const layer = { dead: [], inactive: [] };
      for (let j = 0; j < width; j++) {
        layer.dead.push(this.nonzero[u0 + j] === 0);
        layer.inactive.push(this.positive[u0 + j] === 0);
      }
      u0 += width;
      return layer;
    });
    return { loss: this.lossSum / this.data.n, accuracy: this.right / this.data.n, units };
  }
}

function sliceData(data, start, n) {
  return {
    n, nIn: data.nIn, nOut: data.nOut,
    X: data.X.subarray(start * data.nIn, (start + n) * data.nIn),
    labels: data.labels ? data.labels.subarray(start, start + n) : null,
    targets: data.targets ? data.targets.subarray(start * data.nOut, (start + n) * data.nOut) : null,
  };
}
