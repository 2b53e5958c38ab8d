// node --test for the explorables' training core (code/relulab/explorables/train.mjs): its own
// cases. Agreement with JAX, optax and relulab.dead is tested from Python (tests/test_train_js.py).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as T from "../../code/relulab/explorables/train.mjs";

const close = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

/** A small network with weights and biases from a fixed generator (no zero pre-activation). */
function network(sizes, seed = 3) {
  const g = T.generator(seed, 77);
  return sizes.slice(0, -1).map((nIn, l) => [
    Array.from({ length: nIn }, () => Array.from({ length: sizes[l + 1] }, () => g.normal() * 0.8)),
    Array.from({ length: sizes[l + 1] }, () => g.normal() * 0.3),
  ]);
}

function centralDifference(params, xs, ys, options, l, which, i, j) {
  const h = 1e-6;
  const bump = (d) => {
    const p = structuredClone(params);
    if (which === 0) p[l][0][i][j] += d;
    else p[l][1][j] += d;
    return T.evaluate(p, xs, ys, options).loss;
  };
  return (bump(h) - bump(-h)) / (2 * h);
}

describe("activations", () => {
  test("relu'(0) = 0, as jax.nn.relu; leaky ReLU and ELU have slope 1 at 0", () => {
    assert.equal(T.activation("relu").df(0), 0);
    assert.equal(T.activation("relu").df(-0), 0);
    assert.equal(T.activation("relu").df(1e-300), 1);
    assert.equal(T.activation("leaky_relu").df(0), 1);
    assert.equal(T.activation("leaky_relu").df(-1), T.LEAKY_SLOPE);
    assert.equal(T.activation("elu").df(0), 1);
    assert.equal(T.activation("relu").f(-2), 0);
  });

  test("each derivative matches a central difference of its function", () => {
    for (const name of T.ACTIVATIONS) {
      const { f, df } = T.activation(name);
      for (const z of [-3.1, -0.7, 0.4, 2.2]) close(df(z), (f(z + 1e-6) - f(z - 1e-6)) / 2e-6, 1e-7, `${name}'(${z})`);
    }
  });

  test("GELU is the exact form z Phi(z), not the tanh approximation", () => {
    const gelu = T.activation("gelu").f;
    close(gelu(1), 0.8413447460685429, 1e-15, "gelu(1)");
    close(gelu(-1), -0.15865525393145707, 1e-15, "gelu(-1)");
  });

  test("an unknown activation is a RangeError naming the argument and the choices", () => {
    assert.throws(() => T.activation("swish"), { name: "RangeError", message: /activation must be one of "relu"/ });
    assert.throws(() => T.activation(3), { name: "TypeError", message: /activation must be one of/ });
  });
});

describe("erf and erfc", () => {
  test("known values, symmetries and limits", () => {
    close(T.erf(1), 0.8427007929497149, 2e-16, "erf(1)");
    close(T.erfc(2), 0.004677734981047266, 1e-15, "erfc(2)");
    close(T.erfc(10), 2.088487583762545e-45, 1e-14, "erfc(10)");
    assert.equal(T.erfc(0), 1);
    assert.equal(T.erf(0), 0);
    assert.equal(T.erfc(40), 0);
    assert.equal(T.erfc(-40), 2);
    assert.ok(Number.isNaN(T.erfc(NaN)));
    for (const x of [0.1, 0.6, 1.7, 3.3, 5.5]) {
      assert.equal(T.erf(-x), -T.erf(x));
      close(T.erfc(-x), 2 - T.erfc(x), 1e-16, `erfc(-${x})`);
      close(T.erf(x) + T.erfc(x), 1, 1e-15, `erf + erfc at ${x}`);
    }
  });

  test("continuous where the method changes (0.5 for erf; 1, 2, 3, 4 for erfc)", () => {
    for (const x of [0.5, 1, 2, 3, 4]) {
      const below = x - 1e-12, above = x + 1e-12;
      close(T.erfc(below), T.erfc(above), 1e-11, `erfc around ${x}`);
      close(T.erf(below), T.erf(above), 1e-11, `erf around ${x}`);
    }
  });
});

