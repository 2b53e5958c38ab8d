// Shared pieces of the training explorables (kill_network.mjs, race.mjs): a scheduler that trains in
// slices between animation frames and pauses off screen, line charts, a live region that speaks at
// most once a second, the digits decoder, and settings carried in the page's link. No maths here
// (that is train.mjs) and no theme (that is ui.mjs).
import { fmt, html, pathD, scale, svg, ticks } from "./ui.mjs";

/** Decodes the digits payload of relulab.explorables.training.digits_payload into flat float64 sets. */
export function decodeDigits(payload) {
  const { pixels, labels, n_train: nTrain, mean, std } = payload;
  const n = labels.length;
  const X = new Float64Array(n * 64);
  for (let i = 0; i < X.length; i++) {
    const c = pixels.charCodeAt(i);
    const p = c >= 97 ? c - 87 : c - 48;
    X[i] = (p / 16 - mean) / std;
  }
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = labels.charCodeAt(i) - 48;
  const part = (a, b) => ({ n: b - a, nIn: 64, nOut: 10, X: X.subarray(a * 64, b * 64), labels: y.subarray(a, b), targets: null });
  return { train: part(0, nTrain), test: part(nTrain, n) };
}

/** The curve payload ({x, y}) as a flat float64 data set with one input and one output. */
export function decodeCurve(payload) {
  return { n: payload.x.length, nIn: 1, nOut: 1, X: Float64Array.from(payload.x), labels: null, targets: Float64Array.from(payload.y) };
}

/**
 * Runs `work(deadline)` once per animation frame while `active()` holds and the element is on screen
 * (IntersectionObserver) and the tab is visible; `work` does as much as fits before `deadline`
 * (performance.now() value) and returns false when there is nothing left to do. `draw()` runs after
 * each frame's work. The frame budget leaves room for drawing within 16 ms.
 */
export class Loop {
  constructor(el, { work, draw, budget = 9 }) {
    this.credit = 0;
    this.lastFrame = null;
    this.work = work;
    this.draw = draw;
    this.budget = budget;
    this.onScreen = true;
    this.running = false;
    this.frame = null;
    this.frameTimes = [];
    if (typeof IntersectionObserver !== "undefined") {
      this.observer = new IntersectionObserver((entries) => {
        this.onScreen = entries.some((e) => e.isIntersecting);
        if (this.onScreen) this.kick();
      });
      this.observer.observe(el);
    }
    this.visibility = () => this.kick();
    document.addEventListener("visibilitychange", this.visibility);
  }

  /** True while the loop may work (started, on screen, tab visible). */
  get live() {
    return this.running && this.onScreen && document.visibilityState !== "hidden";
  }

  start() {
    this.credit = 0;
    this.lastFrame = null;
    this.running = true;
    this.kick();
  }

  /** Adds to `this.credit` the training steps that the time since the last frame pays for at `rate` steps per
   * second (a 60th of a second on the first frame), capped at a 20th of a second's worth but at least one step,
   * so that a slow frame (or a tab that was hidden) does not make the next one run long. */
  accrue(rate) {
    const now = performance.now();
    this.credit = Math.min(this.credit + (this.lastFrame === null ? 1 / 60 : (now - this.lastFrame) / 1000) * rate, Math.max(1, rate / 20));
    this.lastFrame = now;
  }

  /** Spends one step of credit: false when less than one is left. */
  spend() {
    if (this.credit < 1) return false;
    this.credit -= 1;
    return true;
  }

  stop() {
    this.running = false;
  }

  kick() {
    if (this.frame === null && this.live) this.frame = requestAnimationFrame((t) => this.tick(t));
  }

  tick() {
    this.frame = null;
    if (!this.live) return;
    const t0 = performance.now();
    const more = this.work(t0 + this.budget);
    this.draw();
    this.frameTimes.push(performance.now() - t0);
    if (this.frameTimes.length > 600) this.frameTimes.splice(0, 300);
    if (more === false) {
      this.running = false;
      return;
    }
    this.kick();
  }

  destroy() {
    this.running = false;
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.observer?.disconnect();
    document.removeEventListener("visibilitychange", this.visibility);
  }
}

/**
 * The Play button of a training view, whose state is "ready", "playing", "paused", "finished" or "diverged":
 * `setPlaying(on)` starts or pauses `loop` (a diverged run cannot play), `finish()` ends the run, `restart(rebuild)`
 * rebuilds it (and plays on if it was playing). The view keeps
 * the state: `state.get()` and `state.set(s)` read and write it, and `refresh(writeBack)` brings its controls,
 * drawing and announcement up to date (and, when `writeBack` is true, the result it reports to Python).
 */
