// The measurement loop of the link-password KDF bench (issue 12), shared by Node (imported directly) and
// Chromium (bundled with esbuild by link-kdf.chromium.ts and run in a page). It times ONE password guess:
// today's link KDF — the real deriveWrappingKey (PBKDF2-SHA256, Web Crypto, newKdfParams(): 600,000
// iterations) — as the baseline, and Argon2id from each candidate library at several parameter sets.
import { argon2id as nobleArgon2id } from "@noble/hashes/argon2.js";
import { argon2id as hashWasmArgon2id } from "hash-wasm";
import sodium from "libsodium-wrappers-sumo";
import { deriveWrappingKey, newKdfParams } from "../src/kdf.js";

export type Implementation = "webcrypto" | "hash-wasm" | "libsodium" | "noble";

/** One Argon2id parameter set: m in KiB, t passes, p lanes. */
export interface Argon2Params {
  name: string;
  m: number;
  t: number;
  p: number;
}

/**
 * OWASP Password Storage Cheat Sheet: "Argon2id with a minimum configuration of 19 MiB of memory, an iteration
 * count of 2, and 1 degree of parallelism" and the equivalent m=46 MiB t=1; RFC 9106 §4's SECOND RECOMMENDED
 * memory and passes (64 MiB, t=3, with p=1 as in hashcat's published GPU benchmark); and 128 MiB t=3 as an
 * upper probe of what still fits the link page's wait.
 */
export const ARGON2_PARAMS: Argon2Params[] = [
  { name: "OWASP m=19 MiB t=2", m: 19 * 1024, t: 2, p: 1 },
  { name: "OWASP m=46 MiB t=1", m: 46 * 1024, t: 1, p: 1 },
  { name: "RFC 9106 m=64 MiB t=3", m: 64 * 1024, t: 3, p: 1 },
  { name: "m=128 MiB t=3", m: 128 * 1024, t: 3, p: 1 },
];

export const ARGON2_IMPLEMENTATIONS: Exclude<Implementation, "webcrypto">[] = [
  "hash-wasm",
  "libsodium",
  "noble",
];

export interface CaseResult {
  implementation: Implementation;
  /** undefined for the PBKDF2 baseline. */
  params?: Argon2Params;
  /** Milliseconds per guess; samples[i] was measured in round i (warm: after one untimed call per implementation). */
  samples: number[];
  /** First 8 bytes of the output, hex: the Argon2id implementations must agree on identical inputs. */
  outputPrefix: string;
  /** Why the case stopped early, if it did. */
  note?: string;
}

export interface LoopOptions {
  /** Measured rounds; every case runs once per round, cases interleaved so load bursts hit all alike. */
  rounds: number;
  /** A case whose first two guesses each take longer than this (ms) is not measured again. */
  slowMs: number;
  /** Only these parameter-set names (all when empty). */
  only?: string[];
}

export interface LoopResult {
  /** First call of each implementation (module / WebAssembly instantiation included), ms. */
  coldMs: Record<Implementation, number>;
  pbkdf2Iterations: number;
  cases: CaseResult[];
}

const PASSWORD = "correct horse battery staple";
const ARGON2_SALT = new Uint8Array(16).map((_, i) => i * 17 + 3); // 128-bit, as RFC 9106 §3.1 and libsodium take

/** Today's link KDF parameters (fresh salt per run), as a password link stores them. */
let pbkdf2Params = newKdfParams();

const hexPrefix = (bytes: Uint8Array) =>
  Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");

/** One guess with the given implementation; resolves to the derived 32 bytes. */
async function guess(implementation: Implementation, params?: Argon2Params): Promise<Uint8Array> {
  if (implementation === "webcrypto") return deriveWrappingKey(PASSWORD, pbkdf2Params);
  if (!params) throw new Error(`${implementation} needs Argon2 parameters`);
  const password = new TextEncoder().encode(PASSWORD.normalize("NFKC"));
  switch (implementation) {
    case "hash-wasm":
      return (await hashWasmArgon2id({
        password,
        salt: ARGON2_SALT,
        memorySize: params.m,
        iterations: params.t,
        parallelism: params.p,
        hashLength: 32,
        outputType: "binary",
      })) as Uint8Array;
    case "libsodium":
      // crypto_pwhash fixes p = 1 (one lane); memlimit is in bytes, opslimit is t.
      if (params.p !== 1) throw new Error("libsodium's crypto_pwhash supports p = 1 only");
      await sodium.ready;
      return sodium.crypto_pwhash(
        32,
        password,
        ARGON2_SALT,
        params.t,
        params.m * 1024,
        sodium.crypto_pwhash_ALG_ARGON2ID13,
      );
    case "noble":
      return nobleArgon2id(password, ARGON2_SALT, { m: params.m, t: params.t, p: params.p, dkLen: 32 });
  }
}

async function timedGuess(implementation: Implementation, params?: Argon2Params) {
  const started = performance.now();
  const output = await guess(implementation, params);
  return { ms: performance.now() - started, output };
}

export async function measureLinkKdf(options: LoopOptions): Promise<LoopResult> {
  pbkdf2Params = newKdfParams();
  const paramSets = ARGON2_PARAMS.filter((p) => !options.only?.length || options.only.includes(p.name));
  if (paramSets.length === 0) throw new Error("no Argon2 parameter set selected");
  const cases: CaseResult[] = [
    { implementation: "webcrypto", samples: [], outputPrefix: "" },
    ...paramSets.flatMap((params) =>
      ARGON2_IMPLEMENTATIONS.map(
        (implementation): CaseResult => ({ implementation, params, samples: [], outputPrefix: "" }),
      ),
    ),
  ];

  // Cold first calls (what a link page pays once: library and WebAssembly instantiation included), on the
  // smallest parameter set; they double as the warm-up, so the timed rounds below measure a warm guess.
  const coldMs = {} as Record<Implementation, number>;
  for (const implementation of ["webcrypto", ...ARGON2_IMPLEMENTATIONS] as Implementation[]) {
    coldMs[implementation] = (await timedGuess(implementation, paramSets[0])).ms;
  }

  for (let round = 0; round < options.rounds; round++) {
    for (const c of cases) {
      const tooSlow = c.samples.length >= 2 && Math.min(...c.samples) > options.slowMs;
      if (tooSlow) {
        c.note = `stopped after ${c.samples.length} samples (> ${options.slowMs} ms each)`;
        continue;
      }
      const { ms, output } = await timedGuess(c.implementation, c.params);
      c.samples.push(ms);
      const prefix = hexPrefix(output);
      if (c.outputPrefix && c.outputPrefix !== prefix)
        throw new Error(`${c.implementation} is not deterministic`);
      c.outputPrefix = prefix;
    }
  }

  // Three independent implementations must derive the same bytes from the same inputs.
  for (const params of paramSets) {
    const prefixes = new Set(cases.filter((c) => c.params === params).map((c) => c.outputPrefix));
    if (prefixes.size !== 1) throw new Error(`Argon2id implementations disagree for ${params.name}`);
  }
  return { coldMs, pbkdf2Iterations: pbkdf2Params.iterations, cases };
}
