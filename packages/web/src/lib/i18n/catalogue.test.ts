import { describe, expect, it } from "vitest";
import { en } from "./en.js";
import { fillPlaceholders } from "./format-message.js";
import { fr } from "./fr.js";
import { translate } from "./translate.js";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalogue", () => {
  it("French has every English key, no other, each non-empty with the same placeholders", () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const french = fr[key as keyof typeof en];
      expect(french.trim(), key).not.toBe("");
      expect(placeholders(french), key).toEqual(placeholders(text));
    }
  });

  it("fills placeholders, formats numbers by locale and picks plural forms", () => {
    expect(translate("en", "unlock.signedInAs", { email: "a@b.c" })).toContain("Signed in as a@b.c.");
    expect(translate("fr", "unlock.signedInAs", { email: "a@b.c" })).toContain("Connecté en tant que a@b.c.");
    expect(translate("en", "count.photos", { count: 1 })).toBe("1 photo");
    expect(translate("en", "count.photos", { count: 1234 })).toBe("1,234 photos");
    // French counts 0 and 1 as singular, and groups digits with a narrow no-break space.
    expect(translate("fr", "count.photos", { count: 0 })).toBe("0 photo");
    expect(translate("fr", "count.photos", { count: 1234 })).toBe("1\u202f234 photos");
    expect(fillPlaceholders("{a} and {b}", { a: "x" }, "en")).toBe("x and {b}");
  });
});
