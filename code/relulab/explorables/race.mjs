// "The race" (what-is-relu chapter): ReLU, tanh and sigmoid networks, identical but for the activation
// and its standard initialisation, train side by side on the digits from the same normal draws and on
// the same minibatches, as in the chapter's fair race; live training error and loss, and the step at
// which each first reaches the target error. The training is train.mjs (checked against JAX and optax).
// State: digits, runners [{label, activation, init, scale, learning_rate, learning_rates, color, dash}],
// sizes, seed, steps, speed, target, window, batch_size, momentum; the view writes `result` back.
import * as T from "./train.mjs";
import { html, onWidth, svg, useTheme } from "./ui.mjs";
import { Loop, LineChart, decodeDigits, legend, num, onWebsite, playButton, readLink, select, shareButton, throttledAnnouncer, warmUp } from "./train_view.mjs";

const VIEW = "race";
const SPEEDS = { slow: ["slow", 10], normal: ["normal", 60], fast: ["as fast as possible", Infinity] };
const STEPS = [100, 300, 1000];

function render({ model, el }) {
  useTheme(el);
  el.replaceChildren();
  const root = html("div", { class: "rl-race" }, el);
  const runners = model.get("runners").map((r) => ({ ...r, on: true }));
  const sizes = model.get("sizes");
  const target = model.get("target"), windowSize = model.get("window"), batch = model.get("batch_size"), momentum = model.get("momentum");
  let seed = model.get("seed"), steps = model.get("steps"), speed = model.get("speed");

  const linked = readLink(VIEW);
  if (linked) {
    if (/^\d{1,10}$/.test(linked.seed ?? "") && Number(linked.seed) <= 0xffffffff) seed = Number(linked.seed);
    if (STEPS.includes(Number(linked.steps))) steps = Number(linked.steps);
    runners.forEach((r, i) => {
      const lr = Number(linked[`lr${i}`]);
      if (r.learning_rates.includes(lr)) r.learning_rate = lr;
      if (linked[`on${i}`] === "0") r.on = false;
    });
    model.set("seed", seed);
    model.set("steps", steps);
    model.set("runners", runners.map(({ on, ...r }) => r));
    model.save_changes();
  }
  const sets = decodeDigits(model.get("digits"));

  html("p", { class: "rl-hint" }, root,
    `Press Play: the networks start from the same random draws, scaled by each one's initialisation, and see the same ` +
    `minibatches. Each has its own learning rate (the one it trains fastest with in the chapter). The table says when ` +
    `each first gets the training error of a block of ${windowSize} steps down to ${num(100 * target)}%.`);
  const rowA = html("div", { class: "rl-row", role: "group", "aria-label": "Race controls" }, root);
  const play = html("button", { type: "button", "aria-pressed": "false" }, rowA, "Play");
  const stepButton = html("button", { type: "button" }, rowA, "One step");
  const resetButton = html("button", { type: "button" }, rowA, "Reset");
  const seedLabel = html("label", { style: "white-space:nowrap" }, rowA, "Seed ");
  const seedInput = html("input", { type: "number", min: 0, max: 4294967295, step: 1, value: seed, style: "width:6.5rem" }, seedLabel);
  select(rowA, "Speed", Object.entries(SPEEDS).map(([k, [t]]) => [k, t]), speed, (v) => { speed = v; loop.credit = 0; });
  const stepsSelect = select(rowA, "Stop at step", STEPS.map((s) => [s, String(s)]), steps, (v) => { steps = Number(v); model.set("steps", steps); model.save_changes(); reset(); });
  const say = throttledAnnouncer(root);
  const rowB = html("div", { class: "rl-row" }, root);
  if (onWebsite(el)) {
    shareButton(rowB, VIEW, () => {
      const out = { seed, steps };
      runners.forEach((r, i) => { out[`lr${i}`] = r.learning_rate; out[`on${i}`] = r.on ? 1 : 0; });
      return out;
    }, say);
  }

  const tableBox = html("div", { class: "rl-table" }, root);
  const table = html("table", {}, tableBox);
  html("caption", { class: "rl-hint", style: "text-align:left" }, table, `Runners: network ${sizes.join("\u2013")}, SGD with momentum ${momentum}, minibatches of ${batch}, softmax cross-entropy.`);
  const head = html("tr", {}, html("thead", {}, table));
  for (const h of ["runner", "in the race", "learning rate", `steps to ${num(100 * target)}% error`, "training error", "training loss"]) html("th", { scope: "col" }, head, h);
  const body = html("tbody", {}, table);
  const cells = runners.map((r, i) => {
    const tr = html("tr", {}, body);
    const name = html("th", { scope: "row", style: "text-align:left;white-space:nowrap" }, tr);
    const swatch = svg("svg", { width: 26, height: 10, "aria-hidden": "true", style: "display:inline-block;margin-right:.3rem" }, name);
    svg("line", { x1: 1, x2: 25, y1: 5, y2: 5, stroke: r.color, "stroke-width": 2.2, "stroke-dasharray": r.dash || null }, swatch);
    name.append(r.label);
    const onCell = html("td", {}, tr);
    const box = html("input", { type: "checkbox", checked: r.on, "aria-label": `${r.label} in the race` }, onCell);
    box.addEventListener("change", () => { r.on = box.checked; reset(); });
    const lrCell = html("td", {}, tr);
    const lr = html("select", { "aria-label": `learning rate of ${r.label}` }, lrCell);
    for (const v of r.learning_rates) html("option", { value: String(v), selected: v === r.learning_rate }, lr, num(v));
    lr.addEventListener("change", () => { r.learning_rate = Number(lr.value); writeRunners(); reset(); });
    return { box, lr, reached: html("td", {}, tr), error: html("td", {}, tr), loss: html("td", {}, tr) };
  });
  const status = html("p", { class: "rl-readout" }, root);
  const charts = html("div", { style: "display:flex;flex-wrap:wrap;gap:.5rem 1rem" }, root);
  const errBox = html("div", {}, charts), lossBox = html("div", {}, charts);
  const lines = runners.map((r) => ({ color: r.color, dash: r.dash, label: r.label }));
  const errChart = new LineChart(errBox, { label: "Training error against the step", xLabel: "step", yLabel: `training error (blocks of ${windowSize} steps)`, yMin: 0, yMax: 1, lines });
  const lossChart = new LineChart(lossBox, { label: "Training loss against the step", xLabel: "step", yLabel: "training loss (log scale)", log: true, lines });
  legend(charts, lines).style.flexBasis = "100%";

  // ---------------------------------------------------------------- the race
  let racers, t, state, width = 640, version = 0;

  function build() {
    racers = runners.map((r) => ({
      runner: r,
      trainer: r.on ? new T.Trainer({ sizes, init: r.init, seed, scale: r.scale, activation: r.activation, loss: "cross_entropy",
        optimizer: T.sgd(r.learning_rate, { momentum }), data: sets.train, batchSize: batch }) : null,
      block: { loss: 0, right: 0, n: 0 },
      error: [], loss: [], reached: null, diverged: null,
    }));
    t = 0;
    state = "ready";
    version += 1;
    sync();
  }

  function raceStep() {
    for (const c of racers) {
      if (!c.trainer || c.diverged !== null) continue;
      const loss = c.trainer.step();
      if (!Number.isFinite(loss) || !c.trainer.finite()) { c.diverged = t + 1; continue; }
      c.block.loss += loss;
      c.block.right += c.trainer.batchAccuracy;
      c.block.n += 1;
    }
    t += 1;
    if (t % windowSize === 0) {
      for (const c of racers) {
        if (!c.trainer || c.block.n === 0) continue;
        const error = 1 - c.block.right / c.block.n;
        c.error.push([t, error]);
        c.loss.push([t, c.block.loss / c.block.n]);
        if (c.reached === null && error <= target) c.reached = t;
        c.block = { loss: 0, right: 0, n: 0 };
      }
      version += 1;
    }
  }

  function work(deadline) {
    loop.accrue(SPEEDS[speed][1]);
    while (performance.now() < deadline && loop.spend()) {
      raceStep();
      if (t === steps) { finish(); return false; }
      if (racers.every((c) => !c.trainer || c.diverged !== null)) { finish(); return false; }
    }
    return true;
  }

  const loop = new Loop(el, { work, draw, budget: 10 });
  el.relulabLoop = loop; // for benchmarks/bench_train_explorables.py: the frames' work and drawing times

  const { setPlaying, finish, restart } = playButton(loop, { get: () => state, set: (s) => { state = s; } }, (write) => {
    if (write) writeBack();
    sync();
    draw(true);
    announce(true);
  });

  const reset = () => restart(build);

  function writeRunners() {
    model.set("runners", runners.map(({ on, ...r }) => r));
    model.save_changes();
  }

  function writeBack() {
    model.set("result", {
      step: t, state, seed,
      runners: racers.map((c) => ({
        label: c.runner.label, learning_rate: c.runner.learning_rate, racing: Boolean(c.trainer), steps_to_target: c.reached,
        error: c.error.length ? c.error[c.error.length - 1][1] : null, loss: c.loss.length ? c.loss[c.loss.length - 1][1] : null, diverged_at: c.diverged,
      })),
    });
    model.save_changes();
  }

  play.addEventListener("click", () => setPlaying(state !== "playing"));
  stepButton.addEventListener("click", () => {
    loop.stop();
    if (racers.some((c) => c.trainer && c.diverged === null)) raceStep();
    state = t >= steps ? "finished" : "paused";
    sync();
    writeBack();
    draw(true);
    announce(true);
  });
  resetButton.addEventListener("click", reset);
  seedInput.addEventListener("change", () => {
    const v = Number(seedInput.value);
    if (Number.isInteger(v) && v >= 0 && v <= 0xffffffff) {
      seed = v;
      model.set("seed", seed);
      model.save_changes();
      reset();
    } else seedInput.value = String(seed);
  });

  function sync() {
    play.textContent = state === "playing" ? "Pause" : state === "finished" ? "Keep training" : "Play";
    play.setAttribute("aria-pressed", String(state === "playing"));
    seedInput.value = String(seed);
    stepsSelect.value = String(steps);
    runners.forEach((r, i) => { cells[i].box.checked = r.on; cells[i].lr.value = String(r.learning_rate); });
    el.dataset.state = state;
  }

  function reachedText(c) {
    if (!c.trainer) return "not racing";
    if (c.diverged !== null) return `diverged at step ${c.diverged}`;
    if (c.reached !== null) return `step ${c.reached}`;
    return t >= steps ? `not within ${t}` : "not yet";
  }

  function announce(force = false) {
    const parts = racers.filter((c) => c.trainer).map((c) => `${c.runner.label}: ${c.reached !== null ? `reached at step ${c.reached}` : c.diverged !== null ? `diverged at step ${c.diverged}` : "not yet"}`);
    const text = `Step ${t}${state === "finished" ? ", race over" : ""}. ${parts.join("; ")}.`;
    if (force || text !== announce.last) {
      announce.last = text;
      say(text);
    }
  }

  let drawnVersion = -1, drawnWidth = -1, drawnState = null, lastDraw = -Infinity;
  function draw(force = false) {
    const now = performance.now();
    const stale = version !== drawnVersion || width !== drawnWidth || state !== drawnState;
    if (!force && (!stale || (state === "playing" && now - lastDraw < 60))) return;
    drawnVersion = version;
    drawnWidth = width;
    drawnState = state;
    lastDraw = now;
    // past the race's last step ("Keep training"), the count has no "of N" and says the race is over
    const count = t > steps ? `Step ${t}, after the race of ${steps}` : `Step ${t} of ${steps}`;
    status.textContent = `${count}${state === "finished" ? " (race over)" : state === "paused" ? " (paused)" : ""}.`;
    el.dataset.step = String(t);
    el.dataset.reached = racers.map((c) => (c.reached === null ? "" : c.reached)).join(",");
    racers.forEach((c, i) => {
      cells[i].reached.textContent = reachedText(c);
      const last = (arr) => (arr.length ? arr[arr.length - 1][1] : NaN);
      cells[i].error.textContent = c.trainer && c.error.length ? `${num(100 * last(c.error))}%` : "\u2013";
      cells[i].loss.textContent = c.trainer && c.loss.length ? num(last(c.loss)) : "\u2013";
    });
    const narrow = width < 700;
    const cw = narrow ? width : Math.floor((width - 16) / 2);
    errChart.resize(cw);
    lossChart.resize(cw);
    const xMax = Math.max(steps, t);
    errChart.update(racers.map((c) => c.error), xMax, [{ y: target, label: `target ${num(100 * target)}%` }]);
    lossChart.update(racers.map((c) => c.loss), xMax);
    announce();
  }

  build();
  const stopWarm = warmUp(T, [...new Set(runners.map((r) => r.activation))].map((activation) => ({ sizes, activation, loss: "cross_entropy" })));
  const stopWidth = onWidth(root, (w) => { width = w; draw(true); });
  if (linked) root.scrollIntoView({ block: "start" });
  const onModel = () => {
    const s = model.get("seed");
    if (Number.isInteger(s) && s !== seed) { seed = s; reset(); }
  };
  model.on("change:seed", onModel);
  return () => {
    loop.destroy();
    stopWarm();
    stopWidth();
    say.cancel();
    model.off("change:seed", onModel);
  };
}

export default { render };
