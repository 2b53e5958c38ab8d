// "Activation regions": a two-input ReLU network's exact activation regions inside a box, as polygons
// (core.regions2d, relulab's count_regions_2d). Move the point (drag, click, or arrow keys) to see its
// region, activation pattern and the local linear map the network computes there; change one first-layer
// unit's weights (w1, w2, b) and the regions are recomputed at once. State: params, box, point, unit.
import * as core from "./core.mjs";
import { Handle, SIGN, fmt, fmtPlain, html, liveRegion, onWidth, pointerIn, scale, svg, ticks, useTheme } from "./ui.mjs";

const copy = (p) => p.map(([W, b]) => [W.map((r) => r.slice()), b.slice()]);
const CANVAS_ABOVE = 1000; // more regions than this are painted on a canvas instead of SVG paths
const LEVELS = 48; // colour levels of the output (one SVG path each)
// the book's sign colours (relulab.plots.sign_cmap): negative blue, zero white, positive vermillion
const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
const STOPS = [hex(SIGN.negative), hex(SIGN.zero), hex(SIGN.positive)];
function colour(t) {
  const s = Math.min(0.9999, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.floor(s), f = s - i;
  const c = STOPS[i].map((v, k) => Math.round(v + f * (STOPS[i + 1][k] - v)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

function render({ model, el }) {
  useTheme(el);
  el.replaceChildren();
  let params = copy(model.get("params"));
  let start = copy(params);
  const box = model.get("box");
  let point = model.get("point").slice();
  let unit = Math.min(model.get("unit") ?? 0, params[0][1].length - 1);
  let ownChange = false;

  html("p", { class: "rl-hint" }, el,
    "Drag the point, click anywhere in the square, or focus the point and use the arrow keys: its region is outlined. " +
    "The sliders change one first-layer unit's weights and the regions are recomputed exactly.");
  const controls = html("div", { class: "rl-row", role: "group", "aria-label": "Weights of one first-layer unit" }, el);
  const selLabel = html("label", {}, controls, "First-layer unit ");
  const select = html("select", {}, selLabel);
  const sliders = ["w\u2081", "w\u2082", "b"].map((name, k) => {
    const id = `rl-${Math.random().toString(36).slice(2)}-${k}`;
    const cell = html("span", { class: "rl-cell" }, controls); // label, slider and value stay on one line
    const lab = html("label", { for: id }, cell, name);
    const input = html("input", { type: "range", id, min: -3, max: 3, step: 0.01 }, cell);
    const out = html("output", { for: id }, cell);
    input.addEventListener("input", () => { setWeight(k, +input.value); save(); });
    return { lab, input, out };
  });
  const reset = html("button", { type: "button" }, controls, "Reset");
  reset.addEventListener("click", () => { params = copy(start); refreshControls(); draw(); save(); });
  select.addEventListener("change", () => { unit = +select.value; refreshControls(); draw(); save(); });

  const sr = liveRegion(el);
  const figure = html("div", { style: "position:relative" }, el);
  const plot = svg("svg", { class: "rl-plot", role: "group", "aria-label": "Activation regions in the box" }, figure);
  let canvas = null;
  const readout = html("div", { class: "rl-readout" }, el);
  const countLine = html("p", {}, readout);
  const count = html("span", { class: "rl-count" }, countLine);
  const countRest = html("span", {}, countLine);
  const pointLine = html("p", {}, readout);
  const patternLine = html("p", { style: "font-family:ui-monospace,monospace;font-size:13px;overflow-wrap:anywhere" }, readout);
  const details = html("details", {}, el);
  html("summary", {}, details, "Table of the regions");
  const tableBox = html("div", { class: "rl-table" }, details);
  details.addEventListener("toggle", () => { if (details.open) table(); });

  function refreshControls() {
    select.replaceChildren();
    params[0][1].forEach((_, j) => html("option", { value: j, selected: j === unit }, select, `u${j + 1}`));
    const vals = [params[0][0][0][unit], params[0][0][1][unit], params[0][1][unit]];
    sliders.forEach((s, k) => {
      const lim = Math.max(3, Math.ceil(Math.abs(vals[k])));
      s.input.min = -lim; s.input.max = lim;
      s.input.value = vals[k];
      s.out.textContent = fmt(vals[k]);
      s.input.setAttribute("aria-valuetext", `${["w1", "w2", "b"][k]} of unit u${unit + 1} = ${fmtPlain(vals[k])}`);
    });
  }
  function setWeight(k, v) {
    if (k < 2) params[0][0][k][unit] = v; else params[0][1][unit] = v;
    sliders[k].out.textContent = fmt(v);
    sliders[k].input.setAttribute("aria-valuetext", `${["w1", "w2", "b"][k]} of unit u${unit + 1} = ${fmtPlain(v)}`);
    draw();
  }
  function save() {
    ownChange = true;
    model.set("params", copy(params));
    model.set("point", point.slice());
    model.set("unit", unit);
    model.save_changes();
    ownChange = false;
    sr(`${regions.length} activation regions; the point is in region ${current + 1}`);
  }

  // ---- geometry
  let S = 480, x, y, handle, pool = [], gRegions, gLines, outline, pt;
  const M = { left: 40, right: 12, top: 24, bottom: 30 };
  function build(width) {
    S = Math.max(280, Math.min(width, 560));
    plot.replaceChildren();
    plot.setAttribute("width", S);
    plot.setAttribute("height", S - M.left - M.right + M.top + M.bottom);
    const side = S - M.left - M.right;
    x = scale(box[0], box[1], M.left, M.left + side);
    y = scale(box[2], box[3], M.top + side, M.top);
    const bg = svg("rect", { x: M.left, y: M.top, width: side, height: side, fill: "transparent" }, plot);
    gRegions = svg("g", { "stroke-linejoin": "round" }, plot);
    gLines = svg("g", {}, plot);
    pool = [];
    outline = svg("path", { fill: "none", stroke: "var(--rl-vermillion)", "stroke-width": 3 }, plot);
    ticks(plot, x, { axis: "x", at: M.top + side });
    ticks(plot, y, { axis: "y", at: M.left });
    svg("text", { class: "rl-tick", x: M.left + side, y: M.top + side + 26, "text-anchor": "end" }, plot).textContent = "x\u2081";
    svg("text", { class: "rl-tick", x: M.left - 8, y: M.top - 10, "text-anchor": "end" }, plot).textContent = "x\u2082";
    const click = (e) => { const [px, py] = pointerIn(plot, e); movePoint(x.invert(px), y.invert(py)); save(); };
    bg.addEventListener("pointerdown", click);
    gRegions.addEventListener("pointerdown", click);
    const hg = svg("g", {}, plot);
    handle = new Handle(hg, {
      label: "point in the input plane", min: box[0], max: box[1], step: (box[1] - box[0]) / 50, radius: 7,
      color: "var(--rl-vermillion)",
      onPointer: ([px, py]) => movePoint(x.invert(px), y.invert(py)),
      onInput: (v) => movePoint(v, point[1]),
      onKey: (e) => {
        const st = (box[1] - box[0]) / 50 * (e.shiftKey ? 5 : 1);
        const d = { ArrowLeft: [-st, 0], ArrowRight: [st, 0], ArrowUp: [0, st], ArrowDown: [0, -st] }[e.key];
        if (!d) return false;
        movePoint(point[0] + d[0], point[1] + d[1]);
        return true;
      },
      onCommit: () => save(),
    });
    if (canvas) { canvas.remove(); canvas = null; }
    draw();
  }
  function movePoint(px, py) {
    point = [Math.min(box[1], Math.max(box[0], px)), Math.min(box[3], Math.max(box[2], py))];
    locate();
  }

  // ---- regions
  let regions = [], current = 0, lastCount = -1;
  function draw() {
    regions = core.regions2d(params, box);
    const vals = regions.map((r) => {
      const c = centroid(r.polygon);
      return r.grad[0] * c[0] + r.grad[1] * c[1] + r.offset;
    });
    const top = Math.max(...vals.map(Math.abs)); // symmetric about 0: white is an output of 0
    const t = (v) => (top > 0 ? 0.5 + v / (2 * top) : 0.5);
    if (regions.length > CANVAS_ABOVE) {
      pool.forEach((p) => p.setAttribute("d", "M0 0"));
      if (!canvas) {
        canvas = html("canvas", { "aria-hidden": "true", style: `position:absolute;left:0;top:0;pointer-events:none` });
        figure.prepend(canvas);
      }
      const ratio = window.devicePixelRatio || 1;
      canvas.width = S * ratio; canvas.height = S * ratio;
      canvas.style.width = `${S}px`; canvas.style.height = `${S}px`;
      const ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, S, S);
      regions.forEach((r, i) => {
        ctx.beginPath();
        r.polygon.forEach(([a, b], k) => (k ? ctx.lineTo(x(a), y(b)) : ctx.moveTo(x(a), y(b))));
        ctx.closePath();
        ctx.fillStyle = colour(t(vals[i]));
        ctx.fill();
        ctx.lineWidth = 0.5; ctx.strokeStyle = "rgba(0,0,0,0.45)"; ctx.stroke();
      });
      gRegions.style.opacity = 0;
    } else {
      if (canvas) { canvas.remove(); canvas = null; }
      gRegions.style.opacity = 1;
      // one path per colour level (the regions of a level as sub-paths): a few dozen elements, not hundreds
      while (pool.length < LEVELS) {
        pool.push(svg("path", { stroke: "rgba(0,0,0,0.45)", "stroke-width": 0.6, fill: colour((pool.length + 0.5) / LEVELS) }, gRegions));
      }
      const ds = Array.from({ length: LEVELS }, () => []);
      regions.forEach((r, i) => ds[Math.min(LEVELS - 1, Math.floor(t(vals[i]) * LEVELS))].push(polyD(r.polygon)));
      ds.forEach((d, k) => pool[k].setAttribute("d", d.join("") || "M0 0"));
    }
    count.textContent = `${regions.length} activation regions`;
    el.dataset.count = String(regions.length);
    const n = params.slice(0, -1).map(([, b]) => b.length);
    countRest.textContent = ` in the box [${fmt(box[0], 1)}, ${fmt(box[1], 1)}] \u00d7 [${fmt(box[2], 1)}, ${fmt(box[3], 1)}] (network 2 \u2192 ${n.join(" \u2192 ")} \u2192 1; colour: the output on each region, blue negative, white 0, vermillion positive).`;
    if (regions.length !== lastCount) { lastCount = regions.length; }
    locate();
    if (details.open) table();
  }
  const polyD = (P) => P.map(([a, b], k) => `${k ? "L" : "M"}${x(a).toFixed(2)} ${y(b).toFixed(2)}`).join("") + "Z";
  const centroid = (P) => [P.reduce((s, p) => s + p[0], 0) / P.length, P.reduce((s, p) => s + p[1], 0) / P.length];

  function locate() {
    current = core.regionAt(regions, point);
    const r = regions[current];
    outline.setAttribute("d", polyD(r.polygon));
    const text = `point at (${fmtPlain(point[0])}, ${fmtPlain(point[1])}), in region ${current + 1} of ${regions.length}`;
    handle.update({ x: x(point[0]), y: y(point[1]), value: point[0], text });
    const f = r.grad[0] * point[0] + r.grad[1] * point[1] + r.offset;
    pointLine.textContent = `Point (${fmt(point[0])}, ${fmt(point[1])}) is in region ${current + 1}, where the network computes ` +
      `f(x) = ${fmt(r.grad[0])} x\u2081 ${r.grad[1] < 0 ? "\u2212" : "+"} ${fmt(Math.abs(r.grad[1]))} x\u2082 ${r.offset < 0 ? "\u2212" : "+"} ${fmt(Math.abs(r.offset))}; here f = ${fmt(f)}.`;
    let k = 0;
    const rows = params.slice(0, -1).map(([, b], l) => {
      const bits = b.map(() => (r.pattern[k++] ? "1" : "0")).join("");
      return `layer ${l + 1}: ${bits}`;
    });
    patternLine.textContent = `Activation pattern (1 = on): ${rows.join("; ")}`;
  }

  function table() {
    const t = html("table", {});
    const head = html("tr", {}, html("thead", {}, t));
    for (const c of ["region", "pattern", "area", "\u2202f/\u2202x\u2081", "\u2202f/\u2202x\u2082", "offset"]) html("th", { scope: "col" }, head, c);
    const body = html("tbody", {}, t);
    regions.forEach((r, i) => {
      const row = html("tr", {}, body);
      for (const c of [String(i + 1), r.pattern.map((b) => (b ? "1" : "0")).join(""), fmt(core.polygonArea(r.polygon), 3),
        fmt(r.grad[0], 3), fmt(r.grad[1], 3), fmt(r.offset, 3)]) html("td", {}, row, c);
    });
    tableBox.replaceChildren(t);
  }

  refreshControls();
  const disconnect = onWidth(el, build);
  const onParams = () => {
    if (ownChange || JSON.stringify(model.get("params")) === JSON.stringify(params)) return;
    params = copy(model.get("params"));
    start = copy(params);
    unit = Math.min(unit, params[0][1].length - 1);
    refreshControls();
    draw();
    sr(`new weights: ${regions.length} activation regions`);
  };
  const onPoint = () => {
    if (ownChange) return;
    point = model.get("point").slice();
    locate();
  };
  model.on("change:params", onParams);
  model.on("change:point", onPoint);
  return () => { disconnect(); model.off("change:params", onParams); model.off("change:point", onPoint); };
}

export default { render };