export function playButton(loop, state, refresh) {
  function setPlaying(on) {
    if (on && state.get() === "diverged") return;
    if (on) {
      state.set("playing");
      loop.start();
      refresh(false);
    } else {
      loop.stop();
      if (state.get() === "playing") state.set("paused");
      refresh(true);
    }
  }
  function finish() {
    loop.stop();
    state.set("finished");
    refresh(true);
  }
  /** Reset: `rebuild()` starts the run afresh, which plays on if it was playing. */
  function restart(rebuild) {
    const wasPlaying = state.get() === "playing";
    loop.stop();
    rebuild();
    if (wasPlaying) setPlaying(true);
    else refresh(false);
  }
  return { setPlaying, finish, restart };
}

/** A polite live region that speaks the latest text at most once a second (none of it is lost: the
 * last text given within a second is spoken when the second is over). */
export function throttledAnnouncer(parent, interval = 1000) {
  const box = html("div", { class: "rl-sr", role: "status", "aria-live": "polite", "aria-atomic": "true" }, parent);
  let last = -Infinity, pending = null, timer = null, spoken = "";
  const flush = () => {
    timer = null;
    if (pending !== null && pending !== spoken) {
      box.textContent = pending;
      spoken = pending;
      last = performance.now();
    }
    pending = null;
  };
  const announce = (text) => {
    pending = text;
    const wait = last + interval - performance.now();
    if (wait <= 0 && timer === null) flush();
    else if (timer === null) timer = setTimeout(flush, Math.max(wait, 0));
  };
  announce.element = box;
  announce.cancel = () => clearTimeout(timer);
  return announce;
}

/** Round, readable numbers: 3 significant digits, exponent form below 0.001. */
export function num(v) {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "NaN" : v > 0 ? "\u221e" : "\u2212\u221e";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2).replace("-", "\u2212").replace("e+", "e");
  return fmt(v, a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3);
}

/**
 * An SVG line chart: `new LineChart(parent, {label, xLabel, yLabel, log, yMin, yMax, yInteger, lines, height})`,
 * `lines` a list of {label, color, dash, width}, `yInteger` true for counts (whole-number ticks, a y axis of at
 * least 0 to 1); `resize(width)`; `update(data, xMax, marks, xMin)` with `data` one array of [x, y] per line, x
 * from xMin (default 0) to xMax, and `marks` horizontal reference lines [{y, label}].
 */
export class LineChart {
  constructor(parent, opts) {
    this.opts = { height: 190, log: false, yMin: null, yMax: null, yInteger: false, ...opts };
    this.svg = svg("svg", { role: "img", "aria-label": opts.label, class: "rl-chart" }, parent);
    this.width = 300;
  }

  resize(width) {
    this.width = Math.max(220, width);
  }

  yDomain(data) {
    const { log, yMin, yMax } = this.opts;
    let lo = Infinity, hi = -Infinity;
    for (const line of data) for (const [, y] of line) if (Number.isFinite(y) && (!log || y > 0)) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
    if (!Number.isFinite(lo)) { lo = log ? 0.01 : 0; hi = log ? 10 : 1; }
    if (log) {
      lo = 10 ** Math.floor(Math.log10(lo));
      hi = 10 ** Math.ceil(Math.log10(hi));
      if (hi / lo < 100) lo = hi / 100;
    } else if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
    const y0 = yMin ?? lo;
    return [y0, yMax ?? (this.opts.yInteger ? Math.max(hi, y0 + 1) : hi)]; // counts: at least 0 to 1
  }

