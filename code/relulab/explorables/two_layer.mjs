// "Move one neuron": a 1 -> n1 -> n2 -> 1 ReLU network (two-layer chapter). Each first-layer unit's kink
// is a handle on the input axis (drag it sideways, or arrow keys); the selected unit also has a slope
// handle (drag it up or down, or arrow keys; or the Steeper / Flatter / Flip buttons). On every move the
// first layer, the second layer, the output and the exact piece count (core.breakpoints1d, relulab's
// count_pieces_1d) are recomputed; a readout names the units that switch and where, and a table lists
// the pieces. State: params, lo, hi, data_x, data_y, unit (the selected first-layer unit).
import * as core from "./core.mjs";
import { DASHES, Handle, SERIES, fmt, fmtPlain, html, liveRegion, onWidth, pathD, pointerIn, scale, svg, ticks, useTheme } from "./ui.mjs";

const copy = (p) => p.map(([W, b]) => [W.map((r) => r.slice()), b.slice()]);
const unitName = (layer, j) => `${layer === 0 ? "u" : "v"}${j + 1}`;
const M = { left: 46, right: 14, top: 22, gap: 34 };
const H = [150, 115, 150];
const ROW = 14, ROWS = 4; // rows of kink handles below the axis

function ranges(params, lo, hi) {
  // fixed vertical ranges for a starting network (kept while the reader drags, so nothing jumps)
  const xs = [lo, ...core.breakpoints1d(params, lo, hi).breakpoints, hi].map((x) => [x]);
  let uMax = 0, vMax = 0, fMin = Infinity, fMax = -Infinity;
  for (const x of xs) {
    const { post, out } = core.layers(params, x);
    uMax = Math.max(uMax, ...post[0]);
    vMax = Math.max(vMax, ...(post[1] || [0]));
    fMin = Math.min(fMin, out[0]); fMax = Math.max(fMax, out[0]);
  }
  uMax = uMax || 1; vMax = vMax || 1;
  const pad = 0.35 * (fMax - fMin || 1);
  return { u: [-0.55 * uMax, 1.25 * uMax], v: [-0.08 * vMax, 1.6 * vMax], f: [fMin - pad, fMax + pad] };
}

