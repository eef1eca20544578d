import { utf8Encode } from "./bytes.js";
import { InvalidInputError } from "./errors.js";

// In Unicode-aware mode \p{Cs} matches only unpaired surrogates, which UTF-8 encoding would silently replace.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Encodes a sequence of text fields as `u32be(byteLength) ‖ UTF-8 bytes` for each field, in order.
 * Every field is self-delimiting, so two different sequences never share an encoding (no `a|b` vs `a|`+`b` mix-ups).
 */
export function encodeAssociatedData(fields: readonly string[]): Uint8Array {
  const parts = fields.map((field) => {
    if (typeof field !== "string") throw new InvalidInputError("Associated data fields must be strings");
    if (LONE_SURROGATE.test(field)) throw new InvalidInputError("Associated data field is not valid Unicode");
    return utf8Encode(field);
  });
  let length = 0;
  for (const part of parts) length += 4 + part.length;
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const part of parts) {
    view.setUint32(offset, part.length);
    out.set(part, offset + 4);
    offset += 4 + part.length;
  }
  return out;
}

/** Checks an id-like field (owner, object, file, album): a non-empty string of at most 200 characters. */
export function assertIdField(value: unknown, what: string): asserts value is string {
  if (typeof value !== "string" || value.length === 0 || value.length > 200) {
    throw new InvalidInputError(`${what} must be a non-empty string of at most 200 characters`);
  }
}