describe("gradients", () => {
  const xs = [[0.3, -1.2], [1.1, 0.4], [-0.8, 0.9], [0.05, 0.2]];
  for (const loss of T.LOSSES) {
    for (const nOut of [1, 3]) {
      const targets = xs.map((x) => [x[0], -x[1], 0.5].slice(0, nOut));
      const ys = loss === "mse" ? targets : xs.map((_, i) => (nOut === 1 ? i % 2 : i % 3));
      for (const act of T.ACTIVATIONS) {
        test(`${act}, ${loss}, ${nOut} output(s): backpropagation equals central differences`, () => {
          const params = network([2, 4, 3, nOut]);
          const options = { activation: act, loss };
          const { loss: value, grads } = T.gradients(params, xs, ys, options);
          assert.equal(value, T.evaluate(params, xs, ys, options).loss);
          params.forEach(([W, b], l) => {
            W.forEach((row, i) => row.forEach((_, j) => close(grads[l][0][i][j], centralDifference(params, xs, ys, options, l, 0, i, j), 1e-6, `dW${l}[${i}][${j}]`)));
            b.forEach((_, j) => close(grads[l][1][j], centralDifference(params, xs, ys, options, l, 1, 0, j), 1e-6, `db${l}[${j}]`));
          });
        });
      }
    }
  }

  test("a dead ReLU unit gets exactly zero gradient, in and out", () => {
    const params = [[[[1, -1]], [0, 0]], [[[1], [1]], [0]]];
    const xs = [[0.5], [2]];
    const { grads } = T.gradients(params, xs, [[1], [0]], { activation: "relu", loss: "mse" });
    assert.equal(grads[0][0][0][1], 0);
    assert.equal(grads[0][1][1], 0);
    assert.equal(grads[1][0][1][0], 0);
    assert.notEqual(grads[0][0][0][0], 0);
  });

  test("a pre-activation exactly 0 passes no gradient through ReLU (relu'(0) = 0)", () => {
    const params = [[[[1]], [-1]], [[[2]], [0]]];
    const { grads } = T.gradients(params, [[1]], [[3]], { activation: "relu", loss: "mse" });
    assert.equal(grads[0][0][0][0], 0);
    assert.equal(grads[0][1][0], 0);
  });

  test("bad input: errors name the argument, the expected shape and what came", () => {
    const params = network([2, 3, 1]);
    assert.throws(() => T.gradients(params, [[1, 2, 3]], [[0]]), { name: "RangeError", message: /xs\[0\] must have length 2/ });
    assert.throws(() => T.gradients(params, [[1, 2]], [[0], [1]]), { name: "RangeError", message: /ys must have one entry per input \(1\)/ });
    assert.throws(() => T.gradients(params, [[1, 2]], [2], { loss: "cross_entropy" }), { name: "RangeError", message: /ys\[0\] must be a label 0 or 1/ });
    assert.throws(() => T.gradients(params, [[1, 2]], [[0]], { loss: "hinge" }), { name: "RangeError", message: /loss must be one of "mse", "cross_entropy"/ });
    assert.throws(() => T.gradients([[params[0][0], [0, 0]], params[1]], [[1, 2]], [[0]]), { name: "RangeError", message: /params\[0\] b must have length 3/ });
    assert.throws(() => T.gradients([params[0], [[[1]], [0]]], [[1, 2]], [[0]]), { name: "RangeError", message: /params\[1\] W must have 3 rows/ });
    assert.throws(() => T.gradients("net", [[1, 2]], [[0]]), { name: "TypeError", message: /params must be an array of layers/ });
    assert.throws(() => T.gradients(params, [[1, NaN]], [[0]]), { name: "RangeError", message: /xs\[0\]\[1\] must be a finite number/ });
  });
});

