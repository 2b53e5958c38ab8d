// Shared pieces of the explorables' views: the theme (one set of CSS variables, light and dark), SVG
// helpers, accessible draggable handles (the ARIA slider pattern with Pointer Events), a polite live
// region and number formatting. No maths here (that is core.mjs) and no state (that is the model).

import { STYLE } from "./style.mjs";

/** The book's Okabe-Ito palette, relulab.plots.PALETTE (both read relulab/style.json). */
export const PALETTE = { ...STYLE.okabe_ito };
/** The sign colours of every figure: positive vermillion, negative blue, zero white (relulab.plots.SIGN). */
export const SIGN = { ...STYLE.sign };
/** Per activation name: label, color, dashes (in line widths; times stroke-width gives stroke-dasharray) and
 * marker, as in relulab.plots.ACTIVATION_STYLES. */
export const ACTIVATION_STYLES = STYLE.activations;
/** Series colours in the order of relulab.plots.series_style. */
export const SERIES = ["blue", "vermillion", "green", "orange", "purple", "sky", "black"];
/** Dash patterns cycled with the colours, so no two series differ by colour alone (relulab.plots.LINESTYLES). */
export const DASHES = ["", "6 3", "6 2 1.5 2", "1.5 2", "5 1 1 1", "1 1"];

const CSS = `
.relulab-ex{--rl-fg:#1b1b1b;--rl-bg:#fff;--rl-muted:#555;--rl-faint:#9a9a9a;--rl-grid:#dcdcdc;--rl-panel:#fafafa;
--rl-blue:#0072B2;--rl-vermillion:#D55E00;--rl-green:#009E73;--rl-orange:#E69F00;--rl-purple:#CC79A7;--rl-sky:#56B4E9;
--rl-black:#000;--rl-focus:#D55E00;--rl-hit:12px;
color:var(--rl-fg);background:var(--rl-bg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;
max-width:100%;min-width:0;box-sizing:border-box;padding:.25rem 0;position:relative;text-align:left}
html[data-theme=dark] .relulab-ex,body[data-jp-theme-light=false] .relulab-ex{--rl-fg:#e8e8e8;--rl-bg:#14181e;
--rl-muted:#b4b4b4;--rl-faint:#6f7780;--rl-grid:#39414b;--rl-panel:#1b2028;--rl-blue:#56B4E9;--rl-vermillion:#FF8A4C;
--rl-black:#e8e8e8;--rl-focus:#F0E442}
@media (prefers-color-scheme:dark){html:not([data-theme]) body:not([data-jp-theme-light]) .relulab-ex{--rl-fg:#e8e8e8;
--rl-bg:#14181e;--rl-muted:#b4b4b4;--rl-faint:#6f7780;--rl-grid:#39414b;--rl-panel:#1b2028;--rl-blue:#56B4E9;
--rl-vermillion:#FF8A4C;--rl-black:#e8e8e8;--rl-focus:#F0E442}}
@media (pointer:coarse){.relulab-ex{--rl-hit:22px}}
.relulab-ex svg{display:block;overflow:visible;max-width:100%;user-select:none;-webkit-user-select:none}
.relulab-ex .rl-plot{touch-action:none}
.relulab-ex .rl-handle{cursor:grab;touch-action:none;outline:none}
.relulab-ex .rl-handle:active{cursor:grabbing}
.relulab-ex .rl-hit{r:var(--rl-hit);fill:transparent}
.relulab-ex .rl-handle .rl-ring{stroke:var(--rl-bg);stroke-width:1.5}
.relulab-ex .rl-handle:focus-visible .rl-ring,.relulab-ex .rl-handle.rl-focus .rl-ring{stroke:var(--rl-focus);stroke-width:3.5}
.relulab-ex .rl-axis{stroke:var(--rl-faint);stroke-width:1}
.relulab-ex .rl-grid{stroke:var(--rl-grid);stroke-width:1}
.relulab-ex .rl-tick{fill:var(--rl-muted);font-size:11px}
.relulab-ex .rl-title{fill:var(--rl-fg);font-size:12.5px}
.relulab-ex .rl-row{display:flex;flex-wrap:wrap;gap:.4rem .75rem;align-items:center;margin:.35rem 0}
.relulab-ex button,.relulab-ex select,.relulab-ex input{font:inherit;color:var(--rl-fg);background:var(--rl-panel);
border:1px solid var(--rl-faint);border-radius:4px;min-height:28px;padding:.1rem .5rem}
.relulab-ex input[type=range]{accent-color:var(--rl-blue);padding:0;min-width:7rem;flex:1 1 8rem;max-width:16rem}
.relulab-ex button:focus-visible,.relulab-ex select:focus-visible,.relulab-ex input:focus-visible{outline:3px solid var(--rl-focus);outline-offset:2px}
.relulab-ex .rl-cell{display:inline-flex;align-items:center;gap:.4rem;flex:1 1 13rem;max-width:22rem;min-width:0}
.relulab-ex .rl-cell output{min-width:3.2rem;font-variant-numeric:tabular-nums}
.relulab-ex .rl-readout{font-variant-numeric:tabular-nums;margin:.3rem 0}
.relulab-ex .rl-count{font-weight:600}
.relulab-ex details{margin:.35rem 0}
.relulab-ex table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:13px}
.relulab-ex th,.relulab-ex td{border-bottom:1px solid var(--rl-grid);padding:.1rem .5rem;text-align:right}
.relulab-ex .rl-table{max-height:16rem;overflow:auto}
.relulab-ex .rl-sr{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.relulab-ex .rl-hint{color:var(--rl-muted);font-size:13px}
`;

