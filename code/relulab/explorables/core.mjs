// The exact core of the explorables: forward passes, 1-D breakpoints and 2-D activation regions of
// ReLU networks, in float64 (JavaScript numbers), with no dependency and no DOM.
//
// Parameters follow relulab: `params` is an array of [W, b], W an array of n_in rows of n_out numbers
// (x @ W + b), ReLU after every layer but the last, which is linear. `breakpoints1d` and `regions2d`
// port relulab.regions (regions/_one_d.py and regions/_polygons.py) step by step, with the same
// tolerances and the same degenerate-case rules, so that they return the same numbers;
// tests/test_explorables_core.py checks this on generated networks.

/** Default relative tolerance `rtol` of `breakpoints1d` and `regions2d` (relulab.regions.DEFAULT_RTOL). */
export const DEFAULT_RTOL = 1e-9;
/** Vertex-rounding floor of `regions2d`, in units of machine epsilon times the box size (relulab's FLOOR_EPS). */
export const FLOOR_EPS = 100;
const EPS = 2.220446049250313e-16; // float64 machine epsilon, numpy.finfo(float64).eps

// ------------------------------------------------------------------ checks
function fail(name, expected, got) {
  throw new TypeError(`${name} must ${expected}, got ${got}`);
}

function describe(v) {
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return v === null ? "null" : `${typeof v} ${String(v).slice(0, 40)}`;
}

/**
 * Checks `params` (an array of [W, b] whose shapes chain, finite numbers) and returns the widths.
 * @param {Array} params
 * @param {{nIn?: number, nOut?: number}} [want]
 * @returns {number[]} the widths [n_0, n_1, ..., n_L]
 */
export function checkParams(params, want = {}) {
  if (!Array.isArray(params) || params.length === 0) fail("params", "be a non-empty array of [W, b] pairs", describe(params));
  const widths = [];
  params.forEach((layer, i) => {
    if (!Array.isArray(layer) || layer.length !== 2) fail(`params[${i}]`, "be a [W, b] pair", describe(layer));
    const [W, b] = layer;
    if (!Array.isArray(W) || W.length === 0 || !Array.isArray(W[0]) || W[0].length === 0)
      fail(`params[${i}] W`, "be a non-empty array of rows (n_in rows of n_out numbers)", describe(W));
    const nIn = W.length, nOut = W[0].length;
    W.forEach((row, r) => {
      if (!Array.isArray(row) || row.length !== nOut) fail(`params[${i}] W[${r}]`, `have ${nOut} numbers`, describe(row));
      row.forEach((v) => { if (typeof v !== "number" || !Number.isFinite(v)) fail(`params[${i}] W`, "hold finite numbers", describe(v)); });
    });
    if (!Array.isArray(b) || b.length !== nOut) fail(`params[${i}] b`, `have ${nOut} numbers to match W`, describe(b));
    b.forEach((v) => { if (typeof v !== "number" || !Number.isFinite(v)) fail(`params[${i}] b`, "hold finite numbers", describe(v)); });
    if (i === 0) widths.push(nIn);
    else if (nIn !== widths[i]) fail(`params[${i}] W`, `have ${widths[i]} rows (the previous layer's outputs)`, `${nIn} rows`);
    widths.push(nOut);
  });
  if (want.nIn !== undefined && widths[0] !== want.nIn) fail("params[0] W", `have ${want.nIn} rows (a network of ${want.nIn} input${want.nIn > 1 ? "s" : ""})`, `${widths[0]} rows`);
  if (want.nOut !== undefined && widths[widths.length - 1] !== want.nOut)
    fail(`params[${params.length - 1}] W`, `have ${want.nOut} columns (${want.nOut} output${want.nOut > 1 ? "s" : ""})`, `${widths[widths.length - 1]} columns`);
  return widths;
}

function checkNumber(v, name) {
  if (typeof v !== "number" || !Number.isFinite(v)) fail(name, "be a finite number", describe(v));
  return v;
}

function checkTol(v, name) {
  checkNumber(v, name);
  if (!(v >= 0 && v < 1e-3)) throw new RangeError(`${name} must be a number in [0, 0.001), got ${v}`);
  return v;
}