function render({ model, el }) {
  useTheme(el);
  el.replaceChildren();
  const lo = model.get("lo"), hi = model.get("hi");
  let params = copy(model.get("params"));
  let start = copy(params);
  let yr = ranges(params, lo, hi);
  let sel = Math.min(Math.max(model.get("unit") ?? 0, 0), params[0][1].length - 1);
  let ownChange = false;
  let n1 = params[0][1].length, n2 = params.length > 2 ? params[1][1].length : 0;

  html("p", { class: "rl-hint", id: `${el.id || "rl"}-hint` }, el,
    "Drag a round handle along the axis to move that unit's kink, or the square handle up and down to change its slope. " +
    "Keyboard: Tab to a handle, then the arrow keys. Clicking the top panel moves the selected kink there.");
  const buttons = html("div", { class: "rl-row", role: "group", "aria-label": "Selected unit and reset" }, el);
  const sr = liveRegion(el);
  const plot = svg("svg", { class: "rl-plot", role: "group", "aria-label": "Move one neuron: first layer, second layer and output" }, el);
  const readout = html("div", { class: "rl-readout" }, el);
  const countLine = html("p", {}, readout);
  const count = html("span", { class: "rl-count" }, countLine);
  const countRest = html("span", {}, countLine);
  const unitLine = html("p", {}, readout);
  const switchLine = html("p", {}, readout);
  const details = html("details", {}, el);
  html("summary", {}, details, "Table of the pieces");
  const tableBox = html("div", { class: "rl-table" }, details);

  const bSel = html("span", { class: "rl-selected" }, buttons);
  const mkButton = (label, f) => { const b = html("button", { type: "button" }, buttons, label); b.addEventListener("click", f); return b; };
  mkButton("Flatter", () => scaleSlope(0.8));
  mkButton("Steeper", () => scaleSlope(1.25));
  mkButton("Flip slope", () => scaleSlope(-1));
  mkButton("Reset", () => { params = copy(start); commit(true); });

  // ---- the drawing's fixed parts, rebuilt when the width changes
  let W = 640, x, y = [], layer = {};
  const g = {};
  function build(width) {
    W = Math.max(300, width);
    plot.replaceChildren();
    plot.setAttribute("width", W);
    const total = M.top + H[0] + M.gap + H[1] + M.gap + H[2] + 26;
    plot.setAttribute("height", total);
    x = scale(lo, hi, M.left, W - M.right);
    let top = M.top;
    const titles = ["first layer: u\u2c7c = relu(w\u2c7c x + b\u2c7c)", "second layer: v\u2096 (\u00d7: a unit switches)", ""];
    ["u", "v", "f"].forEach((key, i) => {
      const sc = scale(yr[key][0], yr[key][1], top + H[i], top);
      y[i] = sc;
      const panel = svg("g", {}, plot);
      const clipId = `rl-clip-${Math.random().toString(36).slice(2)}-${i}`;
      const cp = svg("clipPath", { id: clipId }, panel);
      svg("rect", { x: M.left, y: top, width: W - M.left - M.right, height: H[i] }, cp);
      svg("rect", { x: M.left, y: top, width: W - M.left - M.right, height: H[i], fill: "var(--rl-panel)", stroke: "var(--rl-grid)" }, panel);
      svg("line", { class: "rl-axis", x1: M.left, x2: W - M.right, y1: sc(0), y2: sc(0) }, panel);
      ticks(panel, sc, { axis: "y", at: M.left, count: 3 });
      const title = svg("text", { class: "rl-title", x: M.left, y: top - 7 }, panel);
      title.textContent = titles[i];
      layer[key] = { g: svg("g", { "clip-path": `url(#${clipId})` }, panel), title, top };
      top += H[i] + M.gap;
    });
    ticks(plot, x, { axis: "x", at: y[2].range[0], count: Math.max(3, Math.floor(W / 90)) });
    svg("text", { class: "rl-tick", x: W - M.right, y: y[2].range[0] + 26, "text-anchor": "end" }, plot).textContent = "x";
    // panel 1: clickable background (single-pointer alternative to dragging), lines, handles
    const bg = svg("rect", { x: M.left, y: layer.u.top, width: W - M.left - M.right, height: H[0], fill: "transparent" }, plot);
    bg.addEventListener("pointerdown", (e) => { setKink(sel, x.invert(pointerIn(plot, e)[0])); commit(); });
    g.uLines = Array.from({ length: n1 }, () => svg("path", { fill: "none", "stroke-width": 1.2, stroke: "var(--rl-faint)" }, layer.u.g));
    g.zLine = svg("path", { fill: "none", "stroke-width": 1.4, stroke: "var(--rl-blue)", "stroke-dasharray": "5 3" }, layer.u.g);
    g.uSel = svg("path", { fill: "none", "stroke-width": 3, stroke: "var(--rl-blue)" }, layer.u.g);
    g.vLines = Array.from({ length: n2 }, (_, k) => svg("path", {
      fill: "none", "stroke-width": 1.3, stroke: `var(--rl-${SERIES[k % SERIES.length]})`, "stroke-dasharray": DASHES[k % DASHES.length],
    }, layer.v.g));
    g.vMarks = svg("path", { fill: "none", stroke: "var(--rl-fg)", "stroke-width": 1.6 }, layer.v.g);
    const dx = model.get("data_x") || [], dy = model.get("data_y") || [];
    const dots = svg("g", { fill: "var(--rl-faint)" }, layer.f.g);
    dx.forEach((xi, i) => svg("circle", { cx: x(xi), cy: y[2](dy[i]), r: 1.8 }, dots));
    g.fStart = svg("path", { fill: "none", "stroke-width": 3, stroke: "var(--rl-faint)", opacity: 0.7 }, layer.f.g);
    g.fKinks = svg("path", { fill: "none", stroke: "var(--rl-muted)", "stroke-width": 0.9, "stroke-dasharray": "2 3" }, layer.f.g);
    g.f = svg("path", { fill: "none", "stroke-width": 2, stroke: "var(--rl-vermillion)" }, layer.f.g);
    g.leaders = svg("path", { fill: "none", stroke: "var(--rl-muted)", "stroke-width": 1 }, plot);
    const handles = svg("g", {}, plot);
    g.kinks = Array.from({ length: n1 }, (_, j) => {
      const h = new Handle(handles, {
        label: `kink of first-layer unit u${j + 1}`, min: lo, max: hi, step: (hi - lo) / 100, radius: 6.5,
        color: "var(--rl-faint)",
        fromPointer: ([px]) => x.invert(px),
        onInput: (v) => { select(j); setKink(j, v); },
        onCommit: () => commit(),
      });
      h.g.addEventListener("focus", () => select(j));
      return h;
    });
    g.slope = new Handle(handles, {
      label: "slope of the selected unit", min: -5, max: 5, step: 0.05, shape: "square", radius: 6, color: "var(--rl-blue)",
      orientation: "vertical",
      fromPointer: ([, py]) => { if (!pivot) pivot = pivotOf(sel); return (y[0].invert(py) - pivot.z0) / pivot.d; },
      onInput: (v) => setSlope(sel, v),
      onCommit: () => { pivot = null; commit(); },
    });
    draw();
  }

  // ---- editing one unit
  let pivot = null; // {x0, z0, d}: where the slope handle turns the line, fixed during a drag
  function pivotOf(j) {
    const w = params[0][0][0][j], b = params[0][1][j];
    const xk = -b / w;
    const x0 = w !== 0 && xk >= lo && xk <= hi ? xk : w !== 0 ? Math.min(hi, Math.max(lo, xk)) : (lo + hi) / 2;
    const z0 = w * x0 + b;
    const d0 = (hi - lo) / 5;
    return { x0, z0, d: x0 + d0 <= hi ? d0 : -d0 };
  }
  function setKink(j, xk) {
    const w = params[0][0][0][j];
    if (w === 0) return;
    params[0][1][j] = -w * Math.min(hi, Math.max(lo, xk));
    redraw();
  }
  function setSlope(j, w) {
    if (!pivot) pivot = pivotOf(j);
    params[0][0][0][j] = w;
    params[0][1][j] = pivot.z0 - w * pivot.x0;
    redraw();
  }
  function scaleSlope(f) {
    pivot = pivotOf(sel);
    setSlope(sel, params[0][0][0][sel] * f);
    pivot = null;
    commit();
  }
  function select(j) {
    if (sel === j) return;
    sel = j;
    draw();
  }
  function commit(external = false) {
    ownChange = !external;
    model.set("params", copy(params));
    model.set("unit", sel);
    model.save_changes();
    ownChange = false;
    draw();
    sr(`${last.pieces} linear pieces; unit u${sel + 1}: ${unitText(sel)}`);
  }

  function unitText(j) {
    const w = params[0][0][0][j], b = params[0][1][j];
    if (w === 0) return `slope 0, constant ${fmt(Math.max(b, 0))} (no kink)`;
    const xk = -b / w;
    return `kink at x = ${fmt(xk)}${xk < lo || xk > hi ? " (outside the interval)" : ""}, slope ${fmt(w)}, on for x ${w > 0 ? ">" : "<"} ${fmt(xk)}`;
  }

  // ---- the part that changes on every move
  let last = { pieces: 0 };
  let frame = 0;
  function redraw() { draw(false); }
  function draw(full = true) {
    const r = core.breakpoints1d(params, lo, hi);
    last = r;
    const pts = [lo, ...r.breakpoints, hi].filter((v, i, a) => i === 0 || v !== a[i - 1]);
    const vals = pts.map((p) => core.layers(params, [p]));
    const X = pts.map(x);
    for (let j = 0; j < n1; j++) {
      const d = pathD(vals.map((v, i) => [X[i], y[0](v.post[0][j])]));
      g.uLines[j].setAttribute("d", j === sel ? "M0 0" : d);
      if (j === sel) g.uSel.setAttribute("d", d);
    }
    g.zLine.setAttribute("d", pathD(vals.map((v, i) => [X[i], y[0](v.pre[0][sel])])));
    for (let k = 0; k < n2; k++) g.vLines[k].setAttribute("d", pathD(vals.map((v, i) => [X[i], y[1](v.post[1][k])])));
    const y0 = y[1](0);
    g.vMarks.setAttribute("d", r.switches.filter((s) => s.layer === 1).map((s) => {
      const px = x(s.x);
      return `M${px - 4} ${y0 - 4}L${px + 4} ${y0 + 4}M${px - 4} ${y0 + 4}L${px + 4} ${y0 - 4}`;
    }).join("") || "M0 0");
    g.f.setAttribute("d", pathD(vals.map((v, i) => [X[i], y[2](v.out[0])])));
    const [ft, fb] = [y[2].range[1], y[2].range[0]];
    g.fKinks.setAttribute("d", r.knots.slice(1, -1).map((k) => `M${x(k).toFixed(1)} ${ft}V${fb}`).join("") || "M0 0");
    layer.f.title.textContent = `output f = \u03a3 a\u2096 v\u2096 + d: ${r.pieces} linear pieces`;
    // kink handles: on the axis, staggered downwards in rows where they would overlap (24 px apart at least;
    // rows ROW px apart, so no handle's 12 px hit area covers another's centre)
    const kx = params[0][1].map((b, j) => {
      const w = params[0][0][0][j];
      return w === 0 ? (lo + hi) / 2 : Math.min(hi, Math.max(lo, -b / w));
    });
    const order = kx.map((v, j) => j).sort((a, c) => kx[a] - kx[c]);
    const rowEnd = [];
    const row = new Array(n1).fill(0);
    for (const j of order) {
      if (params[0][0][0][j] === 0) continue;
      let r = rowEnd.findIndex((px) => x(kx[j]) - px >= 24);
      if (r < 0) r = rowEnd.length < ROWS ? rowEnd.length : rowEnd.indexOf(Math.min(...rowEnd));
      rowEnd[r] = x(kx[j]);
      row[j] = r;
    }
    const y0u = y[0](0);
    g.leaders.setAttribute("d", order.filter((j) => row[j] > 0).map((j) => `M${x(kx[j]).toFixed(1)} ${y0u}v${(row[j] * ROW).toFixed(1)}`).join("") || "M0 0");
    for (let j = 0; j < n1; j++) {
      const w = params[0][0][0][j], b = params[0][1][j];
      const xk = -b / w;
      const inside = w !== 0 && xk >= lo && xk <= hi;
      const h = g.kinks[j];
      h.mark.setAttribute("fill", j === sel ? "var(--rl-blue)" : inside ? "var(--rl-faint)" : "var(--rl-bg)");
      h.mark.setAttribute("stroke", j === sel ? "var(--rl-bg)" : "var(--rl-muted)");
      h.update({
        x: x(kx[j]), y: y0u + row[j] * ROW, value: kx[j],
        text: w === 0 ? `unit u${j + 1} has slope 0: no kink` : `kink at x = ${fmtPlain(xk)}${inside ? "" : ", outside the interval"}`,
        hidden: w === 0,
      });
    }
    const p = pivot || pivotOf(sel);
    const w = params[0][0][0][sel];
    const hy = Math.min(y[0].range[0], Math.max(y[0].range[1], y[0](p.z0 + w * p.d)));
    g.slope.update({ x: x(p.x0 + p.d), y: hy, value: w, min: -Math.max(5, 2 * Math.abs(w)), max: Math.max(5, 2 * Math.abs(w)), text: `slope of u${sel + 1} = ${fmtPlain(w)}` });
    g.slope.g.setAttribute("aria-label", `slope of first-layer unit u${sel + 1}`);
    count.textContent = `${r.pieces} linear pieces`;
    el.dataset.count = String(r.pieces);
    countRest.textContent = ` on [${fmt(lo, 1)}, ${fmt(hi, 1)}], ${r.breakpoints.length} switch points (the starting network has ${startPieces}). Output bias d = ${fmt(params[params.length - 1][1][0])}.`;
    bSel.textContent = `Selected: u${sel + 1}`;
    unitLine.textContent = `u${sel + 1}: ${unitText(sel)}.`;
    const byUnit = r.switches.map((s) => `${unitName(s.layer, s.unit)} ${s.turnsOn ? "on" : "off"} at ${fmt(s.x)}`);
    switchLine.textContent = `Switches, left to right: ${byUnit.join("; ") || "none"}.`;
    if (full) table(r);
    frame++;
  }

  function table(r) {
    const t = html("table", {});
    const head = html("tr", {}, html("thead", {}, t));
    for (const c of ["from x", "to x", "slope", "intercept", "units switching at its left end"]) html("th", { scope: "col" }, head, c);
    const body = html("tbody", {}, t);
    for (let i = 0; i < r.pieces; i++) {
      const row = html("tr", {}, body);
      const at = r.knots[i];
      const names = i === 0 ? "" : r.switches.filter((s) => s.x === at).map((s) => unitName(s.layer, s.unit)).join(", ");
      for (const c of [fmt(r.knots[i], 3), fmt(r.knots[i + 1], 3), fmt(r.slopes[i], 3), fmt(r.intercepts[i], 3), names])
        html("td", {}, row, c);
    }
    tableBox.replaceChildren(t);
  }

  let startPieces = core.breakpoints1d(start, lo, hi).pieces;
  g.fStartPath = () => {
    const r = core.breakpoints1d(start, lo, hi);
    const pts = [lo, ...r.breakpoints, hi];
    g.fStart.setAttribute("d", pathD(pts.map((p) => [x(p), y[2](core.layers(start, [p]).out[0])])));
  };
  const disconnect = onWidth(el, (w) => { build(w); g.fStartPath(); });

  const onParams = () => {
    if (ownChange || JSON.stringify(model.get("params")) === JSON.stringify(params)) return;
    params = copy(model.get("params"));
    start = copy(params);
    startPieces = core.breakpoints1d(start, lo, hi).pieces;
    yr = ranges(params, lo, hi);
    n1 = params[0][1].length;
    n2 = params.length > 2 ? params[1][1].length : 0;
    sel = Math.min(sel, n1 - 1);
    build(W);
    g.fStartPath();
    sr(`new weights: ${startPieces} linear pieces`);
  };
  model.on("change:params", onParams);
  el.relulabBench = { frames: () => frame };
  return () => { disconnect(); model.off("change:params", onParams); };
}

export default { render };
