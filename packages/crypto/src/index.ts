export {
  concatBytes,
  equalBytes,
  fromBase64Url,
  fromHex,
  toBase64Url,
  toHex,
  utf8Decode,
  utf8Encode,
} from "./bytes.js";
export * from "./errors.js";
export { hkdfSha256 } from "./hkdf.js";
export * from "./stream/index.js";