describe("optimisers", () => {
  const xs = [[0.2], [-0.6], [0.9]], ys = [[0.1], [0.5], [-0.3]];
  const params = network([1, 3, 1], 5);

  test("SGD: params - lr * grad; with momentum the trace g + m trace", () => {
    const { grads } = T.gradients(params, xs, ys);
    const { params: p1, state } = T.sgdStep(params, grads, null, { learningRate: 0.1 });
    assert.equal(p1[0][0][0][1], params[0][0][0][1] + -0.1 * grads[0][0][0][1]);
    const m1 = T.sgdStep(params, grads, null, { learningRate: 0.1, momentum: 0.9 });
    assert.deepEqual(m1.state.trace, grads);
    const m2 = T.sgdStep(m1.params, grads, m1.state, { learningRate: 0.1, momentum: 0.9 });
    assert.equal(m2.state.trace[1][1][0], grads[1][1][0] + 0.9 * grads[1][1][0]);
    assert.deepEqual(state, {});
  });

  test("Adam's first step moves every parameter with a non-zero gradient by about lr", () => {
    const { grads } = T.gradients(params, xs, ys);
    const { params: p1, state } = T.adamStep(params, grads, null, { learningRate: 0.01 });
    assert.equal(state.count, 1);
    params.forEach(([W], l) => W.forEach((row, i) => row.forEach((w, j) => {
      const g = grads[l][0][i][j];
      close(p1[l][0][i][j], w - 0.01 * Math.sign(g) * Math.abs(g) / (Math.abs(g) + 1e-8), 1e-12, "adam step 1");
    })));
  });

  test("the Trainer's full-batch steps equal gradients + the nested step functions", () => {
    for (const optimizer of [T.sgd(0.05, { momentum: 0.9 }), T.adam(0.01)]) {
      const data = T.dataset(xs, ys, { nIn: 1, nOut: 1 });
      const trainer = new T.Trainer({ params, activation: "tanh", loss: "mse", optimizer, data });
      let p = params, state = null;
      for (let t = 0; t < 5; t++) {
        const before = trainer.step();
        const { loss, grads } = T.gradients(p, xs, ys, { activation: "tanh" });
        assert.equal(before, loss);
        const step = optimizer.name === "adam" ? T.adamStep : T.sgdStep;
        ({ params: p, state } = step(p, grads, state, optimizer.name === "adam" ? { learningRate: 0.01 } : { learningRate: 0.05, momentum: 0.9 }));
      }
      assert.deepEqual(trainer.params(), p);
    }
  });

  test("bad optimiser settings are errors", () => {
    assert.throws(() => T.sgd(0), { name: "RangeError", message: /learningRate must be a positive finite number, got number 0/ });
    assert.throws(() => T.sgd("0.1"), { name: "TypeError" });
    assert.throws(() => T.adam(0.1, { b1: 2 }), { name: "RangeError", message: /b1 must be a number from 0 to 1/ });
  });
});