// ------------------------------------------------------------ activations
const SQRT2 = Math.SQRT2;
const SQRT_PI = Math.sqrt(Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** erfc(x) for x >= 2.5 by the continued fraction (modified Lentz), relative error about 1e-15. */
function erfcLarge(x) {
  // erfc(x) = exp(-x^2) / sqrt(pi) * 1 / (x + (1/2) / (x + 1 / (x + (3/2) / (x + 2 / (x + ...)))))
  const tiny = 1e-300;
  let f = x, C = x, D = 0;
  for (let n = 1; n < 200; n++) {
    const a = n / 2;
    D = x + a * D; D = D === 0 ? tiny : D; D = 1 / D;
    C = x + a / C; C = C === 0 ? tiny : C;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}

/** The error function, float64 (series below 2.5, continued fraction above). */
export function erf(x) {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= 2.5) return Math.sign(x) * (1 - erfcLarge(ax));
  // erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)): all terms positive
  let term = x, sum = x;
  const x2 = x * x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / SQRT_PI) * Math.exp(-x2) * sum;
}

/** The standard normal distribution function Phi(x) = (1 + erf(x / sqrt 2)) / 2, accurate in both tails. */
export function normalCdf(x) {
  const z = x / SQRT2;
  if (z < -2.5) return 0.5 * erfcLarge(-z);
  if (z > 2.5) return 1 - 0.5 * erfcLarge(z);
  return 0.5 * (1 + erf(z));
}

function sigmoid(x) {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * The activation family: `f` and its derivative `df` (the derivative `jax.grad` gives, so relu'(0) = 0 as
 * in `jax.nn.relu` and leaky_relu'(0) = prelu'(0) = 1 as in relulab's `where(x >= 0, x, a x)`; PReLU drawn
 * with its usual initial slope 0.25, as relulab's `prelu(x, 0.25)`), with `kinks`: the
 * inputs where f' jumps (`jump: true`) or is continuous with a corner (`jump: false`).
 */
export const ACTIVATIONS = {
  relu: { label: "ReLU", f: (x) => (x > 0 ? x : 0), df: (x) => (x > 0 ? 1 : 0), kinks: [{ x: 0, jump: true }] },
  leaky_relu: {
    label: "leaky ReLU (0.1)", slope: 0.1,
    f: (x) => (x >= 0 ? x : 0.1 * x), df: (x) => (x >= 0 ? 1 : 0.1), kinks: [{ x: 0, jump: true }],
  },
  prelu: {
    label: "PReLU (0.25)", slope: 0.25,
    f: (x) => (x >= 0 ? x : 0.25 * x), df: (x) => (x >= 0 ? 1 : 0.25), kinks: [{ x: 0, jump: true }],
  },
  elu: {
    label: "ELU", f: (x) => (x > 0 ? x : Math.expm1(x)), df: (x) => (x > 0 ? 1 : Math.exp(x)),
    kinks: [{ x: 0, jump: false }],
  },
  gelu: {
    label: "GELU", f: (x) => x * normalCdf(x), df: (x) => normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x),
    kinks: [],
  },
  silu: { label: "SiLU", f: (x) => x * sigmoid(x), df: (x) => { const s = sigmoid(x); return s * (1 + x * (1 - s)); }, kinks: [] },
  softplus: { label: "softplus", f: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), df: sigmoid, kinks: [] },
  tanh: { label: "tanh", f: Math.tanh, df: (x) => { const t = Math.tanh(x); return 1 - t * t; }, kinks: [] },
  sigmoid: { label: "sigmoid", f: sigmoid, df: (x) => { const s = sigmoid(x); return s * (1 - s); }, kinks: [] },
};

function activationFn(activation) {
  if (typeof activation === "function") return activation;
  const a = ACTIVATIONS[activation];
  if (!a) throw new RangeError(`activation must be one of ${Object.keys(ACTIVATIONS).join(", ")} or a function, got ${describe(activation)}`);
  return a.f;
}

// ---------------------------------------------------------------- forward
/**
 * The network's outputs for a batch of inputs.
 * @param {Array} params array of [W, b] (x @ W + b); the activation after every layer but the last
 * @param {number[][]} xs input vectors, each of length n_in
 * @param {string|Function} [activation] a name of ACTIVATIONS or an elementwise function
 * @returns {number[][]} one output vector per input
 */