/** Adds the theme's stylesheet to the element's document once. */
export function useTheme(el) {
  const doc = el.ownerDocument || document;
  if (!doc.getElementById("relulab-explorables-css")) {
    const style = doc.createElement("style");
    style.id = "relulab-explorables-css";
    style.textContent = CSS;
    doc.head.append(style);
  }
  el.classList.add("relulab-ex");
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Creates an SVG element with attributes, appended to `parent` when given. */
export function svg(tag, attrs = {}, parent = null) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  if (parent) parent.append(e);
  return e;
}

/** Creates an HTML element with attributes and text, appended to `parent` when given. */
export function html(tag, attrs = {}, parent = null, text = null) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : String(v));
  if (text !== null) e.textContent = text;
  if (parent) parent.append(e);
  return e;
}

/** A linear map from [d0, d1] to [r0, r1], with `.invert`. */
export function scale(d0, d1, r0, r1) {
  const k = (r1 - r0) / (d1 - d0 || 1);
  const f = (v) => r0 + (v - d0) * k;
  f.invert = (p) => d0 + (p - r0) / k;
  f.domain = [d0, d1];
  f.range = [r0, r1];
  return f;
}

/** An SVG path through points [[x, y], ...] already in pixels; `null` entries break the line. */
export function pathD(points) {
  let d = "", pen = false;
  for (const p of points) {
    if (!p || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) { pen = false; continue; }
    d += (pen ? "L" : "M") + p[0].toFixed(2) + " " + p[1].toFixed(2);
    pen = true;
  }
  return d || "M0 0";
}

/** A number for reading: `digits` decimals, a true minus sign, no "-0". */
export function fmt(v, digits = 2) {
  if (!Number.isFinite(v)) return String(v);
  const s = Math.abs(v) < 0.5 * 10 ** -digits ? (0).toFixed(digits) : v.toFixed(digits);
  return s.replace("-", "\u2212");
}

/** The same number with an ASCII minus, for aria-valuetext and attributes. */
export function fmtPlain(v, digits = 2) {
  return fmt(v, digits).replace("\u2212", "-");
}

