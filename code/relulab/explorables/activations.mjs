// "The activation family" (what-is-relu chapter): pick an activation, move x (drag the handle, click a
// panel, or arrow keys), read f(x) and f'(x), and see where the derivative jumps (ReLU, leaky ReLU), bends
// (ELU) or is smooth. The functions are core.ACTIVATIONS (checked against relulab.activations and
// jax.grad). State: activation, x, lo, hi.
import * as core from "./core.mjs";
import { Handle, fmt, fmtPlain, html, liveRegion, onWidth, pathD, pointerIn, scale, svg, ticks, useTheme } from "./ui.mjs";

const NAMES = Object.keys(core.ACTIVATIONS);

function kinkText(name) {
  const a = core.ACTIVATIONS[name];
  if (!a.kinks.length) return `${a.label}: f\u2032 is continuous everywhere, so f has no kink.`;
  const k = a.kinks[0];
  if (!k.jump) return `${a.label}: f\u2032 is continuous at x = ${fmt(k.x, 0)} but has a corner there (f is continuously differentiable, not smooth).`;
  const left = a.df(k.x - 1e-12), right = a.df(k.x + 1e-12);
  return `${a.label}: f\u2032 jumps from ${fmt(left)} to ${fmt(right)} at x = ${fmt(k.x, 0)}, where f has a kink ` +
    `(jax.grad, like this figure, takes f\u2032(0) = ${fmt(a.df(k.x))}).`;
}

/** An SVG path of fn on the grid xs, broken (no vertical segment) at each jump of fn. */
function curvePath(p, fn, jumps, range, xs) {
  const clamp = (v) => Math.min(range[1] + 1, Math.max(range[0] - 1, v));
  const pts = [];
  let prev = null;
  for (const x of xs) {
    if (jumps.includes(x)) continue;
    for (const j of jumps)
      if (prev !== null && prev < j && x > j) pts.push([p.x(j), p.y(clamp(fn(j - 1e-12)))], null, [p.x(j), p.y(clamp(fn(j + 1e-12)))]);
    pts.push([p.x(x), p.y(clamp(fn(x)))]);
    prev = x;
  }
  return pathD(pts);
}