  /** Draws the data; the axes are rebuilt only when the size, the domains, the labels or the lines change. */
  update(data, xMax, marks = [], xMin = 0) {
    const { height, log, xLabel, yLabel, lines, yInteger } = this.opts;
    const W = this.width, H = height, m = { l: 48, r: 10, t: 22, b: 34 };
    const [y0, y1] = this.yDomain(data);
    const key = JSON.stringify([W, H, y0, y1, xMin, xMax, log, xLabel, yLabel, marks, lines.map((l) => [l.color, l.dash, l.width])]);
    if (key !== this.key) {
      this.key = key;
      const s = this.svg;
      s.replaceChildren();
      s.setAttribute("width", W);
      s.setAttribute("height", H);
      s.setAttribute("viewBox", `0 0 ${W} ${H}`);
      const x = scale(xMin, Math.max(xMin + 1e-9, xMax), m.l, W - m.r);
      const ly = log ? scale(Math.log10(y0), Math.log10(y1), H - m.b, m.t) : scale(y0, y1, H - m.b, m.t);
      const y = log ? (v) => ly(Math.log10(Math.min(Math.max(v, y0), y1))) : (v) => ly(Math.min(Math.max(v, y0), y1));
      const g = svg("g", {}, s);
      svg("line", { class: "rl-axis", x1: m.l, x2: W - m.r, y1: H - m.b, y2: H - m.b }, g);
      svg("line", { class: "rl-axis", x1: m.l, x2: m.l, y1: m.t, y2: H - m.b }, g);
      ticks(g, x, { axis: "x", at: H - m.b, count: Math.max(2, Math.floor(W / 90)), digits: xMax - xMin <= 5 ? 1 : 0 });
      if (log) {
        for (let e = Math.round(Math.log10(y0)); e <= Math.round(Math.log10(y1)); e++) {
          const p = y(10 ** e);
          svg("line", { class: "rl-grid", x1: m.l, x2: W - m.r, y1: p, y2: p }, g);
          svg("text", { class: "rl-tick", x: m.l - 5, y: p + 4, "text-anchor": "end" }, g).textContent = e === 0 ? "1" : `1e${e}`.replace("-", "\u2212");
        }
      } else ticks(g, ly, { axis: "y", at: m.l, count: 4, digits: y1 - y0 <= 2 && !yInteger ? 1 : 0, integer: yInteger });
      svg("text", { class: "rl-tick", x: (m.l + W - m.r) / 2, y: H - 4, "text-anchor": "middle" }, g).textContent = xLabel;
      svg("text", { class: "rl-title", x: m.l - 40, y: 12 }, g).textContent = yLabel;
      for (const mark of marks) {
        const p = y(mark.y);
        svg("line", { class: "rl-axis", x1: m.l, x2: W - m.r, y1: p, y2: p, "stroke-dasharray": "2 3" }, g);
        svg("text", { class: "rl-tick", x: W - m.r - 2, y: p - 3, "text-anchor": "end" }, g).textContent = mark.label;
      }
      this.paths = lines.map((style) => svg("path", { fill: "none", stroke: style.color, "stroke-width": style.width ?? 1.8, "stroke-dasharray": style.dash || null }, s));
      this.dots = lines.map(() => svg("g", {}, s));
      this.scales = { x, y };
      this.drawn = lines.map(() => null);
    }
    const { x, y } = this.scales;
    data.forEach((line, i) => {
      const style = lines[i];
      const stamp = line.length ? `${line.length}:${line[line.length - 1][0]}:${line[line.length - 1][1]}:${line[0][1]}` : "0";
      if (stamp === this.drawn[i] && !style.always) return;
      this.drawn[i] = stamp;
      const pts = thin(line).map(([a, b]) => (Number.isFinite(b) ? [x(a), y(b)] : null));
      this.paths[i].setAttribute("d", line.length ? pathD(pts) : "");
      this.dots[i].replaceChildren();
      if (line.length === 1 || style.dots) for (const p of pts) if (p) svg("circle", { cx: p[0], cy: p[1], r: 2.2, fill: style.color }, this.dots[i]);
    });
    return { x, y, margin: m };
  }
}

/** At most ~600 points of a long series (every k-th point, the last one kept). */
function thin(line, max = 600) {
  if (line.length <= max) return line;
  const k = Math.ceil(line.length / max), out = [];
  for (let i = 0; i < line.length; i += k) out.push(line[i]);
  if (out[out.length - 1] !== line[line.length - 1]) out.push(line[line.length - 1]);
  return out;
}

/** A legend row: a short line sample in each series' colour and dash, then its label. */
export function legend(parent, lines) {
  const row = html("div", { class: "rl-row rl-legend", "aria-hidden": "true" }, parent);
  for (const l of lines) {
    const item = html("span", { style: "display:inline-flex;align-items:center;gap:.3rem" }, row);
    const s = svg("svg", { width: 26, height: 10 }, item);
    svg("line", { x1: 1, x2: 25, y1: 5, y2: 5, stroke: l.color, "stroke-width": 2.2, "stroke-dasharray": l.dash || null }, s);
    item.append(l.label);
  }
  return row;
}