/** Pointer position relative to an SVG drawn in pixels (no viewBox scaling). */
export function pointerIn(svgEl, event) {
  const r = svgEl.getBoundingClientRect();
  return [event.clientX - r.left, event.clientY - r.top];
}

/** A polite live region; `announce(text)` speaks it once the changes have paused for 350 ms. */
export function liveRegion(parent) {
  const box = html("div", { class: "rl-sr", role: "status", "aria-live": "polite", "aria-atomic": "true" }, parent);
  let timer = null;
  const announce = (text) => {
    clearTimeout(timer);
    timer = setTimeout(() => { box.textContent = text; }, 350);
  };
  announce.element = box;
  return announce;
}

/**
 * A draggable, focusable SVG handle following the ARIA slider pattern.
 *
 * opts: label (aria-label), min, max, step, value, text(value) for aria-valuetext, orientation,
 * shape ("circle" | "square" | "diamond"), radius (drawn, px), color, fromPointer([px, py]) -> value for a
 * drag, onInput(value) on every move (drag or key), onCommit() when a drag ends or after a key; for a
 * handle that moves in two dimensions, onPointer([px, py]) replaces fromPointer and onKey(event) -> true
 * handles a key itself.
 * The visible mark is `radius` px; the hit area is the theme's --rl-hit (12 px, 22 px on touch screens),
 * so the target is at least 24 x 24 px (44 x 44 px on touch).
 */
export class Handle {
  constructor(parent, opts) {
    this.opts = { step: 0.01, orientation: "horizontal", shape: "circle", radius: 7, color: "var(--rl-blue)", ...opts };
    const o = this.opts;
    this.g = svg("g", { class: "rl-handle", role: "slider", tabindex: 0, "aria-label": o.label, "aria-orientation": o.orientation }, parent);
    svg("circle", { class: "rl-hit", r: 12 }, this.g);
    const r = o.radius;
    if (o.shape === "square") this.mark = svg("rect", { class: "rl-ring", x: -r, y: -r, width: 2 * r, height: 2 * r }, this.g);
    else if (o.shape === "diamond") this.mark = svg("path", { class: "rl-ring", d: `M0 ${-r * 1.3}L${r * 1.3} 0L0 ${r * 1.3}L${-r * 1.3} 0Z` }, this.g);
    else this.mark = svg("circle", { class: "rl-ring", r }, this.g);
    this.mark.setAttribute("fill", o.color);
    this.value = o.value;
    this.dragging = false;
    this.g.addEventListener("keydown", (e) => this.key(e));
    this.g.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      e.stopPropagation();
      this.g.setPointerCapture(e.pointerId);
      this.dragging = true;
      this.g.focus({ preventScroll: true });
    });
    this.g.addEventListener("pointermove", (e) => {
      if (!this.dragging) return;
      const p = pointerIn(this.g.ownerSVGElement, e);
      if (this.opts.onPointer) { this.opts.onPointer(p); return; }
      if (!this.opts.fromPointer) return;
      const v = this.opts.fromPointer(p);
      if (Number.isFinite(v)) this.input(v);
    });
    const end = () => { if (this.dragging) { this.dragging = false; this.opts.onCommit?.(); } };
    this.g.addEventListener("pointerup", end);
    this.g.addEventListener("pointercancel", end);
    this.g.addEventListener("lostpointercapture", end);
  }

  clamp(v) { return Math.min(this.opts.max, Math.max(this.opts.min, v)); }

  input(v) {
    this.opts.onInput(this.clamp(v));
  }

  key(e) {
    const o = this.opts;
    if (o.onKey && o.onKey(e)) { e.preventDefault(); o.onCommit?.(); return; }
    const big = (o.max - o.min) / 10;
    const moves = {
      ArrowRight: o.step, ArrowUp: o.step, ArrowLeft: -o.step, ArrowDown: -o.step,
      PageUp: Math.max(big, o.step), PageDown: -Math.max(big, o.step),
    };
    let v;
    if (e.key in moves) v = this.value + moves[e.key];
    else if (e.key === "Home") v = o.min;
    else if (e.key === "End") v = o.max;
    else return;
    e.preventDefault();
    this.input(v);
    o.onCommit?.();
  }

  /** Moves the handle to pixel (x, y) and sets its ARIA value. */
  update({ x, y, value, min, max, text, hidden = false }) {
    if (min !== undefined) this.opts.min = min;
    if (max !== undefined) this.opts.max = max;
    this.value = value;
    this.g.setAttribute("transform", `translate(${x.toFixed(2)} ${y.toFixed(2)})`);
    this.g.setAttribute("aria-valuemin", fmtPlain(this.opts.min, 3));
    this.g.setAttribute("aria-valuemax", fmtPlain(this.opts.max, 3));
    this.g.setAttribute("aria-valuenow", fmtPlain(value, 4));
    this.g.setAttribute("aria-valuetext", text ?? fmtPlain(value));
    this.g.style.display = hidden ? "none" : "";
  }
}

