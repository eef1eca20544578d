import { assertIdField } from "./associated-data.js";
import { utf8Encode } from "./bytes.js";

export const FILE_CONTENT_LABEL = "umbra/v1/file-content";

/**
 * The associated data of a file's content stream (SPEC §6.2): `UTF-8("umbra/v1/file-content") ‖ 0x00 ‖
 * UTF-8(fileId)`. It binds the ciphertext to its file, so the server cannot swap two files' contents. Not §1's
 * `enc(…)`: these are the bytes every stored file was written with, kept so existing vaults decrypt. A file id
 * has a fixed format without a NUL, so the concatenation is unambiguous.
 */
export function fileContentAssociatedData(fileId: string): Uint8Array {
  assertIdField(fileId, "fileId");
  return utf8Encode(`${FILE_CONTENT_LABEL}\u0000${fileId}`);
}
