// Public API of the segmented streaming AEAD (`@umbra/crypto/stream`).
export { createDecryptStream, type DecryptStreamOptions } from "./decrypt.js";
export { createEncryptStream, DEFAULT_SEGMENT_SIZE, type EncryptStreamOptions } from "./encrypt.js";
export {
  MAX_SEGMENT_SIZE,
  MIN_SEGMENT_SIZE,
  parseStreamHeader,
  STREAM_HEADER_LENGTH,
  type StreamHeader,
} from "./header.js";
export { generateStreamHeader } from "./header-option.js";
export {
  ciphertextLength,
  plaintextLengthFromCiphertextLength,
  type SegmentRange,
  segmentCount,
  segmentRangeForBytes,
} from "./layout.js";
export {
  LIVE_SEGMENT_SIZE,
  type LiveStreamOptions,
  liveFinalSegmentLength,
  type OpenedSegment,
  StreamSegmentOpener,
  StreamSegmentSealer,
} from "./live.js";
export { type FetchCiphertextRange, SegmentReader, type SegmentReaderOptions } from "./reader.js";
// Random access with a key handed over as a non-extractable CryptoKey (the web app's video Service Worker).
export {
  type DecryptSegmentOptions,
  decryptSegment,
  decryptSegmentWithKey,
  deriveStreamKey,
} from "./segment.js";