/** Observes the element's width; calls `draw(width)` now and on every change (ResizeObserver). */
export function onWidth(el, draw, fallback = 640) {
  let last = -1;
  const measure = () => {
    const w = Math.round(el.getBoundingClientRect().width) || fallback;
    if (w !== last) { last = w; draw(w); }
  };
  measure();
  if (typeof ResizeObserver !== "undefined") {
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }
  return () => {};
}

/**
 * Round tick values for an axis from `lo` to `hi`: about `count` intervals of a step of 1, 2, 2.5 or 5
 * times a power of ten (the smallest such step at least (hi - lo) / count), every multiple of the step
 * within [lo, hi], and the decimals that show each value exactly (0.25 needs two: "0.3" would be wrong).
 * With `integer`, the step is a whole number (for counts). Returns {values, step, decimals}; a degenerate
 * or non-finite range gives no step and at most one value.
 */
export function niceTicks(lo, hi, count = 5, { integer = false } = {}) {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { values: [], step: NaN, decimals: 0 };
  if (lo > hi) [lo, hi] = [hi, lo];
  if (!(Number.isInteger(count) && count >= 1)) throw new Error(`niceTicks: count must be a positive integer, got ${count}`);
  if (hi - lo <= 0) return { values: [lo], step: NaN, decimals: decimalsOf(lo) };
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw * (1 - 1e-12));
  if (integer && step < 1) step = 1;
  if (integer && !Number.isInteger(step)) step = 2 * step; // 2.5 x 10^k -> 5 x 10^k
  const first = Math.ceil(lo / step - 1e-9), last = Math.floor(hi / step + 1e-9);
  const decimals = decimalsOf(step);
  const values = [];
  for (let k = first; k <= last; k++) values.push(Number((k * step).toFixed(decimals)) + 0); // + 0: no -0
  return { values, step, decimals };
}

/** The fewest decimals (up to 15) that write `v` exactly: 0.25 -> 2, 5 -> 0, 1e-3 -> 3. */
function decimalsOf(v) {
  if (v === 0) return 0;
  for (let d = 0; d < 15; d++) {
    const scaled = Math.abs(v) * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-9 * scaled) return d;
  }
  return 15;
}

/** Draws axis ticks (niceTicks: a few round values, with at least `digits` decimals) along x or y of a
 * panel into group `g`. */
export function ticks(g, sc, { axis, at, count = 5, digits = 1, integer = false }) {
  const [d0, d1] = sc.domain;
  const { values, decimals } = niceTicks(Math.min(d0, d1), Math.max(d0, d1), count, { integer });
  for (const v of values) {
    const p = sc(v), text = fmt(v, Math.max(digits, decimals));
    if (axis === "x") svg("text", { class: "rl-tick", x: p, y: at + 13, "text-anchor": "middle" }, g).textContent = text;
    else svg("text", { class: "rl-tick", x: at - 5, y: p + 4, "text-anchor": "end" }, g).textContent = text;
  }
}
