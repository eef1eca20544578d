import { describe, expect, it } from "vitest";
import * as api from "./index.js";

describe("public API", () => {
  it("exports the ARCHITECTURE.md key-handling names", () => {
    for (const name of [
      "generateMasterKey",
      "generateAlbumKey",
      "generateFileKey",
      "deriveWrappingKey",
      "newKdfParams",
      "assertKdfParams",
      "wrapKey",
      "unwrapKey",
      "wrapMasterKeyWithPassword",
      "unwrapMasterKeyWithPassword",
      "wrapMasterKeyWithRecovery",
      "unwrapMasterKeyWithRecovery",
      "generateRecoveryPhrase",
      "recoverySecretsFromPhrase",
      "recoveryVerifier",
      "encryptMetadata",
      "decryptMetadata",
      "encryptThumbnail",
      "decryptThumbnail",
      "encryptAlbumName",
      "decryptAlbumName",
      "padmeLength",
      "deriveDedupKey",
      "contentDigest",
      "fingerprint",
      "generateId",
      "isId",
      "UmbraCryptoError",
    ]) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe("function");
    }
  });
  it("never exposes a way to inject randomness", () => {
    const injectable = Object.keys(api).filter((name) => /With$/.test(name) || /random/i.test(name));
    expect(injectable).toEqual([]);
  });
});