export function forward(params, xs, activation = "relu") {
  const widths = checkParams(params);
  const act = activationFn(activation);
  if (!Array.isArray(xs)) fail("xs", "be an array of input vectors", describe(xs));
  return xs.map((x, n) => {
    if (!Array.isArray(x) || x.length !== widths[0]) fail(`xs[${n}]`, `have length ${widths[0]}`, describe(x));
    return forwardOne(params, x, act);
  });
}

function forwardOne(params, x, act) {
  let h = x;
  const last = params.length - 1;
  for (let l = 0; l <= last; l++) {
    const [W, b] = params[l];
    const nOut = b.length;
    const z = new Array(nOut);
    for (let j = 0; j < nOut; j++) {
      let s = 0;
      for (let i = 0; i < h.length; i++) s += h[i] * W[i][j];
      z[j] = s + b[j];
    }
    h = l < last ? z.map(act) : z;
  }
  return h;
}

/** Pre-activations and activations of every hidden layer, and the output, for one input vector. */
export function layers(params, x, activation = "relu") {
  const act = activationFn(activation);
  const pre = [], post = [];
  let h = x;
  for (let l = 0; l < params.length; l++) {
    const [W, b] = params[l];
    const z = b.map((bj, j) => { let s = 0; for (let i = 0; i < h.length; i++) s += h[i] * W[i][j]; return s + bj; });
    if (l === params.length - 1) return { pre, post, out: z };
    pre.push(z);
    h = z.map(act);
    post.push(h);
  }
  return { pre, post, out: h };
}

// ----------------------------------------------------------- one input: 1-D
function samplePoints(knots) {
  // one point strictly inside each interval (knots[i], knots[i+1]); the ends may be infinite
  const out = new Array(knots.length - 1);
  for (let i = 0; i < knots.length - 1; i++) {
    const a = knots[i], b = knots[i + 1];
    const lo = !Number.isFinite(a), hi = !Number.isFinite(b);
    if (lo && hi) out[i] = 0;
    else if (lo) out[i] = b - Math.max(1, Math.abs(b));
    else if (hi) out[i] = a + Math.max(1, Math.abs(a));
    else out[i] = 0.5 * a + 0.5 * b;
  }
  return out;
}

function searchRight(sorted, v) {
  // numpy.searchsorted(sorted, v, side="right")
  let lo = 0, hi = sorted.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (sorted[m] <= v) lo = m + 1; else hi = m; }
  return lo;
}

function matmulRows(M, W) {
  // rows of M (m x d) times W (d x n), each sum left to right
  const n = W[0].length;
  return M.map((row) => {
    const out = new Array(n).fill(0);
    for (let j = 0; j < n; j++) { let s = 0; for (let i = 0; i < row.length; i++) s += row[i] * W[i][j]; out[j] = s; }
    return out;
  });
}

const absW = (W) => W.map((row) => row.map(Math.abs));