function render({ model, el }) {
  useTheme(el);
  el.replaceChildren();
  const lo = model.get("lo"), hi = model.get("hi");
  let name = NAMES.includes(model.get("activation")) ? model.get("activation") : "relu";
  let xv = model.get("x");

  html("p", { class: "rl-hint" }, el,
    "Choose an activation, then drag the handle along the x axis, click either panel, or focus the handle and use the arrow keys.");
  const fs = html("fieldset", { class: "rl-row", style: "border:0;padding:0;margin:.35rem 0" }, el);
  html("legend", { class: "rl-sr" }, fs, "Activation");
  const radios = NAMES.map((n) => {
    const lab = html("label", { style: "white-space:nowrap" }, fs);
    const r = html("input", { type: "radio", name: `rl-act-${Math.random().toString(36).slice(2)}`, value: n, checked: n === name }, lab);
    lab.append(" " + core.ACTIVATIONS[n].label);
    r.addEventListener("change", () => { if (r.checked) { name = n; draw(true); save(); } });
    return r;
  });
  const sr = liveRegion(el);
  const plot = svg("svg", { class: "rl-plot", role: "group", "aria-label": "The activation and its derivative" }, el);
  const readout = html("p", { class: "rl-readout rl-count" }, el);
  const kink = html("p", { class: "rl-readout" }, el);

  let panels = [], handle, W = 640;
  const yr = [[-1.6, 4.2], [-0.35, 1.35]];
  function build(width) {
    W = Math.max(290, width);
    plot.replaceChildren();
    const side = W >= 600;
    const pw = side ? (W - 20) / 2 : W, ph = 210;
    plot.setAttribute("width", W);
    plot.setAttribute("height", side ? ph + 60 : 2 * ph + 110);
    panels = ["f(x)", "f\u2032(x)"].map((title, i) => {
      const ox = side ? i * (pw + 20) : 0, oy = side ? 24 : 24 + i * (ph + 55);
      const x = scale(lo, hi, ox + 40, ox + pw - 8);
      const y = scale(yr[i][0], yr[i][1], oy + ph, oy);
      const g = svg("g", {}, plot);
      const bg = svg("rect", { x: ox + 40, y: oy, width: pw - 48, height: ph, fill: "var(--rl-panel)", stroke: "var(--rl-grid)" }, g);
      bg.addEventListener("pointerdown", (e) => { setX(x.invert(pointerIn(plot, e)[0])); save(); });
      svg("line", { class: "rl-axis", x1: x(lo), x2: x(hi), y1: y(0), y2: y(0) }, g);
      svg("line", { class: "rl-axis", x1: x(0), x2: x(0), y1: oy, y2: oy + ph }, g);
      if (i === 1) svg("line", { class: "rl-grid", x1: x(lo), x2: x(hi), y1: y(1), y2: y(1), "stroke-dasharray": "3 3" }, g);
      ticks(g, x, { axis: "x", at: oy + ph, count: 4, digits: 0 });
      ticks(g, y, { axis: "y", at: ox + 40, count: 4 });
      svg("text", { class: "rl-title", x: ox + 40, y: oy - 7 }, g).textContent = title;
      const ref = svg("path", { fill: "none", stroke: "var(--rl-faint)", "stroke-width": 1.2, "stroke-dasharray": "4 3" }, g);
      const curve = svg("path", { fill: "none", stroke: "var(--rl-blue)", "stroke-width": 2.4, "pointer-events": "none" }, g);
      const marks = svg("g", {}, g);
      const vline = svg("line", { stroke: "var(--rl-vermillion)", "stroke-width": 1, "stroke-dasharray": "3 2" }, g);
      const dot = svg("circle", { r: 5, fill: "var(--rl-vermillion)", stroke: "var(--rl-bg)", "stroke-width": 1.5 }, g);
      return { x, y, ref, curve, marks, vline, dot, oy, ph };
    });
    const p0 = panels[0];
    handle = new Handle(svg("g", {}, plot), {
      label: "input x", min: lo, max: hi, step: (hi - lo) / 80, radius: 7, color: "var(--rl-vermillion)",
      fromPointer: ([px]) => p0.x.invert(px),
      onInput: (v) => setX(v),
      onCommit: () => save(),
    });
    draw(true);
  }

  function setX(v) { xv = Math.min(hi, Math.max(lo, v)); draw(false); }
  function save() {
    model.set("activation", name);
    model.set("x", xv);
    model.save_changes();
    sr(readout.textContent);
  }

  function draw(curves) {
    const a = core.ACTIVATIONS[name];
    if (curves) {
      const n = 400;
      const xs = Array.from({ length: n + 1 }, (_, i) => lo + ((hi - lo) * i) / n);
      const jumps = a.kinks.filter((k) => k.jump).map((k) => k.x);
      panels.forEach((p, i) => {
        p.curve.setAttribute("d", curvePath(p, i === 0 ? a.f : a.df, jumps, yr[i], xs));
        const relu = core.ACTIVATIONS.relu;
        p.ref.setAttribute("d", name === "relu" ? "M0 0" : curvePath(p, i === 0 ? relu.f : relu.df, [0], yr[i], xs));
        p.marks.replaceChildren();
        if (i === 1) for (const k of a.kinks.filter((q) => q.jump)) {
          const left = a.df(k.x - 1e-12), right = a.df(k.x + 1e-12), at = a.df(k.x);
          for (const v of [left, right]) svg("circle", { cx: p.x(k.x), cy: p.y(v), r: 4, fill: v === at ? "var(--rl-blue)" : "var(--rl-bg)", stroke: "var(--rl-blue)", "stroke-width": 1.8 }, p.marks);
        }
      });
      kink.textContent = kinkText(name);
      radios.forEach((r) => { r.checked = r.value === name; });
    }
    const fx = a.f(xv), dfx = a.df(xv);
    panels.forEach((p, i) => {
      const v = i === 0 ? fx : dfx;
      p.vline.setAttribute("x1", p.x(xv)); p.vline.setAttribute("x2", p.x(xv));
      p.vline.setAttribute("y1", p.oy); p.vline.setAttribute("y2", p.oy + p.ph);
      p.dot.setAttribute("cx", p.x(xv)); p.dot.setAttribute("cy", p.y(Math.min(yr[i][1], Math.max(yr[i][0], v))));
    });
    handle.update({ x: panels[0].x(xv), y: panels[0].y(0), value: xv, text: `x = ${fmtPlain(xv)}` });
    readout.textContent = `${a.label}: f(${fmt(xv)}) = ${fmt(fx, 3)}, f\u2032(${fmt(xv)}) = ${fmt(dfx, 3)}`;
  }

  const disconnect = onWidth(el, build);
  const onChange = () => {
    name = NAMES.includes(model.get("activation")) ? model.get("activation") : name;
    xv = model.get("x");
    draw(true);
  };
  model.on("change:activation", onChange);
  model.on("change:x", () => { if (model.get("x") !== xv) onChange(); });
  return () => { disconnect(); model.off("change:activation", onChange); };
}

export default { render };
