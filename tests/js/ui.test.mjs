// node --test for the axis ticks of the views (code/relulab/explorables/ui.mjs): niceTicks on hand-checked
// ranges and on many random ones, and the labels ticks() writes (with a tiny stand-in for the page's SVG).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { niceTicks, ticks, scale } from "../../code/relulab/explorables/ui.mjs";

/** The labels ticks() writes on an axis from lo to hi, through a stand-in for document.createElementNS. */
function labels(lo, hi, opts) {
  const made = [];
  const real = globalThis.document;
  globalThis.document = {
    createElementNS: (ns, tag) => {
      const e = { tag, attrs: {}, textContent: "", setAttribute(k, v) { this.attrs[k] = v; }, append() {} };
      made.push(e);
      return e;
    },
  };
  try {
    ticks({ append() {} }, scale(lo, hi, 200, 0), { axis: "y", at: 40, ...opts });
  } finally {
    globalThis.document = real;
  }
  return made.filter((e) => e.tag === "text").map((e) => e.textContent);
}

/** A label read back as a number (the labels use a true minus sign). */
const read = (s) => Number(s.replace("\u2212", "-"));

describe("niceTicks", () => {
  test("hand-checked ranges: steps of 1, 2, 2.5 or 5 times a power of ten, with the decimals they need", () => {
    assert.deepEqual(niceTicks(0, 1, 4), { values: [0, 0.25, 0.5, 0.75, 1], step: 0.25, decimals: 2 });
    assert.deepEqual(niceTicks(0, 1, 5), { values: [0, 0.2, 0.4, 0.6, 0.8, 1], step: 0.2, decimals: 1 });
    assert.deepEqual(niceTicks(0, 300, 3), { values: [0, 100, 200, 300], step: 100, decimals: 0 });
    assert.deepEqual(niceTicks(-3, 3, 4), { values: [-2, 0, 2], step: 2, decimals: 0 });
    assert.deepEqual(niceTicks(0.01, 0.07, 3), { values: [0.02, 0.04, 0.06], step: 0.02, decimals: 2 });
    assert.deepEqual(niceTicks(0, 1000, 4).values, [0, 250, 500, 750, 1000]);
    assert.deepEqual(niceTicks(2, -2, 4).values, [-2, -1, 0, 1, 2], "a reversed range is the same axis");
    assert.equal(Object.is(niceTicks(-1, 1, 2).values[1], 0), true, "no -0 (it would read \u22120)");
    assert.deepEqual(niceTicks(0.1, 0.7, 6).values, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], "0.1 x 3 is 0.3, not 0.30000000000000004");
  });

  test("integer: whole-number steps for counts", () => {
    assert.deepEqual(niceTicks(0, 10, 4, { integer: true }), { values: [0, 5, 10], step: 5, decimals: 0 });
    assert.deepEqual(niceTicks(0, 1, 4, { integer: true }).values, [0, 1]);
    assert.deepEqual(niceTicks(0, 2, 4, { integer: true }).values, [0, 1, 2]);
    assert.deepEqual(niceTicks(0, 100, 4, { integer: true }).values, [0, 25, 50, 75, 100]);
  });

  test("degenerate and bad input: one value or none, and a clear error for the count", () => {
    assert.deepEqual(niceTicks(3, 3, 4), { values: [3], step: NaN, decimals: 0 });
    assert.deepEqual(niceTicks(0.5, 0.5, 4).values, [0.5]);
    assert.deepEqual(niceTicks(0, NaN, 4).values, []);
    assert.deepEqual(niceTicks(-Infinity, 1, 4).values, []);
    assert.throws(() => niceTicks(0, 1, 0), /count must be a positive integer, got 0/);
    assert.throws(() => niceTicks(0, 1, 2.5), /count must be a positive integer, got 2.5/);
  });

  test("random ranges: every multiple of a round step in the range, about `count` of them, each written exactly", () => {
    let s = 12345;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 3000; trial++) {
      const e = Math.floor(rand() * 14) - 7;
      const lo = (rand() - 0.5) * 10 ** e * 20, hi = lo + rand() * 10 ** e * 10 + 10 ** e * 1e-3;
      const count = 1 + Math.floor(rand() * 9), integer = rand() < 0.2;
      const { values, step, decimals } = niceTicks(lo, hi, count, { integer });
      const where = JSON.stringify({ lo, hi, count, integer, step, values });
      const k = Math.floor(Math.log10(step) + 1e-9), m = step / 10 ** k;
      assert.ok([1, 2, 2.5, 5].some((c) => Math.abs(m - c) < 1e-9), `step is not 1, 2, 2.5 or 5 x 10^k: ${where}`);
      if (integer) assert.ok(Number.isInteger(step) && step >= 1, where);
      else assert.ok(step >= (hi - lo) / count * (1 - 1e-9) && step <= 2 * (hi - lo) / count * (1 + 1e-9), `step far from (hi - lo) / count: ${where}`);
      assert.ok(values.length <= count + 1, `more than count + 1 ticks: ${where}`);
      for (const v of values) {
        assert.ok(v >= lo - 1e-9 * step && v <= hi + 1e-9 * step, `tick outside the range: ${where}`);
        assert.ok(Math.abs(v / step - Math.round(v / step)) < 1e-6, `tick not a multiple of the step: ${where}`);
        assert.equal(Number(v.toFixed(decimals)), v, `${v} needs more than ${decimals} decimals: ${where}`);
      }
      for (let i = 1; i < values.length; i++) assert.ok(Math.abs(values[i] - values[i - 1] - step) < 1e-9 * step, where);
      assert.ok(values.length === 0 || values[0] - step < lo + 1e-9 * step, `a tick is missing below: ${where}`);
      assert.ok(values.length === 0 || values[values.length - 1] + step > hi - 1e-9 * step, `a tick is missing above: ${where}`);
    }
  });
});

describe("ticks: the labels on the axis", () => {
  test("the race's error axis (0 to 1, 4 intervals, at least 1 decimal) reads 0.00, 0.25, ..., not 0.3, 0.8", () => {
    assert.deepEqual(labels(0, 1, { count: 4, digits: 1 }), ["0.00", "0.25", "0.50", "0.75", "1.00"]);
  });

  test("digits stays a minimum: the other views' axes read as before where the step needed no more", () => {
    assert.deepEqual(labels(-2, 2, {}), ["\u22122.0", "\u22121.0", "0.0", "1.0", "2.0"]);
    assert.deepEqual(labels(0, 300, { count: 3, digits: 0 }), ["0", "100", "200", "300"]);
    assert.deepEqual(labels(0, 10, { count: 4, digits: 0 }), ["0.0", "2.5", "5.0", "7.5", "10.0"]);
    assert.deepEqual(labels(0, 10, { count: 4, digits: 0, integer: true }), ["0", "5", "10"]);
  });

  test("every label reads back as its tick's value, on random axes", () => {
    let s = 777;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 500; trial++) {
      const e = Math.floor(rand() * 8) - 4;
      const lo = (rand() - 0.5) * 10 ** e * 20, hi = lo + (0.01 + rand()) * 10 ** e * 10;
      const count = 2 + Math.floor(rand() * 6), digits = Math.floor(rand() * 3);
      const got = labels(lo, hi, { count, digits }).map(read);
      assert.deepEqual(got, niceTicks(lo, hi, count).values, JSON.stringify({ lo, hi, count, digits }));
    }
  });
});
