// The twins' own transcendental functions (tests/reference/math.ts) share no code with the
// kernel; this checks them against values computed independently (Python's decimal module at
// 60 digits, rounded to double) and bounds how far the kernel's musl exp may be from them.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ready } from "../src/index.js";
import { kmath } from "../src/extend/index.js";
import { expRef } from "./reference/math.js";
import { rng } from "./helpers/check.js";

await ready();

test("expRef is correctly rounded where musl's and V8's exp are not", () => {
  // decimal: Decimal(x).exp() to 60 digits, then float(); both engines give the neighbour.
  assert.is(expRef(16.903286297136653), 21928249.545829225);
  assert.is(expRef(-13.772599578077047), 1.0438449675177472e-6);
  assert.is(expRef(3.702406098835729), 40.54474174698017);
  assert.is(expRef(1), Math.E);
  assert.is(expRef(0), 1);
  assert.is(expRef(-708.5), 2.006132305331306e-308);
  assert.is(expRef(-744.4400719213812), 5e-324);
  assert.is(expRef(-746.5), 0);
});

test("the kernel's exp is within 1 ulp of the correctly rounded one", () => {
  const r = rng(7);
  const ulp = (x: number) => {
    const b = new Float64Array([x]);
    const u = new BigUint64Array(b.buffer);
    u[0]! += 1n;
    return b[0]! - x;
  };
  for (let i = 0; i < 20000; i++) {
    const x = r.float(-30, 30);
    const want = expRef(x);
    assert.ok(Math.abs(kmath.exp(x) - want) <= ulp(want), `exp(${x}): kernel ${kmath.exp(x)}, reference ${want}`);
  }
});

test.run();
