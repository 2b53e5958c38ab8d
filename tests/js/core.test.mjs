// node --test tests/js: the explorables' core on hand-checked cases (pytest compares it with relulab on
// generated networks: tests/test_explorables_core.py).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  ACTIVATIONS, DEFAULT_RTOL, breakpoints1d, erf, forward, normalCdf, polygonArea, regionAt, regions2d,
} from "../../code/relulab/explorables/core.mjs";

const abs1d = [[[[1, -1]], [0, 0]], [[[1], [1]], [0]]]; // relu(x) + relu(-x) = |x|
const identity = [[[[1, -1]], [0, 0]], [[[1], [-1]], [0]]]; // relu(x) - relu(-x) = x

test("forward: x @ W + b, ReLU on hidden layers, linear output", () => {
  assert.deepEqual(forward(abs1d, [[-3], [2], [0]]), [[3], [2], [0]]);
  assert.deepEqual(forward(identity, [[-1.5]]), [[-1.5]]);
  const p = [[[[1, 2], [3, 4]], [0.5, -100]], [[[1], [1]], [-1]]];
  assert.deepEqual(forward(p, [[1, 1]]), [[1 + 3 + 0.5 - 1]]); // second unit is off
  assert.deepEqual(forward(p, [[1, 1]], "tanh"), [[Math.tanh(4.5) + Math.tanh(-94) - 1]]);
});

test("forward and breakpoints1d reject malformed input with a message naming it", () => {
  assert.throws(() => forward([], [[1]]), /params must be a non-empty array/);
  assert.throws(() => forward([[[[1, 2]], [0]]], [[1]]), /params\[0\] b must have 2 numbers/);
  assert.throws(() => forward([[[[1]], [0]], [[[1], [2]], [0]]], [[1]]), /params\[1\] W must have 1 rows/);
  assert.throws(() => forward(abs1d, [[1, 2]]), /xs\[0\] must have length 1/);
  assert.throws(() => forward([[[[NaN]], [0]]], [[1]]), /hold finite numbers/);
  assert.throws(() => forward(abs1d, [[1]], "swish"), /activation must be one of/);
  assert.throws(() => breakpoints1d(abs1d, 1, 1), /lo must be below hi/);
  assert.throws(() => breakpoints1d(abs1d, 0, 1, 0.1), /rtol must be a number in \[0, 0.001\)/);
  assert.throws(() => regions2d(abs1d, [-1, 1, -1, 1]), /a network of 2 inputs/);
  assert.throws(() => regions2d([[[[1], [1]], [0]]], [-1, 1, 1, -1]), /xmin < xmax and ymin < ymax/);
});

test("breakpoints1d: |x| has one kink, x has a kink that does not bend (relulab's doctests)", () => {
  assert.deepEqual(breakpoints1d(abs1d, -1, 1).breakpoints, [0]);
  assert.equal(breakpoints1d(abs1d, -1, 1).pieces, 2);
  assert.equal(breakpoints1d(abs1d, 0, 1).pieces, 1);
  const id = breakpoints1d(identity, -1, 1);
  assert.deepEqual(id.breakpoints, [0]);
  assert.equal(id.pieces, 1);
  assert.deepEqual(id.slopes, [1]);
  const two = [[[[1, -1]], [0, 1]], [[[1], [1]], [0]]];
  assert.deepEqual(breakpoints1d(two, -2, 2).switches, [
    { x: 0, layer: 0, unit: 0, turnsOn: true }, { x: 1, layer: 0, unit: 1, turnsOn: false },
  ]);
});

test("breakpoints1d: a switch at an end of the interval counts; coincident kinks are one point", () => {
  const p = [[[[1, 2]], [-1, -2]], [[[1], [-3]], [0]]]; // both units switch at x = 1
  assert.deepEqual(breakpoints1d(p, -1, 1).breakpoints, [1]);
  assert.equal(breakpoints1d(p, -1, 1).pieces, 1);
  assert.deepEqual(breakpoints1d(p, 0, 3).breakpoints, [1]);
  assert.equal(breakpoints1d(p, 0, 3).pieces, 2);
});

