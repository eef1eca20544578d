import { fromBase64Url, toBase64Url } from "./bytes.js";
import { InvalidInputError } from "./errors.js";
import { ID_PATTERN, ID_RANDOM_BYTES } from "./formats.js";
import { type RandomSource, systemRandom } from "./random.js";

/** `u` user, `a` album, `f` file. */
export type IdKind = "u" | "a" | "f";
const KINDS: readonly IdKind[] = ["u", "a", "f"];

/** Internal: generateId with an injected random source. */
export function generateIdWith(random: RandomSource, kind: IdKind): string {
  if (!KINDS.includes(kind)) throw new InvalidInputError(`Unknown id kind ${JSON.stringify(kind)}`);
  const bytes = random(ID_RANDOM_BYTES);
  if (bytes.length !== ID_RANDOM_BYTES)
    throw new InvalidInputError("The random source returned a wrong-sized id");
  return `${kind}_${toBase64Url(bytes)}`;
}

/** Client-generated id: kind letter, "_", 16 random bytes as 22 characters of unpadded base64url. */
export function generateId(kind: IdKind): string {
  return generateIdWith(systemRandom, kind);
}

/** True when `text` is a canonical id of that kind (the last character must encode zero trailing bits). */
export function isId(kind: IdKind, text: unknown): text is string {
  if (typeof text !== "string") return false;
  const match = ID_PATTERN.exec(text);
  if (!match || match[1] !== kind) return false;
  try {
    return fromBase64Url(match[2]!).length === ID_RANDOM_BYTES;
  } catch {
    return false;
  }
}
