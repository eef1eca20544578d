/**
 * Writes the deterministic key-handling test vectors (test-vectors/*.json, except stream*.json).
 * Run from the repository root: `npx tsx packages/crypto/scripts/generate-key-vectors.ts`.
 * All randomness comes from a seeded SHA-256 counter-mode generator, and every vector records the exact random
 * draws it consumed (in order) as `random`, so a test can replay them and must reproduce the same bytes.
 */
import { kdfVectors, wrapVectors } from "./key-vectors/kdf-wrap.js";
import { linkRosterVectors } from "./key-vectors/link-roster.js";
import {
  masterKeyVectors,
  recoveryPhraseWrapVectors,
  recoveryVectors,
} from "./key-vectors/master-recovery.js";
import { metadataVectors } from "./key-vectors/metadata.js";
import {
  dedupVectors,
  fingerprintVectors,
  idVectors,
  libraryCheckpointVectors,
  padmeVectors,
} from "./key-vectors/small.js";

await kdfVectors();
await wrapVectors();
await masterKeyVectors();
await recoveryVectors();
await metadataVectors();
await padmeVectors();
await fingerprintVectors();
await dedupVectors();
await idVectors();
await recoveryPhraseWrapVectors();
await libraryCheckpointVectors();
await linkRosterVectors();
