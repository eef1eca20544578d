import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { nodeBuiltin } from "./node-builtin.js";

/** An incremental HMAC-SHA256 (Web Crypto has no incremental form). */
export interface HmacSha256 {
  update(bytes: Uint8Array): unknown;
  /** The 32-byte MAC; may be called once. */
  digest(): Uint8Array;
}

export type HmacSha256Factory = (key: Uint8Array) => HmacSha256;

/** Pure JS (noble): runs everywhere, ~135 MB/s. */
export const portableHmacSha256: HmacSha256Factory = (key) => hmac.create(sha256, key);

/** The slice of node:crypto used here. */
interface NodeHmacModule {
  createHmac(algorithm: "sha256", key: Uint8Array): HmacSha256;
}

const native = nodeBuiltin<NodeHmacModule>("node:crypto");

/**
 * The fastest implementation available: node:crypto's OpenSSL HMAC in Node (~1 GB/s, SHA extensions),
 * noble elsewhere. Both give identical MACs (hmac-sha256.test.ts).
 */
export const createHmacSha256: HmacSha256Factory =
  typeof native?.createHmac === "function" ? (key) => native.createHmac("sha256", key) : portableHmacSha256;

/** Which implementation createHmacSha256 uses, for benchmarks and tests. */
export const hmacSha256Backend: "node" | "portable" =
  createHmacSha256 === portableHmacSha256 ? "portable" : "node";
