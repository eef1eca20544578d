import { describe, expect, it } from "vitest";
import { WebLocalStore } from "./web-local-store.js";

/** A Storage with the methods the store uses, as a page's localStorage provides them. */
function fakeStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    clear: () => map.clear(),
  };
}

describe("WebLocalStore", () => {
  it("keeps contact pins across instances (a reload) and everything else in memory only", async () => {
    const storage = fakeStorage();
    const first = new WebLocalStore("u_a", storage);
    await first.set("contact-pin:u_b", "{pin}");
    await first.set("sync-state", "{big}");
    const reloaded = new WebLocalStore("u_a", storage);
    expect(await reloaded.get("contact-pin:u_b")).toBe("{pin}");
    expect(await reloaded.get("sync-state")).toBeUndefined();
    expect(await reloaded.keys("contact-pin:")).toEqual(["contact-pin:u_b"]);
    expect(await new WebLocalStore("u_other", storage).get("contact-pin:u_b")).toBeUndefined();
    await reloaded.delete("contact-pin:u_b");
    expect(storage.length).toBe(0);
  });

  it("keeps which account a pinned email belongs to and the rollback floors (trust:) across a reload", async () => {
    const storage = fakeStorage();
    const first = new WebLocalStore("u_a", storage);
    await first.set("contact-email:bob@example.com", "u_b");
    await first.set("trust:album-key-version:a_1", "3");
    await first.set("trust:own-identity", "signing-key");
    const reloaded = new WebLocalStore("u_a", storage);
    expect(await reloaded.get("contact-email:bob@example.com")).toBe("u_b");
    expect(await reloaded.get("trust:album-key-version:a_1")).toBe("3");
    expect(await reloaded.get("trust:own-identity")).toBe("signing-key");
    expect(await new WebLocalStore("u_other", storage).get("trust:own-identity")).toBeUndefined();
  });

  it("keeps large uploads' resume state and tus URLs across a reload", async () => {
    const storage = fakeStorage();
    const first = new WebLocalStore("u_a", storage);
    await first.set("pending:abc", "{resume}");
    await first.set("tus::umbra-f_1::k1", "{url}");
    await first.set("dedup:xyz", "f_1");
    const reloaded = new WebLocalStore("u_a", storage);
    expect(await reloaded.get("pending:abc")).toBe("{resume}");
    expect(await reloaded.keys("tus::umbra-f_1::")).toEqual(["tus::umbra-f_1::k1"]);
    expect(await reloaded.get("dedup:xyz")).toBeUndefined();
    // Another user's entries are not this user's.
    expect(await new WebLocalStore("u_b", storage).get("pending:abc")).toBeUndefined();
  });
});
