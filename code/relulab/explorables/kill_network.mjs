// "Kill a network" (should-i-use-relu chapter): a network trains live in the reader's browser at the
// learning rate, initialisation, width, depth and activation they choose, on the chapter's bench (the
// digits) or on a 1-D curve; the loss, the fit and the dead units of every layer update as it trains.
// A unit is dead when its output is exactly 0 on every training input (relulab.dead). The training is
// train.mjs (checked against JAX and optax); the run is set by its settings and seed, which the page's
// link can carry.
// State: digits, curve (the data), data, learning_rate, learning_rates (the slider's values),
// activation, init, width, depth, optimizer, seed, steps, speed; the view writes `result` back.
import * as T from "./train.mjs";
import { html, onWidth, svg, useTheme } from "./ui.mjs";
import { Loop, LineChart, decodeCurve, decodeDigits, legend, num, onWebsite, playButton, readLink, select, shareButton, throttledAnnouncer, warmUp } from "./train_view.mjs";

const VIEW = "kill";
const DATASETS = {
  digits: { label: "digits (the chapter's bench)", loss: "cross_entropy", batch: 32, replace: true, every: 10, steps: 400 },
  curve: { label: "curve: 200 points of sin(\u03c0x)", loss: "mse", batch: null, replace: false, every: 5, steps: 2000 },
};
const ACT_LABELS = { relu: "ReLU", leaky_relu: "leaky ReLU (0.01)", elu: "ELU", gelu: "GELU", softplus: "softplus", tanh: "tanh", sigmoid: "sigmoid" };
const INIT_LABELS = { he: "He", glorot: "Glorot", lecun: "LeCun" };
const WIDTHS = [1, 2, 4, 8, 16, 32, 64];
const DEPTHS = [1, 2, 3, 4, 5, 6, 8];
const STEPS = [100, 200, 400, 1000, 2000, 5000, 20000];
const SPEEDS = { slow: ["slow", 30], normal: ["normal", null], fast: ["as fast as possible", Infinity] };
const NORMAL_RATE = { digits: 200, curve: 600 }; // steps per second at the normal speed
const LAYER_COLOURS = ["var(--rl-blue)", "var(--rl-vermillion)", "var(--rl-green)", "var(--rl-orange)", "var(--rl-purple)", "var(--rl-sky)", "var(--rl-black)", "var(--rl-faint)"];
const LAYER_DASHES = ["", "6 3", "6 2 1.5 2", "1.5 2", "5 1 1 1", "1 1", "", "6 3"];
const DIGITS_LINES = [{ color: "var(--rl-blue)", label: "training set" }, { color: "var(--rl-vermillion)", dash: "6 3", label: "test set" }];
const CURVE_LINES = [{ color: "var(--rl-faint)", label: "data, sin(\u03c0x)", width: 3 }, { color: "var(--rl-blue)", label: "network", always: true }];
const KEYS = { data: "data", lr: "learning_rate", act: "activation", init: "init", width: "width", depth: "depth", opt: "optimizer", seed: "seed", steps: "steps" };

function checkSetting(name, value, model) {
  const v = String(value);
  switch (name) {
    case "data": return v in DATASETS ? v : null;
    case "activation": return T.ACTIVATIONS.includes(v) ? v : null;
    case "init": return T.INITS.includes(v) ? v : null;
    case "optimizer": return T.OPTIMIZERS.includes(v) ? v : null;
    case "width": return WIDTHS.includes(Number(v)) ? Number(v) : null;
    case "depth": return DEPTHS.includes(Number(v)) ? Number(v) : null;
    case "steps": return STEPS.includes(Number(v)) ? Number(v) : null;
    case "seed": return /^\d{1,10}$/.test(v) && Number(v) <= 0xffffffff ? Number(v) : null;
    case "learning_rate": return model.get("learning_rates").includes(Number(v)) ? Number(v) : null;
    default: return null;
  }
}

