// node --test for the parts of the training views' shared code (code/relulab/explorables/train_view.mjs) that
// need no page: the step credit of Loop and the Play button's state machine. The views themselves are driven in
// a browser (tests/browser/test_train_explorables.py).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Loop, playButton } from "../../code/relulab/explorables/train_view.mjs";

/** Loop's credit methods on a plain object (the constructor needs a page), with a clock we set. */
function creditOnly() {
  const o = { credit: 0, lastFrame: null, accrue: Loop.prototype.accrue, spend: Loop.prototype.spend };
  return o;
}

function withClock(times, fn) {
  const real = performance.now;
  let i = 0;
  performance.now = () => times[Math.min(i++, times.length - 1)];
  try { fn(); } finally { performance.now = real; }
}

describe("Loop step credit", () => {
  test("the first frame pays a 60th of a second, later frames the time since the last", () => {
    const o = creditOnly();
    withClock([1000, 1100], () => {
      o.accrue(600); // first frame: 600 / 60 = 10 steps
      assert.equal(o.credit, 10);
      for (let k = 0; k < 10; k++) assert.equal(o.spend(), true);
      assert.equal(o.spend(), false);
      o.accrue(300); // 0.1 s at 300 steps/s = 30, capped at 300 / 20 = 15
      assert.equal(o.credit, 15);
    });
  });

  test("a slow rate still pays one step a frame at most, and credit never goes negative", () => {
    const o = creditOnly();
    withClock([0, 5000], () => {
      o.accrue(6); // 0.1 step
      assert.equal(o.spend(), false);
      assert.ok(Math.abs(o.credit - 0.1) < 1e-12);
      o.accrue(6); // 5 s later: 30 steps, capped at max(1, 6 / 20) = 1
      assert.equal(o.credit, 1);
      assert.equal(o.spend(), true);
      assert.equal(o.spend(), false);
      assert.equal(o.credit, 0);
    });
  });
});

describe("playButton", () => {
  function setUp(initial = "ready") {
    const calls = [];
    const loop = { start: () => calls.push("start"), stop: () => calls.push("stop") };
    let state = initial;
    const button = playButton(loop, { get: () => state, set: (s) => { state = s; } }, (write) => calls.push(`refresh ${write}`));
    return { button, calls, state: () => state };
  }

  test("play starts the loop without reporting; pause stops it and reports the result", () => {
    const v = setUp();
    v.button.setPlaying(true);
    assert.equal(v.state(), "playing");
    assert.deepEqual(v.calls, ["start", "refresh false"]);
    v.button.setPlaying(false);
    assert.equal(v.state(), "paused");
    assert.deepEqual(v.calls.slice(2), ["stop", "refresh true"]);
  });

  test("pausing a finished run leaves it finished; finish stops the loop and reports", () => {
    const v = setUp("playing");
    v.button.finish();
    assert.equal(v.state(), "finished");
    assert.deepEqual(v.calls, ["stop", "refresh true"]);
    v.button.setPlaying(false);
    assert.equal(v.state(), "finished");
  });

  test("a diverged run cannot play", () => {
    const v = setUp("diverged");
    v.button.setPlaying(true);
    assert.equal(v.state(), "diverged");
    assert.deepEqual(v.calls, []);
  });
});

describe("playButton restart", () => {
  function setUp(initial) {
    const calls = [];
    const loop = { start: () => calls.push("start"), stop: () => calls.push("stop") };
    let state = initial;
    const button = playButton(loop, { get: () => state, set: (s) => { state = s; } }, (write) => calls.push(`refresh ${write}`));
    const rebuild = () => { state = "ready"; calls.push("rebuild"); };
    return { button, calls, rebuild, state: () => state };
  }

  test("a reset while playing rebuilds and plays on", () => {
    const v = setUp("playing");
    v.button.restart(v.rebuild);
    assert.equal(v.state(), "playing");
    assert.deepEqual(v.calls, ["stop", "rebuild", "start", "refresh false"]);
  });

  test("a reset while paused, finished or diverged rebuilds and stays ready", () => {
    for (const initial of ["paused", "finished", "diverged"]) {
      const v = setUp(initial);
      v.button.restart(v.rebuild);
      assert.equal(v.state(), "ready");
      assert.deepEqual(v.calls, ["stop", "rebuild", "refresh false"]);
    }
  });
});
