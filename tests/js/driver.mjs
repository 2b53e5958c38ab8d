// A line-oriented JSON bridge to the explorables' core for tests/test_explorables_core.py: one request per
// line on stdin ({"op": ..., "args": [...]}), one answer per line on stdout ({"ok": result} or {"error": msg}).
import { createInterface } from "node:readline";

import * as core from "../../code/relulab/explorables/core.mjs";

const ops = {
  forward: (params, xs, activation) => core.forward(params, xs, activation),
  breakpoints1d: (...a) => core.breakpoints1d(...a),
  regions2d: (...a) => core.regions2d(...a),
  activation: (name, xs) => xs.map((x) => [core.ACTIVATIONS[name].f(x), core.ACTIVATIONS[name].df(x)]),
  constants: () => ({ DEFAULT_RTOL: core.DEFAULT_RTOL }),
};

const rl = createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  let reply;
  try {
    const { op, args } = JSON.parse(line);
    reply = { ok: ops[op](...args) };
  } catch (e) {
    reply = { error: `${e.name}: ${e.message}` };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
});