test("breakpoints1d: a second-layer switch inside a first-layer piece, and a silent switch", () => {
  const silent = [[[[1]], [0]], [[[1]], [-1]], [[[1]], [0]]]; // relu(relu(x) - 1)
  const r = breakpoints1d(silent, -2, 2);
  assert.deepEqual(r.breakpoints, [0, 1]);
  assert.equal(r.pieces, 2);
  assert.deepEqual(r.knots, [-2, 1, 2]);
});

test("breakpoints1d: zero weights and dead units give one piece and no breakpoint", () => {
  const dead = [[[[0, 0]], [-1, 0]], [[[1], [1]], [2]]];
  const r = breakpoints1d(dead, -5, 5);
  assert.deepEqual(r.breakpoints, []);
  assert.equal(r.pieces, 1);
});

test("regions2d: two lines through the origin cut a square into four regions (relulab's doctest)", () => {
  const p = [[[[1, 0], [0, 1]], [0, 0]], [[[1], [1]], [0]]];
  const regions = regions2d(p, [-1, 1, -1, 1]);
  assert.deepEqual(regions.map((r) => r.pattern.map(Number).join("")).sort(), ["00", "01", "10", "11"]);
  const both = regions.find((r) => r.pattern.every(Boolean));
  assert.equal(both.polygon.length, 4);
  assert.deepEqual(both.grad, [1, 1]);
  const area = regions.reduce((s, r) => s + polygonArea(r.polygon), 0);
  assert.ok(Math.abs(area - 4) < 1e-12);
  assert.equal(regions[regionAt(regions, [0.5, -0.5])].pattern.map(Number).join(""), "10");
});

test("regions2d: a line through a corner, a line along an edge and coincident lines make no sliver", () => {
  const corner = [[[[1, 1, 1, 1], [1, 1, 1, -1]], [-2, -2, 0, 0]], [[[1], [1], [1], [1]], [0]]];
  // x + y = 2 touches the corner (1, 1) only (twice: a coincident line); x + y = 0 is a diagonal; x - y = 0 too
  assert.equal(regions2d(corner, [-1, 1, -1, 1]).length, 4);
  const edge = [[[[1], [0]], [1]], [[[1]], [0]]]; // x = -1 runs along the left edge
  assert.equal(regions2d(edge, [-1, 1, -1, 1]).length, 1);
});

test("the tolerances are relulab's", () => {
  assert.equal(DEFAULT_RTOL, 1e-9);
});

test("activations: closed forms, jax.grad's conventions at 0, and erf to float64 accuracy", () => {
  assert.equal(ACTIVATIONS.relu.df(0), 0);
  assert.equal(ACTIVATIONS.leaky_relu.df(0), 1);
  assert.equal(ACTIVATIONS.leaky_relu.f(-2), -0.2);
  assert.equal(ACTIVATIONS.elu.f(-30), Math.expm1(-30));
  assert.ok(Math.abs(ACTIVATIONS.softplus.f(0) - Math.LN2) < 1e-16);
  assert.ok(Math.abs(ACTIVATIONS.gelu.f(1) - 0.8413447460685429) < 1e-15);
  // erf against reference values (Abramowitz and Stegun table 7.1 and higher-precision values)
  const table = [[0.1, 0.1124629160182849], [0.5, 0.5204998778130465], [1, 0.8427007929497149],
    [2, 0.9953222650189527], [2.5, 0.9995930479825550], [3, 0.9999779095030014], [-1.5, -0.9661051464753108]];
  for (const [x, want] of table) assert.ok(Math.abs(erf(x) - want) < 2e-16 * 4, `erf(${x}) = ${erf(x)}, want ${want}`);
  assert.ok(Math.abs(normalCdf(-10) / 7.619853024160527e-24 - 1) < 1e-12);
  for (const [name, a] of Object.entries(ACTIVATIONS)) {
    for (const x of [-2.7, -0.3, 0.4, 1.9]) {
      const h = 1e-6, numeric = (a.f(x + h) - a.f(x - h)) / (2 * h);
      assert.ok(Math.abs(numeric - a.df(x)) < 1e-7, `${name}'(${x}) = ${a.df(x)}, numerically ${numeric}`);
    }
  }
});