describe("seeded draws", () => {
  test("the same seed and stream give the same draws; other streams other draws", () => {
    const a = T.generator(11, 1), b = T.generator(11, 1), c = T.generator(11, 2), d = T.generator(12, 1);
    const draw = (g) => Array.from({ length: 8 }, () => g.uint32());
    const first = draw(a);
    assert.deepEqual(first, draw(b));
    assert.notDeepEqual(first, draw(c));
    assert.notDeepEqual(first, draw(d));
    first.forEach((k) => assert.ok(Number.isInteger(k) && k >= 0 && k < 2 ** 32));
  });

  test("normal draws: mean 0, variance 1, tails beyond 3 and within 6.3", () => {
    const g = T.generator(0, 5);
    const z = Array.from({ length: 200000 }, () => g.normal());
    const mean = z.reduce((s, v) => s + v, 0) / z.length;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length;
    assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 0.01, `variance ${variance}`);
    const beyond3 = z.filter((v) => Math.abs(v) > 3).length / z.length;
    assert.ok(Math.abs(beyond3 - 0.0027) < 0.0006, `P(|z| > 3) = ${beyond3}`);
    assert.ok(z.every((v) => Math.abs(v) < 6.3));
  });

  test("the quantile is the normal one: Q(0.975) = 1.959964, Q(1 - u) = -Q(u), increasing", () => {
    close(T.normalQuantile(0.975), 1.959963984540054, 2e-9, "Q(0.975)");
    close(T.normalQuantile(1e-6), -4.753424308822899, 2e-9, "Q(1e-6)");
    let last = -Infinity;
    for (let k = 1; k < 4000; k++) {
      const u = k / 4000, q = T.normalQuantile(u);
      close(q, -T.normalQuantile(1 - u), 2.4e-9, `symmetry at ${u}`); // each side within 1.15e-9
      assert.ok(q > last, `increasing at ${u}`);
      last = q;
    }
  });

  test("logArithmetic agrees with Math.log to 1e-15", () => {
    for (const x of [1, 0.9, 0.5, 0.1, 0.02424, 1e-5, 1.1641532182693481e-10]) close(T.logArithmetic(x), Math.log(x), 1e-15, `log ${x}`);
  });

  test("below(n) is uniform on [0, n)", () => {
    const g = T.generator(1, 9), counts = new Array(7).fill(0);
    for (let i = 0; i < 70000; i++) counts[g.below(7)]++;
    counts.forEach((c) => assert.ok(Math.abs(c - 10000) < 500, `count ${c}`));
  });

  test("initParams: zero biases, the initialisation's standard deviation, layers independent", () => {
    const [[W, b]] = T.initParams([200, 300, 1], { init: "glorot", seed: 4 });
    assert.deepEqual(b, new Array(300).fill(0));
    const w = W.flat(), sd = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    close(sd, T.initStd(200, 300, "glorot"), 0.01, "sd");
    const deep = T.initParams([3, 4, 4, 1], { seed: 2 }), deeper = T.initParams([3, 4, 4, 4, 1], { seed: 2 });
    assert.deepEqual(deep[0], deeper[0]);
    assert.deepEqual(deep[1], deeper[1]);
    assert.deepEqual(T.initParams([3, 4, 1], { seed: 2, scale: 4 })[0][0][1][2], deep[0][0][1][2] * 4);
  });

  test("initStd: He, Glorot, LeCun", () => {
    assert.equal(T.initStd(8, 4, "he"), 0.5);
    assert.equal(T.initStd(6, 2, "glorot"), 0.5);
    assert.equal(T.initStd(4, 9, "lecun"), 0.5);
    assert.throws(() => T.initStd(0, 3), { name: "RangeError", message: /fanIn must be an integer >= 1/ });
  });

  test("batchOrder: each pass a permutation; with replace, indices in range", () => {
    const order = T.batchOrder(10, 4, 5, { seed: 3 });
    assert.equal(order.length, 20);
    assert.deepEqual(Array.from(order.subarray(0, 10)).sort((a, b) => a - b), [...Array(10).keys()]);
    assert.deepEqual(Array.from(order.subarray(10, 20)).sort((a, b) => a - b), [...Array(10).keys()]);
    const drawn = T.batchOrder(10, 4, 50, { seed: 3, replace: true });
    assert.ok(drawn.every((k) => k >= 0 && k < 10));
    assert.throws(() => T.batchOrder(10, 11, 1), { name: "RangeError", message: /batchSize must be an integer from 1 to 10/ });
  });

  test("a Trainer's minibatch for step t does not depend on how the steps were grouped", () => {
    const xs = Array.from({ length: 50 }, (_, i) => [i / 50]), ys = xs.map(([x]) => [x * x]);
    const data = T.dataset(xs, ys, { nIn: 1, nOut: 1 });
    const make = () => new T.Trainer({ sizes: [1, 3, 1], seed: 1, optimizer: T.sgd(0.1), data, batchSize: 7 });
    const order = T.batchOrder(50, 7, 300, { seed: 1 });
    const t1 = make();
    for (const t of [0, 1, 299, 57, 58, 3]) assert.deepEqual(Array.from(t1.batchRows(t)), Array.from(order.subarray(t * 7, t * 7 + 7)));
  });
});