/** A labelled <select> in `row`; `options` a list of [value, text]; returns the element. */
export function select(row, label, options, value, onChange) {
  const wrap = html("label", { style: "white-space:nowrap" }, row, `${label} `);
  const sel = html("select", {}, wrap);
  for (const [v, text] of options) html("option", { value: String(v), selected: String(v) === String(value) }, sel, text);
  sel.addEventListener("change", () => onChange(sel.value));
  return sel;
}

// ------------------------------------------------------------------------------ shareable links
// A run's settings travel in the page address after "#", as "<view>:<key>=<value>,<key>=<value>", so a
// link opens the page with that run set up (and scrolls to the figure). Only known keys are read,
// and each value is checked by the view before it is used.

/** The settings for `view` in the current address, as {key: string}, or null. */
export function readLink(view) {
  const hash = decodeURIComponent((globalThis.location && location.hash) || "").replace(/^#/, "");
  if (!hash.startsWith(`${view}:`)) return null;
  const out = {};
  for (const part of hash.slice(view.length + 1).split(",")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

/** The address of this page with `settings` for `view`. */
export function makeLink(view, settings) {
  const body = Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(",");
  const base = globalThis.location ? location.href.split("#")[0] : "";
  return `${base}#${view}:${body}`;
}

/** True on a normal web page, false inside JupyterLab / Notebook (where a page link means nothing). */
export function onWebsite(el) {
  return !el.closest(".jp-OutputArea, .jp-Notebook, .widget-subarea") && !document.body.hasAttribute("data-jp-theme-light");
}

/** A "Copy link" button: puts the link in the address bar and on the clipboard, and shows it. */
export function shareButton(row, view, getSettings, say) {
  const button = html("button", { type: "button" }, row, "Copy link to this run");
  const out = html("input", { type: "text", readonly: true, "aria-label": "Link to this run", hidden: true, style: "flex:1 1 14rem;min-width:10rem" }, row);
  button.addEventListener("click", async () => {
    const link = makeLink(view, getSettings());
    out.value = link;
    out.hidden = false;
    try {
      history.replaceState(null, "", link);
    } catch (e) { /* a sandboxed page may refuse; the link is still shown */ }
    let copied = false;
    try {
      await navigator.clipboard.writeText(link);
      copied = true;
    } catch (e) { /* no clipboard permission: the reader copies it from the field */ }
    say(copied ? "Link copied: it opens this page with these settings and seed." : "The link is in the field next to the button.");
    out.select();
  });
  return button;
}

/**
 * Trains tiny throwaway networks in idle time, in slices of about 4 ms, so that the engine has compiled
 * the training code before the reader presses Play (run for the first time, a step is interpreted and
 * slow, and would make the first animation frames long). `configs`: [{sizes, activation, loss}].
 * Returns a function that stops it.
 */
export function warmUp(T, configs, steps = 60) {
  const g = T.generator(0, 4242);
  const tasks = configs.map(({ sizes, activation, loss }) => () => {
    const nIn = sizes[0], nOut = sizes[sizes.length - 1];
    const xs = Array.from({ length: 8 }, () => Array.from({ length: nIn }, () => g.normal()));
    const ys = xs.map((_, i) => (loss === "cross_entropy" ? i % Math.max(2, nOut) : Array(nOut).fill(0.5)));
    const data = T.dataset(xs, ys, { nIn, nOut, loss });
    return new T.Trainer({ sizes, activation, loss, optimizer: T.sgd(0.01, { momentum: 0.9 }), data, batchSize: 4 });
  });
  let i = 0, trainer = null, done = 0, timer = null;
  const slice = () => {
    timer = null;
    const end = performance.now() + 4;
    while (i < tasks.length && performance.now() < end) {
      if (!trainer) trainer = tasks[i]();
      trainer.step();
      if (++done >= steps) {
        trainer.evaluation(trainer.data, { chunk: 4 }).finish();
        trainer = null;
        done = 0;
        i += 1;
      }
    }
    if (i < tasks.length) schedule();
  };
  const schedule = () => {
    timer = typeof requestIdleCallback === "function" ? { idle: requestIdleCallback(slice, { timeout: 400 }) } : { time: setTimeout(slice, 20) };
  };
  schedule();
  return () => {
    i = tasks.length;
    if (timer?.idle !== undefined) cancelIdleCallback(timer.idle);
    if (timer?.time !== undefined) clearTimeout(timer.time);
  };
}