/** relulab.regions._one_d._trace_1d: the affine pieces of every layer over the whole real line. */
function trace1d(params, scale, rtol) {
  let knots = [-Infinity, Infinity];
  let S = [[1]], C = [[0]], MS = [[1]], MC = [[0]];
  const switches = [];
  const xtol = (x) => rtol * Math.max(scale, Math.abs(x));
  for (let layer = 0; layer < params.length - 1; layer++) {
    const [W, b] = params[layer];
    const aW = absW(W), ab = b.map(Math.abs);
    const ZS = matmulRows(S, W), ZC = matmulRows(C, W).map((r) => r.map((v, j) => v + b[j]));
    const MZS = matmulRows(MS, aW), MZC = matmulRows(MC, aW).map((r) => r.map((v, j) => v + ab[j]));
    const n = b.length;
    // 1. zeros of each unit's pre-activation strictly inside each interval
    const roots = [];
    for (let i = 0; i < knots.length - 1; i++) {
      const a = knots[i], bb = knots[i + 1];
      const lower = Number.isFinite(a) ? a + xtol(a) : -Infinity;
      const upper = Number.isFinite(bb) ? bb - xtol(bb) : Infinity;
      for (let j = 0; j < n; j++) {
        if (!(Math.abs(ZS[i][j]) > rtol * MZS[i][j])) continue;
        const r = 0 - ZC[i][j] / ZS[i][j];
        if (r > lower && r < upper) roots.push(r);
      }
    }
    roots.sort((p, q) => p - q);
    let knotsNew = knots;
    if (roots.length) {
      // zeros of different units closer than xtol are one point
      const kept = [roots[0]];
      for (let k = 1; k < roots.length; k++) if (roots[k] - roots[k - 1] > xtol(roots[k])) kept.push(roots[k]);
      knotsNew = knots.concat(kept).sort((p, q) => p - q);
    }
    // 2. which units are on, on each new interval
    const p = samplePoints(knotsNew);
    const m = p.length;
    const nS = [], nC = [], nMS = [], nMC = [], on = [];
    for (let k = 0; k < m; k++) {
      const parent = searchRight(knots, p[k]) - 1;
      const zs = ZS[parent], zc = ZC[parent], mzs = MZS[parent], mzc = MZC[parent];
      const row = new Array(n);
      const s = new Array(n), c = new Array(n), ms = new Array(n), mc = new Array(n);
      for (let j = 0; j < n; j++) {
        const z = zs[j] * p[k] + zc[j];
        row[j] = z > rtol * (mzs[j] * Math.abs(p[k]) + mzc[j]);
        s[j] = row[j] ? zs[j] : 0; c[j] = row[j] ? zc[j] : 0;
        ms[j] = row[j] ? mzs[j] : 0; mc[j] = row[j] ? mzc[j] : 0;
      }
      on.push(row); nS.push(s); nC.push(c); nMS.push(ms); nMC.push(mc);
    }
    // 3. a unit switches at a finite knot where its state differs on the two sides
    for (let k = 0; k < m - 1; k++)
      for (let j = 0; j < n; j++)
        if (on[k][j] !== on[k + 1][j]) switches.push({ x: knotsNew[k + 1], layer, unit: j, turnsOn: on[k + 1][j] });
    knots = knotsNew; S = nS; C = nC; MS = nMS; MC = nMC;
  }
  const [W, b] = params[params.length - 1];
  const aW = absW(W);
  const oS = matmulRows(S, W).map((r) => r[0]);
  const oC = matmulRows(C, W).map((r) => r[0] + b[0]);
  const oMS = matmulRows(MS, aW).map((r) => r[0]);
  const oMC = matmulRows(MC, aW).map((r) => r[0] + Math.abs(b[0]));
  switches.sort((s, t) => s.x - t.x || s.layer - t.layer || s.unit - t.unit);
  return { knots, S: oS, C: oC, MS: oMS, MC: oMC, switches };
}

/**
 * Exact breakpoints and linear pieces of a network of one input and one output on [lo, hi].
 *
 * The same numbers as relulab.regions: `breakpoints` is `breakpoints_1d(params, lo, hi)` (every input in
 * [lo, hi] where some hidden unit switches, sorted, without repeats), `pieces` is `count_pieces_1d` (the
 * number of maximal intervals on which the output is affine). Also returned: `switches` (`unit_switches_1d`:
 * {x, layer, unit, turnsOn}) and `knots`, `slopes`, `intercepts` (`pieces_1d`, merged).
 * @param {Array} params a network from R to R
 * @param {number} lo
 * @param {number} hi
 * @param {number} [rtol] relative tolerance, in [0, 1e-3)
 */