function render({ model, el }) {
  useTheme(el);
  el.replaceChildren();
  const root = html("div", { class: "rl-kill" }, el);
  const uid = `rl-kill-${Math.random().toString(36).slice(2, 9)}`;

  // ---------------------------------------------------------------- settings
  const settings = {};
  for (const key of Object.values(KEYS)) settings[key] = model.get(key);
  settings.speed = model.get("speed");
  const linked = readLink(VIEW);
  if (linked) {
    for (const [short, key] of Object.entries(KEYS)) {
      const v = linked[short] === undefined ? null : checkSetting(key, linked[short], model);
      if (v !== null && v !== settings[key]) {
        settings[key] = v;
        model.set(key, v);
      }
    }
    model.save_changes();
  }
  const sets = {};
  const data = () => {
    if (!sets[settings.data]) sets[settings.data] = settings.data === "digits" ? decodeDigits(model.get("digits")) : { train: decodeCurve(model.get("curve")), test: null };
    return sets[settings.data];
  };

  html("p", { class: "rl-hint" }, root,
    "Press Play to train. Then raise the learning rate (a new setting starts a new run from the same network), press Play again and watch the dead units " +
    "(dark cells) in each hidden layer. Every control works from the keyboard: Tab to it, then Enter, Space or the arrow keys.");
  const rowA = html("div", { class: "rl-row", role: "group", "aria-label": "Run controls" }, root);
  const play = html("button", { type: "button", "aria-pressed": "false" }, rowA, "Play");
  const stepButton = html("button", { type: "button" }, rowA, "One step");
  const resetButton = html("button", { type: "button" }, rowA, "Reset");
  const seedLabel = html("label", { style: "white-space:nowrap" }, rowA, "Seed ");
  const seedInput = html("input", { type: "number", min: 0, max: 4294967295, step: 1, value: settings.seed, style: "width:6.5rem" }, seedLabel);
  const speedSelect = select(rowA, "Speed", Object.entries(SPEEDS).map(([k, [t]]) => [k, t]), settings.speed, (v) => { settings.speed = v; });

  const rowB = html("div", { class: "rl-row", role: "group", "aria-label": "Learning rate" }, root);
  const lrs = model.get("learning_rates");
  const lrLabel = html("label", { for: `${el.id || "rl"}-lr`, style: "white-space:nowrap" }, rowB, "Learning rate");
  const lrInput = html("input", { type: "range", min: 0, max: lrs.length - 1, step: 1, value: Math.max(0, lrs.indexOf(settings.learning_rate)) }, rowB);
  lrLabel.addEventListener("click", () => lrInput.focus());
  lrInput.setAttribute("aria-label", "Learning rate");
  const lrOut = html("output", { class: "rl-count", "aria-hidden": "true" }, rowB);

  const rowC = html("div", { class: "rl-row", role: "group", "aria-label": "Network and data" }, root);
  const controls = {
    data: select(rowC, "Data", Object.entries(DATASETS).map(([k, d]) => [k, d.label]), settings.data, (v) => change("data", v)),
    activation: select(rowC, "Activation", T.ACTIVATIONS.map((a) => [a, ACT_LABELS[a]]), settings.activation, (v) => change("activation", v)),
    init: select(rowC, "Initialisation", T.INITS.map((i) => [i, INIT_LABELS[i]]), settings.init, (v) => change("init", v)),
    width: select(rowC, "Width", WIDTHS.map((w) => [w, String(w)]), settings.width, (v) => change("width", v)),
    depth: select(rowC, "Hidden layers", DEPTHS.map((d) => [d, String(d)]), settings.depth, (v) => change("depth", v)),
    optimizer: select(rowC, "Optimiser", [["sgd", "SGD"], ["adam", "Adam"]], settings.optimizer, (v) => change("optimizer", v)),
    steps: select(rowC, "Stop at step", STEPS.map((s) => [s, String(s)]), settings.steps, (v) => change("steps", v)),
  };
  const rowD = html("div", { class: "rl-row" }, root);
  const describe = html("span", { class: "rl-hint" }, rowD);
  const say = throttledAnnouncer(root);
  if (onWebsite(el)) {
    shareButton(rowD, VIEW, () => Object.fromEntries(Object.entries(KEYS).map(([short, key]) => [short, settings[key]])), say);
  }

  const status = html("p", { class: "rl-readout" }, root);
  const alert = html("p", { class: "rl-readout", role: "alert", style: "color:var(--rl-vermillion);font-weight:600" }, root);
  const charts = html("div", { style: "display:flex;flex-wrap:wrap;gap:.5rem 1rem" }, root);
  const lossBox = html("div", {}, charts), fitBox = html("div", {}, charts);
  const lossChart = new LineChart(lossBox, { label: "Training loss against the step", xLabel: "step", yLabel: "training loss (log scale)", log: true, lines: [{ color: "var(--rl-blue)" }] });
  const fitChart = new LineChart(fitBox, { label: "The fit", xLabel: "", yLabel: "", lines: [] });
  const fitLegend = html("div", {}, fitBox);
  const deadBox = html("div", {}, root);
  const strip = svg("svg", { role: "img", class: "rl-strip" }, deadBox);
  const stripLegend = html("div", { class: "rl-row rl-hint", "aria-hidden": "true" }, deadBox);
  const deadChart = new LineChart(deadBox, { label: "Dead units per layer against the step", xLabel: "step", yLabel: "dead units", yMin: 0, yInteger: true, lines: [], height: 150 });
  const deadLegend = html("div", {}, deadBox);

  // ---------------------------------------------------------------- the run
  let trainer, job, history, snapshot, state, width = 640, version = 0, curvePoints = null;

  function sizes() {
    const d = data().train;
    return [d.nIn, ...Array(settings.depth).fill(settings.width), d.nOut];
  }

  function build() {
    const spec = DATASETS[settings.data];
    const opt = settings.optimizer === "adam" ? T.adam(settings.learning_rate) : T.sgd(settings.learning_rate);
    trainer = new T.Trainer({ sizes: sizes(), init: settings.init, seed: settings.seed, activation: settings.activation, loss: spec.loss, optimizer: opt, data: data().train, batchSize: spec.batch, replace: spec.replace });
    history = { loss: [], trainAcc: [], testAcc: [], dead: sizes().slice(1, -1).map(() => []) };
    curvePoints = null;
    snapshot = null;
    state = "ready";
    job = null;
    alert.textContent = "";
    evaluateNow();
    syncControls();
  }

  /** Records an evaluation of the current parameters (the training set, and the test set if any). */
  function record(train, test) {
    const t = trainer.t;
    snapshot = { step: t, loss: train.loss, accuracy: train.accuracy, testAccuracy: test ? test.accuracy : NaN, units: train.units };
    history.loss.push([t, train.loss]);
    if (settings.data === "digits") {
      history.trainAcc.push([t, train.accuracy]);
      history.testAcc.push([t, test.accuracy]);
    }
    train.units.forEach((u, l) => history.dead[l].push([t, u.dead.filter(Boolean).length]));
    version += 1;
  }

  function evaluateNow() {
    const test = data().test;
    record(trainer.evaluation(data().train).finish(), test ? trainer.evaluation(test).finish() : null);
  }

  /** Starts the evaluation due at the current step (the work loop runs it in slices). */
  function startJob() {
    const test = data().test;
    job = { train: trainer.evaluation(data().train), test: test ? trainer.evaluation(test) : null };
  }

  function runJob(deadline) {
    if (!job.train.run(deadline)) return false;
    if (job.test && !job.test.run(deadline)) return false;
    record(job.train.finish(), job.test ? job.test.finish() : null);
    job = null;
    return true;
  }

  function work(deadline) {
    const spec = DATASETS[settings.data];
    loop.accrue(settings.speed === "normal" ? NORMAL_RATE[settings.data] : SPEEDS[settings.speed][1]);
    while (performance.now() < deadline) {
      if (job) {
        if (!runJob(deadline)) return true;
        if (!Number.isFinite(snapshot.loss)) { diverge(); return false; }
        if (trainer.t === settings.steps) { finish(); return false; }
        continue;
      }
      if (!loop.spend()) return true;
      const loss = trainer.step();
      if (!Number.isFinite(loss) || !trainer.finite()) { diverge(); return false; }
      if (trainer.t % spec.every === 0 || trainer.t === settings.steps) startJob();
    }
    return true;
  }

  const loop = new Loop(el, { work, draw });
  el.relulabLoop = loop; // for benchmarks/bench_train_explorables.py: the frames' work and drawing times

  const { setPlaying, finish, restart } = playButton(loop, { get: () => state, set: (s) => { state = s; } }, (write) => {
    if (write) writeBack();
    syncControls();
    draw(true);
    announce(true);
  });

  function diverge() {
    loop.stop();
    job = null;
    state = "diverged";
    const last = snapshot;
    alert.textContent = `Diverged at step ${trainer.t}: the loss became ${Number.isNaN(trainer.evaluate().loss) ? "NaN" : "infinite"}, ` +
      "because the steps overshoot and the weights blow up. A diverged network is not a dead one: its units output NaN or " +
      `\u221e, not 0. The cells show the units at step ${last.step}, the last evaluation before the blow-up. Lower the learning rate and press Reset.`;
    syncControls();
    writeBack();
    draw(true);
    announce(true);
  }

  function oneStep() {
    if (state === "diverged") return;
    loop.stop();
    if (job) runJob(Infinity);
    const loss = trainer.step();
    if (!Number.isFinite(loss) || !trainer.finite()) { diverge(); return; }
    evaluateNow();
    state = trainer.t >= settings.steps ? "finished" : "paused";
    syncControls();
    writeBack();
    draw(true);
    announce(true);
  }

  const reset = () => restart(build);

  function change(key, value) {
    const v = checkSetting(key, value, model);
    if (v === null) return;
    settings[key] = v;
    if (key === "data") {
      settings.steps = DATASETS[v].steps;
      controls.steps.value = String(settings.steps);
    }
    model.set(key, v);
    if (key === "data") model.set("steps", settings.steps);
    model.save_changes();
    reset();
  }

  function writeBack() {
    const s = snapshot;
    model.set("result", {
      step: trainer.t, state, loss: s.loss, accuracy: s.accuracy, test_accuracy: s.testAccuracy,
      evaluated_at: s.step, dead: s.units.map((u) => u.dead.filter(Boolean).length), widths: s.units.map((u) => u.dead.length),
      settings: { ...settings },
    });
    model.save_changes();
  }

  // ---------------------------------------------------------------- controls
  play.addEventListener("click", () => setPlaying(state !== "playing"));
  stepButton.addEventListener("click", oneStep);
  resetButton.addEventListener("click", reset);
  seedInput.addEventListener("change", () => change("seed", seedInput.value));
  lrInput.addEventListener("input", () => change("learning_rate", lrs[Number(lrInput.value)]));
  speedSelect.addEventListener("change", () => { loop.credit = 0; });

  function syncControls() {
    play.textContent = state === "playing" ? "Pause" : state === "finished" ? "Keep training" : "Play";
    play.setAttribute("aria-pressed", String(state === "playing"));
    play.disabled = state === "diverged";
    stepButton.disabled = state === "diverged";
    lrInput.value = String(Math.max(0, lrs.indexOf(settings.learning_rate)));
    lrOut.textContent = num(settings.learning_rate);
    lrInput.setAttribute("aria-valuetext", `learning rate ${settings.learning_rate}`);
    seedInput.value = String(settings.seed);
    for (const [key, sel] of Object.entries(controls)) sel.value = String(settings[key]);
    const spec = DATASETS[settings.data];
    describe.textContent = `Network ${sizes().join("\u2013")}, ${ACT_LABELS[settings.activation]} hidden units, ` +
      `${INIT_LABELS[settings.init]} initialisation, ${settings.optimizer === "adam" ? "Adam" : "SGD"}; ` +
      (spec.batch ? `minibatches of ${spec.batch} drawn at random, softmax cross-entropy.` : "full batch, mean squared error.");
    el.dataset.state = state;
  }

  // ---------------------------------------------------------------- drawing
  function deadSummary(s) {
    const counts = s.units.map((u) => u.dead.filter(Boolean).length);
    const total = counts.reduce((a, b) => a + b, 0), units = s.units.reduce((a, u) => a + u.dead.length, 0);
    const layers = counts.map((c, l) => `layer ${l + 1}: ${c} of ${s.units[l].dead.length}`).join(", ");
    return { counts, total, units, layers, text: `${total} of ${units} hidden units dead (${layers})` };
  }

  function statusText() {
    const s = snapshot, d = deadSummary(s);
    const where = state === "diverged" ? `Diverged at step ${trainer.t}` : `Step ${trainer.t}${trainer.t >= settings.steps ? "" : ` of ${settings.steps}`}` +
      (state === "finished" ? " (finished)" : state === "paused" ? " (paused)" : "");
    const acc = settings.data === "digits" ? `, training accuracy ${num(100 * s.accuracy)}%, test accuracy ${num(100 * s.testAccuracy)}%` : "";
    const dead = `${d.total} of ${d.units} hidden units (${d.layers})`;
    // "now", not "at the end": a unit dead at step 0 can revive, so this count may differ from the final one.
    // Mid-run the loss, the accuracies and the dead count all come from the last evaluation: say so once, in front.
    if (s.step === trainer.t) return `${where}. Training loss ${num(s.loss)}${acc}. Dead now: ${dead}.`;
    return `${where}. At step ${s.step} (the last evaluation): training loss ${num(s.loss)}${acc}, dead: ${dead}.`;
  }

  let lastSpoken = "";
  function announce(force = false) {
    const s = snapshot, d = deadSummary(s);
    const text = state === "diverged" ? `Diverged at step ${trainer.t}. Before that, ${d.text}.` :
      `Step ${s.step}: ${d.text}.` + (state === "finished" ? " Finished." : "");
    if (force || text !== lastSpoken) {
      lastSpoken = text;
      say(text);
    }
  }

  let stripKey = null, cells = [], stripNote = null;
  function drawStrip() {
    const s = snapshot;
    const layers = s.units;
    const maxUnits = Math.max(...layers.map((u) => u.dead.length));
    const label = 64, cell = Math.max(4, Math.min(22, Math.floor((width - label - 4) / maxUnits))), gap = cell > 8 ? 2 : 1;
    const H = layers.length * (cell + 6) + 18;
    const key = `${width}:${layers.map((u) => u.dead.length).join(",")}`;
    if (key !== stripKey) {
      stripKey = key;
      strip.replaceChildren();
      strip.setAttribute("width", width);
      strip.setAttribute("height", H);
      const defs = svg("defs", {}, strip);
      const pat = svg("pattern", { id: `${uid}-hatch`, width: 4, height: 4, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" }, defs);
      svg("rect", { width: 4, height: 4, fill: "var(--rl-panel)" }, pat);
      svg("line", { x1: 0, y1: 0, x2: 0, y2: 4, stroke: "var(--rl-muted)", "stroke-width": 2 }, pat);
      cells = layers.map((u, l) => {
        const y = 2 + l * (cell + 6);
        svg("text", { class: "rl-tick", x: 0, y: y + cell / 2 + 4 }, strip).textContent = `layer ${l + 1}`;
        return u.dead.map((_, j) => svg("rect", { x: label + j * cell, y, width: cell - gap, height: cell, "stroke-dasharray": "2 2" }, strip));
      });
      stripNote = svg("text", { class: "rl-title", x: label, y: H - 4, fill: "var(--rl-vermillion)" }, strip);
    }
    layers.forEach((u, l) => u.dead.forEach((isDead, j) => {
      const fill = isDead ? "var(--rl-fg)" : u.inactive[j] ? `url(#${uid}-hatch)` : "var(--rl-grid)";
      const rect = cells[l][j];
      if (rect.getAttribute("fill") !== fill) rect.setAttribute("fill", fill);
      rect.setAttribute("stroke", state === "diverged" ? "var(--rl-vermillion)" : "none");
    }));
    stripNote.textContent = state === "diverged" ? `diverged at step ${trainer.t}: the cells show step ${s.step}` : "";
    const d = deadSummary(s);
    strip.setAttribute("aria-label", `Hidden units, one cell each, a row per layer, at step ${s.step}: ${d.text}` + (state === "diverged" ? "; the run then diverged." : "."));
  }

  let drawnVersion = -1, drawnWidth = -1, drawnState = null, lastDraw = -Infinity;
  function draw(force = false) {
    const s = snapshot;
    const now = performance.now();
    const stale = version !== drawnVersion || width !== drawnWidth || state !== drawnState;
    if (!force && (!stale || (state === "playing" && now - lastDraw < 60))) {
      if (!stale) announce();
      return; // at most about 16 redraws a second while training; the work goes on in between
    }
    drawnVersion = version;
    drawnWidth = width;
    drawnState = state;
    lastDraw = now;
    status.textContent = statusText();
    el.dataset.step = String(trainer.t);
    el.dataset.evaluatedAt = String(s.step);
    el.dataset.loss = String(s.loss);
    el.dataset.dead = deadSummary(s).counts.join(",");
    const narrow = width < 700;
    const cw = narrow ? width : Math.floor((width - 16) / 2);
    lossChart.resize(cw);
    fitChart.resize(cw);
    deadChart.resize(width);
    const xMax = Math.max(settings.steps, trainer.t);
    lossChart.opts.yLabel = `training loss (log scale), learning rate ${num(settings.learning_rate)}`;
    lossChart.update([history.loss], xMax);
    if (settings.data === "digits") {
      fitChart.opts.yLabel = "accuracy (training, test)";
      fitChart.opts.xLabel = "step";
      fitChart.opts.yMin = 0;
      fitChart.opts.yMax = 1;
      fitChart.opts.lines = DIGITS_LINES;
      fitChart.svg.setAttribute("aria-label", `Accuracy against the step: training ${num(100 * s.accuracy)}%, test ${num(100 * s.testAccuracy)}% at step ${s.step}`);
      fitChart.update([history.trainAcc, history.testAcc], xMax, [{ y: 0.1, label: "chance" }]);
    } else {
      const d = data().train;
      const out = trainer.predict(d);
      if (!curvePoints) curvePoints = Array.from(d.X, (x, i) => [x, d.targets[i]]);
      const fit = Array.from(d.X, (x, i) => [x, out[i]]);
      fitChart.opts.yLabel = "the fit: data and network";
      fitChart.opts.xLabel = "x";
      fitChart.opts.yMin = -1.6;
      fitChart.opts.yMax = 1.6;
      fitChart.opts.lines = CURVE_LINES;
      fitChart.svg.setAttribute("aria-label", `The data sin(\u03c0x) and the network's output on [\u22121, 1] at step ${trainer.t}`);
      fitChart.update([curvePoints, fit], 1, [], -1);
    }
    if (fitLegend.dataset.for !== settings.data) {
      fitLegend.dataset.for = settings.data;
      fitLegend.replaceChildren();
      legend(fitLegend, fitChart.opts.lines);
    }
    const layerLines = history.dead.map((_, l) => ({ color: LAYER_COLOURS[l], dash: LAYER_DASHES[l], label: `layer ${l + 1}` }));
    deadChart.opts.lines = layerLines;
    deadChart.opts.yMax = settings.width;
    deadChart.opts.yLabel = `dead units per layer, learning rate ${num(settings.learning_rate)}, seed ${settings.seed}`;
    deadChart.update(history.dead, xMax);
    if (deadLegend.dataset.layers !== String(layerLines.length)) {
      deadLegend.dataset.layers = String(layerLines.length);
      deadLegend.replaceChildren();
      legend(deadLegend, layerLines);
    }
    drawStrip();
    announce();
  }

  stripLegend.replaceChildren();
  for (const [fill, text] of [["var(--rl-fg)", "dead: 0 on every training input"], ["hatch", "inactive: negative on every input, not 0 (leaky ReLU, ELU, ...)"], ["var(--rl-grid)", "alive"]]) {
    const item = html("span", { style: "display:inline-flex;align-items:center;gap:.3rem" }, stripLegend);
    const s = svg("svg", { width: 14, height: 14, style: "overflow:hidden" }, item);
    if (fill === "hatch") {
      svg("rect", { width: 14, height: 14, fill: "var(--rl-panel)" }, s);
      for (let k = -14; k < 14; k += 4) svg("line", { x1: k, y1: 14, x2: k + 14, y2: 0, stroke: "var(--rl-muted)", "stroke-width": 1.5 }, s);
    } else svg("rect", { width: 14, height: 14, fill }, s);
    item.append(text);
  }

  build();
  const stopWarm = warmUp(T, [
    { sizes: [64, 8, 8, 10], activation: settings.activation, loss: "cross_entropy" },
    { sizes: [1, 8, 8, 1], activation: settings.activation, loss: "mse" },
  ]);
  const stopWidth = onWidth(root, (w) => { width = w; draw(true); });
  if (linked) root.scrollIntoView({ block: "start" });

  const onModel = () => {
    let changed = false;
    for (const key of Object.values(KEYS)) {
      const v = checkSetting(key, model.get(key), model);
      if (v !== null && v !== settings[key]) { settings[key] = v; changed = true; }
    }
    if (changed) reset();
  };
  for (const key of Object.values(KEYS)) model.on(`change:${key}`, onModel);

  return () => {
    loop.destroy();
    stopWarm();
    stopWidth();
    say.cancel();
    for (const key of Object.values(KEYS)) model.off(`change:${key}`, onModel);
  };
}

export default { render };
