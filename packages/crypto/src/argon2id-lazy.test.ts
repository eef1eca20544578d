import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";

// Counts how often libsodium's module is evaluated (its factory runs on the first import only).
const loads = vi.hoisted(() => ({ count: 0 }));
vi.mock("libsodium-wrappers-sumo", async (importOriginal) => {
  loads.count++;
  return importOriginal();
});

const SRC = new URL(".", import.meta.url).pathname;
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("Argon2id is loaded lazily", () => {
  it("only argon2id.ts names libsodium, through a dynamic import", () => {
    const naming = sources(SRC).filter((path) =>
      readFileSync(path, "utf8").includes("libsodium-wrappers-sumo"),
    );
    expect(naming.map((path) => path.slice(SRC.length))).toEqual(["argon2id.ts"]);
    const text = readFileSync(join(SRC, "argon2id.ts"), "utf8");
    expect(text).toMatch(/import\("libsodium-wrappers-sumo"\)/);
    expect(text).not.toMatch(/^import[^(]*from "libsodium-wrappers-sumo"/m);
  });

  it("importing the package and its sharing entry, PBKDF2 links and refused parameters do not load it; the first Argon2id link does, once", async () => {
    const api = { ...(await import("./index.js")), ...(await import("./sharing/index.js")) };
    expect(loads.count).toBe(0);
    const { linkId, linkKey } = await api.deriveLinkKeys(api.generateLinkSecret());
    const target = { purpose: "link-file-key" as const, linkId, objectId: "f_AAAAAAAAAAAAAAAAAAAAAA" };
    const key = api.generateFileKey();
    const v1 = { password: "pw", kdf: api.newKdfParams() };
    const wrappedV1 = await api.wrapKeyForLink(linkKey, key, target, v1);
    expect(await api.unwrapKeyForLink(linkKey, wrappedV1, target, v1)).toEqual(key);
    const v2 = { password: "pw", kdf: api.newLinkKdfParams() };
    await expect(
      api.unwrapKeyForLink(linkKey, wrappedV1, target, { ...v2, kdf: { ...v2.kdf, iterations: 1 } }),
    ).rejects.toMatchObject({ code: "WEAK_KDF_PARAMS" });
    expect(loads.count).toBe(0);

    const wrappedV2 = await api.wrapKeyForLink(linkKey, key, target, v2);
    expect(loads.count).toBe(1);
    expect(await api.unwrapKeyForLink(linkKey, wrappedV2, target, v2)).toEqual(key);
    expect(loads.count).toBe(1);
  });
});
