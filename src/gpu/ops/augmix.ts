// AugMix on the GPU: each chain's ops lowered through lowerInto (whatever lowers there lowers
// here; an op without a shader refuses the whole op with its own reason), then the kernel's
// float32 mixing (assembly/mix.ts) as register-machine programs: acc = f32(m0 * x), then
// acc = f32(acc + f32(w_i * chain_i)) chain by chain, then min(255, trunc(acc)).
import type { Meta } from "../../image.js";
import type { MixArgs } from "../../ir/args.js";
import { TableCache } from "../cache.js";
import { defineGpuOp, GpuUnsupported, lowerInto, u8Bytes, type SampleBuilder } from "../plan.js";
import { f32Bits, Prog, REG } from "../vm.js";
import { PARAM0, vmPass } from "./vmpass.js";

/** Chains one pass mixes: its params are the accumulator's source and m0, then (address, weight) per chain. */
const CHUNK = 12;

const programs = new TableCache<Uint32Array>();

/**
 * The program mixing `k` chains into the accumulator, per byte of the image: `first` starts
 * it from the image (params 6: image byte, 7: m0 bits), else from an f32 accumulator (6: its
 * byte); `last` writes the bytes, else the f32 accumulator. Params 8 + 2i, 9 + 2i: chain i's
 * byte address and weight bits.
 */
function mixProgram(k: number, first: boolean, last: boolean): Uint32Array {
  return programs.get(`${k} ${first} ${last}`, () => {
    const p = new Prog();
    const at = p.param(PARAM0);
    let acc = first ? p.fmul(p.param(PARAM0 + 1), p.ffromi(p.byte(p.add(at, REG.INDEX)))) : p.word(p.add(at, p.shl(REG.INDEX, p.int(2))));
    for (let i = 0; i < k; i++) {
      const a = acc;
      acc = p.scope(() => p.fadd(a, p.fmul(p.param(PARAM0 + 3 + 2 * i), p.ffromi(p.byte(p.add(p.param(PARAM0 + 2 + 2 * i), REG.INDEX))))));
    }
    p.out(0, last ? p.ftoi(p.fmin(acc, p.f32(255))) : acc);
    p.end();
    return p.build();
  });
}

defineGpuOp<MixArgs>("augMix", {
  lower(b: SampleBuilder, src: number, a: MixArgs, from: Meta) {
    if (from.kind !== "image") throw new GpuUnsupported("the augMix op takes an image");
    const outs = a.chains.map((chain) => {
      const { buf } = lowerInto(b, src, from, chain);
      b.op = "augMix"; // lowerInto names the chain's passes after their own ops
      return buf;
    });
    const n = from.width * from.height * from.channels;
    const chunks = Math.max(1, Math.ceil(outs.length / CHUNK));
    let acc = -1;
    for (let k = 0; k < chunks; k++) {
      const part = outs.slice(k * CHUNK, (k + 1) * CHUNK);
      const weights = a.weights.slice(k * CHUNK, (k + 1) * CHUNK);
      const first = k === 0;
      const last = k === chunks - 1;
      const dst = b.buffer(last ? u8Bytes(from.width * from.height, from.channels) : n * 4);
      const from0 = acc;
      vmPass(b, mixProgram(part.length, first, last), last ? "bytes" : "words", n, 1, dst, (ad) => [
        ad.pool(first ? src : from0),
        f32Bits(a.original),
        ...part.flatMap((buf, i) => [ad.pool(buf), f32Bits(weights[i]!)]),
      ]);
      acc = dst;
    }
    return acc;
  },
});
