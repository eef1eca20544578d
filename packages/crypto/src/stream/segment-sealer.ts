import { importAesGcmKey } from "../hkdf.js";
import { nodeBuiltin } from "../node-builtin.js";
import type { StreamHeader } from "./header.js";
import { TAG_LENGTH } from "./header.js";
import { deriveStreamKeyBytes, segmentNonce } from "./segment.js";

/**
 * Encrypts the segments of one stream under its subkey (AES-256-GCM, nonce per §6.3, empty GCM AD).
 * The parts of one result concatenate to the segment's ciphertext ‖ tag.
 */
export interface SegmentSealer {
  seal(index: number, isLast: boolean, plaintext: Uint8Array): Promise<Uint8Array[]>;
}

export type SegmentSealerBackend = "node" | "webcrypto";

interface NodeGcmCipher {
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
  getAuthTag(): Uint8Array;
}

/** The slice of node:crypto used here. */
interface NodeCipherModule {
  createSecretKey(key: Uint8Array): unknown;
  createCipheriv(
    algorithm: "aes-256-gcm",
    key: unknown,
    iv: Uint8Array,
    options: { authTagLength: number },
  ): NodeGcmCipher;
}

const nodeCrypto = nodeBuiltin<NodeCipherModule>("node:crypto");

/**
 * node:crypto where available: Web Crypto in Node copies every input on the main thread and hands each
 * segment to the thread pool, which costs about 3x the CPU of OpenSSL's one synchronous call (measured in
 * packages/cli/bench). Both produce the same bytes; the stream vectors run against both.
 */
export const defaultSegmentSealerBackend: SegmentSealerBackend =
  typeof nodeCrypto?.createCipheriv === "function" && typeof nodeCrypto.createSecretKey === "function"
    ? "node"
    : "webcrypto";

export async function createSegmentSealer(
  fileKey: Uint8Array,
  header: StreamHeader,
  associatedData: Uint8Array,
  backend: SegmentSealerBackend = defaultSegmentSealerBackend,
): Promise<SegmentSealer> {
  const raw = await deriveStreamKeyBytes(fileKey, header, associatedData);
  const { noncePrefix } = header;
  try {
    if (backend === "node") {
      if (!nodeCrypto) throw new Error("node:crypto is not available here");
      const key = nodeCrypto.createSecretKey(raw);
      const cipher = nodeCrypto;
      return {
        async seal(index, isLast, plaintext) {
          const gcm = cipher.createCipheriv("aes-256-gcm", key, segmentNonce(noncePrefix, index, isLast), {
            authTagLength: TAG_LENGTH,
          });
          const body = gcm.update(plaintext);
          gcm.final();
          const tag = gcm.getAuthTag();
          return body.length > 0 ? [body, tag] : [tag];
        },
      };
    }
    const key = await importAesGcmKey(raw);
    return {
      async seal(index, isLast, plaintext) {
        const out = await crypto.subtle.encrypt(
          {
            name: "AES-GCM",
            iv: segmentNonce(noncePrefix, index, isLast) as BufferSource,
            tagLength: TAG_LENGTH * 8,
          },
          key,
          plaintext as BufferSource,
        );
        return [new Uint8Array(out)];
      },
    };
  } finally {
    raw.fill(0);
  }
}
