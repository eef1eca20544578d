/** Helpers shared by the key-vector generators (see ../generate-key-vectors.ts). */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { UmbraCryptoError } from "../../src/errors.js";

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "test-vectors");
export const GENERATOR = "packages/crypto/scripts/generate-key-vectors.ts";

/** Runs a failing operation and returns its error code, so a negative vector cannot record a wrong code. */
export async function errorCode(operation: () => Promise<unknown> | unknown): Promise<string> {
  try {
    await operation();
  } catch (error) {
    return (error as UmbraCryptoError).code ?? "NOT_AN_UMBRA_ERROR";
  }
  throw new Error("Negative vector did not fail");
}

export function flipBit(bytes: Uint8Array, index: number): Uint8Array {
  const out = bytes.slice();
  out[index]! ^= 0x01;
  return out;
}

export function withVersion(bytes: Uint8Array, version: number): Uint8Array {
  const out = bytes.slice();
  out[0] = version;
  return out;
}

export function write(name: string, description: string, body: Record<string, unknown>): void {
  const file = { version: 1, description, generator: GENERATOR, ...body };
  writeFileSync(join(OUT_DIR, name), `${JSON.stringify(file, null, 2)}\n`);
  console.log(`wrote ${name}`);
}

export interface Negative {
  description: string;
  operation: string;
  input: Record<string, unknown>;
  error: string;
  messageIncludes?: string;
}

export async function negative(
  description: string,
  operation: string,
  input: Record<string, unknown>,
  run: () => Promise<unknown> | unknown,
  messageIncludes?: string,
): Promise<Negative> {
  const error = await errorCode(run);
  return { description, operation, input, error, ...(messageIncludes ? { messageIncludes } : {}) };
}

export function fromHexOf(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (byte) => Number.parseInt(byte, 16));
}
