// A line protocol around train.mjs for tests/test_train_js.py: one JSON request per input line,
// {"op": ..., ...}, one JSON answer per output line, {"ok": result} or {"error": type, "message"}.
// Non-finite numbers travel as the strings "NaN", "Infinity" and "-Infinity".
import { createInterface } from "node:readline";
import * as T from "../../code/relulab/explorables/train.mjs";

function optimizer(r) {
  return r.optimizer === "adam" ? T.adam(r.learningRate, r.options ?? {}) : T.sgd(r.learningRate, r.options ?? {});
}

const OPS = {
  gradients: (r) => T.gradients(r.params, r.xs, r.ys, { activation: r.activation, loss: r.loss }),
  evaluate: (r) => T.evaluate(r.params, r.xs, r.ys, { activation: r.activation, loss: r.loss }),
  outputs: (r) => T.outputs(r.params, r.xs, { activation: r.activation }),
  dead: (r) => T.deadUnits(r.params, r.xs, { activation: r.activation }),
  activation: (r) => {
    const { f, df } = T.activation(r.name);
    return { f: r.zs.map(f), df: r.zs.map(df) };
  },
  erfc: (r) => r.xs.map(T.erfc),
  erf: (r) => r.xs.map(T.erf),
  init: (r) => T.initParams(r.sizes, { init: r.init, seed: r.seed, scale: r.scale ?? 1 }),
  initStd: (r) => T.initStd(r.fanIn, r.fanOut, r.init),
  draws: (r) => {
    const g = T.generator(r.seed, r.stream);
    const kind = r.kind;
    return Array.from({ length: r.count }, () => (kind === "below" ? g.below(r.n) : g[kind]()));
  },
  batchOrder: (r) => Array.from(T.batchOrder(r.n, r.batchSize, r.steps, { seed: r.seed, replace: r.replace })),
  // Full-batch steps through the nested API: gradients, then sgdStep / adamStep, `steps` times.
  trajectory: (r) => {
    let params = r.params, state = null;
    const losses = [], path = [];
    const step = r.optimizer === "adam" ? T.adamStep : T.sgdStep;
    for (let t = 0; t < r.steps; t++) {
      const { loss, grads } = T.gradients(params, r.xs, r.ys, { activation: r.activation, loss: r.loss });
      ({ params, state } = step(params, grads, state, { learningRate: r.learningRate, ...(r.options ?? {}) }));
      losses.push(loss);
      path.push(params);
    }
    return { losses, path };
  },
  // The explorables' Trainer (flat buffers, minibatches), then its loss history and unit flags.
  trainer: (r) => {
    const data = T.dataset(r.xs, r.ys, { nIn: r.sizes[0], nOut: r.sizes[r.sizes.length - 1], loss: r.loss });
    const trainer = new T.Trainer({
      sizes: r.sizes, params: r.params ?? null, init: r.init ?? "he", seed: r.seed ?? 0, scale: r.scale ?? 1,
      activation: r.activation, loss: r.loss, optimizer: optimizer(r), data,
      batchSize: r.batchSize ?? null, replace: r.replace ?? false,
    });
    const losses = [];
    for (let t = 0; t < r.steps; t++) losses.push(trainer.step());
    return { losses, params: trainer.params(), units: trainer.units(), evaluation: trainer.evaluate() };
  },
};

function encode(value) {
  return JSON.stringify(value, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
}

const lines = createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  let answer;
  try {
    const request = JSON.parse(line);
    if (!(request.op in OPS)) throw new RangeError(`op must be one of ${Object.keys(OPS).join(", ")}, got ${request.op}`);
    answer = { ok: OPS[request.op](request) };
  } catch (err) {
    answer = { error: err.constructor.name, message: err.message };
  }
  process.stdout.write(encode(answer) + "\n");
});
