import { InvalidInputError } from "./errors.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64URL_LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < B64URL.length; i++) B64URL_LOOKUP[B64URL.charCodeAt(i)] = i;

/** The engine's own codec (TC39 Uint8Array base64, in Chromium since 140; not in Node 20). */
export interface NativeBase64 {
  fromBase64(text: string, options: { alphabet: "base64url"; lastChunkHandling: "loose" }): Uint8Array;
  toBase64(bytes: Uint8Array, options: { alphabet: "base64url"; omitPadding: true }): string;
}

function engineBase64(): NativeBase64 | undefined {
  const U = Uint8Array as unknown as {
    fromBase64?: NativeBase64["fromBase64"];
    prototype: { toBase64?: (options: object) => string };
  };
  const from = U.fromBase64;
  const to = U.prototype.toBase64;
  if (typeof from !== "function" || typeof to !== "function") return undefined;
  return {
    fromBase64: (text, options) => from.call(Uint8Array, text, options),
    toBase64: (bytes, options) => to.call(bytes, options),
  };
}

const NATIVE = engineBase64();
/** Below this the JS loops are as quick as a call out to the engine. */
const NATIVE_FROM = 256;

/** Unpadded base64url (RFC 4648 §5), the encoding of every byte string on the wire and in JSON. */
export function toBase64Url(bytes: Uint8Array): string {
  if (NATIVE && bytes.length >= NATIVE_FROM) return toBase64UrlWith(NATIVE, bytes);
  return toBase64UrlJs(bytes);
}

export function toBase64UrlWith(native: NativeBase64, bytes: Uint8Array): string {
  return native.toBase64(bytes, { alphabet: "base64url", omitPadding: true });
}

function toBase64UrlJs(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]! + B64URL[(n >> 6) & 63]! + B64URL[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]! + B64URL[(n >> 6) & 63]!;
  }
  return out;
}

export function fromBase64Url(text: string): Uint8Array {
  if (NATIVE && text.length >= NATIVE_FROM) return fromBase64UrlWith(NATIVE, text);
  return fromBase64UrlJs(text);
}

/** What the engine's loose decoder takes and this codec does not: padding and ASCII whitespace. */
const LAX_ONLY = ["=", " ", "\t", "\n", "\f", "\r"];

/**
 * The engine's decoder with this codec's strictness: it would skip whitespace, take padding and ignore
 * leftover bits, so those are refused here first (each byte string keeps exactly one encoding). Any other
 * character outside the alphabet makes the engine throw.
 */
export function fromBase64UrlWith(native: NativeBase64, text: string): Uint8Array {
  if (text.length % 4 === 1) throw new InvalidInputError("Invalid base64url length");
  for (const c of LAX_ONLY) if (text.includes(c)) throw new InvalidInputError("Invalid base64url character");
  const tail = text.length % 4;
  if (tail > 0) {
    const last = B64URL_LOOKUP[text.charCodeAt(text.length - 1)] ?? -1;
    if (last < 0) throw new InvalidInputError("Invalid base64url character");
    if ((last & (tail === 2 ? 0b1111 : 0b11)) !== 0) throw new InvalidInputError("Non-canonical base64url");
  }
  try {
    return native.fromBase64(text, { alphabet: "base64url", lastChunkHandling: "loose" });
  } catch {
    throw new InvalidInputError("Invalid base64url character");
  }
}

export function fromBase64UrlJs(text: string): Uint8Array {
  if (text.length % 4 === 1) throw new InvalidInputError("Invalid base64url length");
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let j = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? B64URL_LOOKUP[code]! : -1;
    if (v < 0) throw new InvalidInputError("Invalid base64url character");
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (value >> bits) & 0xff;
    }
  }
  // Canonical form only: leftover bits must be zero so each byte string has exactly one encoding.
  if ((value & ((1 << bits) - 1)) !== 0) throw new InvalidInputError("Non-canonical base64url");
  return out;
}

export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new InvalidInputError("Invalid hex");
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