describe("dead units", () => {
  test("the relulab.dead example: relu(x), relu(-x), relu(x/2 - 1) on positive inputs", () => {
    const params = [[[[1, -1, 0.5]], [0, 0, -1]], [[[1], [1], [1]], [0]]];
    assert.deepEqual(T.deadUnits(params, [[0.5], [1], [3]]), [[false, true, false]]);
    assert.deepEqual(T.deadUnits(params, [[0.5], [1]]), [[false, true, true]]);
  });

  test("leaky ReLU and tanh are dead only where the pre-activation is exactly 0; sigmoid when it underflows", () => {
    const params = [[[[1, 0, 0]], [-3, 0, -720]], [[[1], [1], [1]], [0]]];
    const xs = [[0.5], [1]];
    assert.deepEqual(T.deadUnits(params, xs, { activation: "leaky_relu" }), [[false, true, false]]);
    assert.deepEqual(T.deadUnits(params, xs, { activation: "tanh" }), [[false, true, false]]);
    assert.deepEqual(T.deadUnits(params, xs, { activation: "sigmoid" }), [[false, false, true]]);
  });

  test("the Trainer reports dead and inactive units per layer, for leaky ReLU too", () => {
    const params = [[[[1, -1]], [0, -5]], [[[1, 0], [1, 0]], [0, 0]], [[[1], [1]], [0]]];
    const xs = [[0.5], [2]], ys = [[0], [1]];
    const data = T.dataset(xs, ys, { nIn: 1, nOut: 1 });
    const relu = new T.Trainer({ params, optimizer: T.sgd(0.1), data }).units();
    assert.deepEqual(relu, [{ dead: [false, true], inactive: [false, true] }, { dead: [false, true], inactive: [false, true] }]);
    const leaky = new T.Trainer({ params, activation: "leaky_relu", optimizer: T.sgd(0.1), data }).units();
    assert.deepEqual(leaky[0], { dead: [false, false], inactive: [false, true] });
  });
});

describe("training", () => {
  test("SGD fits a line; a huge learning rate diverges to a non-finite loss", () => {
    const xs = Array.from({ length: 20 }, (_, i) => [i / 10 - 1]), ys = xs.map(([x]) => [2 * x + 0.5]);
    const data = T.dataset(xs, ys, { nIn: 1, nOut: 1 });
    const good = new T.Trainer({ sizes: [1, 8, 1], seed: 0, optimizer: T.sgd(0.05), data });
    const first = good.step();
    for (let t = 0; t < 500; t++) good.step();
    assert.ok(good.evaluate().loss < first / 20);
    const bad = new T.Trainer({ sizes: [1, 8, 1], seed: 0, optimizer: T.sgd(50), data });
    let loss = 0;
    for (let t = 0; t < 200 && Number.isFinite(loss); t++) loss = bad.step();
    assert.ok(!Number.isFinite(loss));
    for (let t = 0; t < 200 && bad.finite(); t++) bad.step();
    assert.ok(!bad.finite());
    // NaN is not 0: the units of a network whose weights are NaN are not dead (relulab.dead agrees:
    // relu(NaN) = NaN there too)
    bad.theta.fill(NaN);
    assert.ok(bad.units()[0].dead.every((d) => d === false));
  });

  test("softmax cross-entropy with minibatches: the training accuracy rises", () => {
    const g = T.generator(5, 3);
    const xs = Array.from({ length: 300 }, () => [g.normal(), g.normal()]);
    const ys = xs.map(([a, b]) => (a + b > 0 ? (a > b ? 0 : 1) : 2));
    const data = T.dataset(xs, ys, { nIn: 2, nOut: 3, loss: "cross_entropy" });
    const trainer = new T.Trainer({ sizes: [2, 16, 3], seed: 2, loss: "cross_entropy", optimizer: T.sgd(0.2), data, batchSize: 32 });
    const before = trainer.evaluate().accuracy;
    for (let t = 0; t < 600; t++) trainer.step();
    assert.ok(trainer.evaluate().accuracy > Math.max(0.9, before));
  });
});