export function breakpoints1d(params, lo, hi, rtol = DEFAULT_RTOL) {
  checkParams(params, { nIn: 1, nOut: 1 });
  checkNumber(lo, "lo"); checkNumber(hi, "hi");
  if (!(lo < hi)) throw new RangeError(`lo must be below hi (lo < hi), got lo=${lo} and hi=${hi}`);
  checkTol(rtol, "rtol");
  const scale = Math.max(Math.abs(lo), Math.abs(hi), hi - lo);
  const { knots, S, C, MS, MC, switches } = trace1d(params, scale, rtol);
  const tol = rtol * scale;
  // unit_switches_1d and breakpoints_1d
  const inRange = [];
  for (const s of switches) if (lo - tol <= s.x && s.x <= hi + tol) inRange.push({ ...s, x: Math.min(Math.max(s.x, lo), hi) });
  const breakpoints = [...new Set(inRange.map((s) => s.x))].sort((p, q) => p - q);
  // pieces_1d (merge=True)
  let cuts = knots.slice(1, -1).filter((x) => x > lo + tol && x < hi - tol);
  const ends = [lo, ...cuts, hi];
  const piece = samplePoints(ends).map((p) => searchRight(knots, p) - 1);
  let s = piece.map((i) => S[i]), c = piece.map((i) => C[i]);
  const ms = piece.map((i) => MS[i]), mc = piece.map((i) => MC[i]);
  if (cuts.length) {
    const keepCuts = [], keepS = [s[0]], keepC = [c[0]];
    for (let k = 0; k < cuts.length; k++) {
      const sameS = Math.abs(s[k + 1] - s[k]) <= rtol * Math.max(ms[k + 1], ms[k]);
      const cscale = Math.max(mc[k + 1], mc[k]) + Math.max(ms[k + 1], ms[k]) * Math.abs(cuts[k]);
      const sameC = Math.abs(c[k + 1] - c[k]) <= rtol * cscale;
      if (!(sameS && sameC)) { keepCuts.push(cuts[k]); keepS.push(s[k + 1]); keepC.push(c[k + 1]); }
    }
    cuts = keepCuts; s = keepS; c = keepC;
  }
  return { breakpoints, pieces: s.length, switches: inRange, knots: [lo, ...cuts, hi], slopes: s, intercepts: c };
}

// ---------------------------------------------------------- two inputs: 2-D
function checkBox(box) {
  if (!Array.isArray(box) || box.length !== 4) fail("box", "be four numbers [xmin, xmax, ymin, ymax]", describe(box));
  box.forEach((v, i) => checkNumber(v, `box[${i}]`));
  if (!(box[0] < box[1] && box[2] < box[3])) throw new RangeError(`box must satisfy xmin < xmax and ymin < ymax, got [${box}]`);
  return box;
}

/** Sutherland-Hodgman split of a convex polygon by its values z (pos/neg strict), as relulab's _split_batch. */
function splitPolygon(V, z, pos, neg) {
  const k = V.length;
  const plus = [], minus = [];
  for (let i = 0; i < k; i++) {
    const nx = i + 1 < k ? i + 1 : 0;
    if (!neg[i]) plus.push(V[i]);
    if (!pos[i]) minus.push(V[i]);
    if ((pos[i] && neg[nx]) || (neg[i] && pos[nx])) {
      const t = z[i] / (z[i] - z[nx]);
      const p = [V[i][0] + t * (V[nx][0] - V[i][0]), V[i][1] + t * (V[nx][1] - V[i][1])];
      plus.push(p); minus.push(p);
    }
  }
  return [plus, minus];
}

/**
 * The activation regions of a network of two inputs inside `box`, as convex polygons.
 *
 * As relulab.regions.region_polygons / count_regions_2d (exact convex-polygon splitting, layer by layer, with
 * its tolerance): one entry per region, `{pattern, polygon, grad, offset}` with `pattern` the on/off state
 * of every hidden unit (first hidden layer first), `polygon` its corners counter-clockwise, and the network's
 * output on the region equal to `grad[0] x + grad[1] y + offset` (its first output, for the local linear map).
 * @param {Array} params a network with two inputs
 * @param {number[]} box [xmin, xmax, ymin, ymax]
 * @param {number} [rtol] relative tolerance, in [0, 1e-3)
 */
