import { fromBase64Url } from "@umbra/crypto";
import { InvalidResponseError } from "./errors.js";

/** A wire string that is not base64url is corrupt data from the server, not a user error. */
export function decodeWire(value: string, what: string): Uint8Array {
  try {
    return fromBase64Url(value);
  } catch (cause) {
    throw new InvalidResponseError(`${what} is not valid base64url`, { cause });
  }
}