export function regions2d(params, box, rtol = DEFAULT_RTOL) {
  checkParams(params, { nIn: 2 });
  checkBox(box);
  checkTol(rtol, "rtol");
  const floor = FLOOR_EPS * EPS * Math.max(...box.map(Math.abs));
  // a region: polygon V, the previous layer's output x @ A + c on it (A: 2 rows), the same with |.|, pattern
  let regions = [{
    V: [[box[0], box[2]], [box[1], box[2]], [box[1], box[3]], [box[0], box[3]]],
    A: [[1, 0], [0, 1]], c: [0, 0], Aa: [[1, 0], [0, 1]], ca: [0, 0], pattern: [],
  }];
  for (let l = 0; l < params.length - 1; l++) {
    const [W, b] = params[l];
    const aW = absW(W), ab = b.map(Math.abs);
    const n = b.length;
    const next = [];
    for (const r of regions) {
      const Al = matmulRows(r.A, W), cl = matmulRows([r.c], W)[0].map((v, j) => v + b[j]);
      const Aal = matmulRows(r.Aa, aW), cal = matmulRows([r.ca], aW)[0].map((v, j) => v + ab[j]);
      // which lines cross the region, and each unit's state where it does not
      const act = new Array(n), crosses = new Array(n);
      for (let j = 0; j < n; j++) {
        let anyPos = false, anyNeg = false;
        const a0 = Al[0][j], a1 = Al[1][j], c0 = cl[j], m0 = Aal[0][j], m1 = Aal[1][j], mc = cal[j];
        const fl = floor * (m0 + m1);
        for (const [px, py] of r.V) {
          const z = px * a0 + py * a1 + c0;
          const t = rtol * (Math.abs(px) * m0 + Math.abs(py) * m1 + mc) + fl;
          if (z > t) anyPos = true; else if (z < -t) anyNeg = true;
        }
        act[j] = anyPos;
        crosses[j] = anyPos && anyNeg;
      }
      let pieces = [{ V: r.V, act }];
      for (let j = 0; j < n; j++) {
        if (!crosses[j]) continue;
        const more = [];
        const a0 = Al[0][j], a1 = Al[1][j], c0 = cl[j], m0 = Aal[0][j], m1 = Aal[1][j], mc = cal[j];
        const fl = floor * (m0 + m1);
        for (const piece of pieces) {
          // the unit's value at each vertex, classified with relulab's tolerance
          const V = piece.V, k = V.length;
          const z = new Float64Array(k), pos = new Uint8Array(k), neg = new Uint8Array(k);
          let ap = false, an = false;
          for (let i = 0; i < k; i++) {
            const px = V[i][0], py = V[i][1];
            const zi = px * a0 + py * a1 + c0;
            const t = rtol * (Math.abs(px) * m0 + Math.abs(py) * m1 + mc) + fl;
            z[i] = zi;
            if (zi > t) { pos[i] = 1; ap = true; } else if (zi < -t) { neg[i] = 1; an = true; }
          }
          piece.act[j] = ap;
          if (ap && an) {
            const [vp, vm] = splitPolygon(piece.V, z, pos, neg);
            piece.V = vp;
            piece.act[j] = true;
            const act2 = piece.act.slice();
            act2[j] = false;
            more.push({ V: vm, act: act2 });
          }
        }
        pieces = pieces.concat(more);
      }
      for (const piece of pieces) {
        const m = piece.act;
        next.push({
          V: piece.V,
          A: Al.map((row) => row.map((v, j) => (m[j] ? v : 0))), c: cl.map((v, j) => (m[j] ? v : 0)),
          Aa: Aal.map((row) => row.map((v, j) => (m[j] ? v : 0))), ca: cal.map((v, j) => (m[j] ? v : 0)),
          pattern: r.pattern.concat(m),
        });
      }
    }
    regions = next;
  }
  const [W, b] = params[params.length - 1];
  return regions.map((r) => {
    const A = matmulRows(r.A, W), c = matmulRows([r.c], W)[0];
    return { pattern: r.pattern, polygon: r.V, grad: [A[0][0], A[1][0]], offset: c[0] + b[0] };
  });
}

/** The region of `regions` (from `regions2d`) whose polygon contains the point [x, y] (its index), or -1. */
export function regionAt(regions, point) {
  const [x, y] = point;
  let best = -1, bestDepth = -Infinity;
  regions.forEach((r, i) => {
    // depth = the smallest signed distance-like margin to an edge (counter-clockwise: inside >= 0)
    const V = r.polygon;
    let depth = Infinity;
    for (let k = 0; k < V.length; k++) {
      const [ax, ay] = V[k], [bx, by] = V[(k + 1) % V.length];
      const ex = bx - ax, ey = by - ay;
      const len = Math.hypot(ex, ey) || 1;
      depth = Math.min(depth, (ex * (y - ay) - ey * (x - ax)) / len);
    }
    if (depth > bestDepth) { bestDepth = depth; best = i; }
  });
  return best;
}

/** Signed area of a polygon (positive when counter-clockwise). */
export function polygonArea(polygon) {
  let s = 0;
  for (let k = 0; k < polygon.length; k++) {
    const [ax, ay] = polygon[k], [bx, by] = polygon[(k + 1) % polygon.length];
    s += ax * by - bx * ay;
  }
  return s / 2;
}
