import { translations as englishTips } from "@zxcvbn-ts/language-en";
import { afterEach, describe, expect, it } from "vitest";
import { followLocale } from "../i18n/current-locale.js";
import { translate } from "../i18n/translate.js";
import { checkPassword } from "./password-strength.js";

afterEach(() => followLocale({ current: "en" }));

describe("password strength feedback", () => {
  it("has a message for every warning and suggestion zxcvbn can give: its own English, and French", () => {
    for (const [kind, tips] of [
      ["warning", englishTips.warnings],
      ["suggestion", englishTips.suggestions],
    ] as const) {
      for (const [key, english] of Object.entries(tips)) {
        const name = `strength.${kind}.${key}` as Parameters<typeof translate>[1];
        expect(translate("en", name), name).toBe(english);
        expect(translate("fr", name), name).not.toBe(english);
      }
    }
  });

  it("speaks English by default", async () => {
    const result = await checkPassword("password");
    expect(result.score).toBe(0);
    expect(result.warning).toBe("This is a heavily used password.");
    const keyboard = await checkPassword("asdfghjkl;'");
    expect(keyboard.warning).toBe("Straight rows of keys on your keyboard are easy to guess.");
    expect(keyboard.suggestions).toContain(
      "Use longer keyboard patterns and change typing direction multiple times.",
    );
  });

  it("speaks French when French is chosen", async () => {
    followLocale({ current: "fr" });
    const result = await checkPassword("password");
    expect(result.warning).toBe("Ce mot de passe est très utilisé.");
    const keyboard = await checkPassword("asdfghjkl;'");
    expect(keyboard.warning).toBe("Les rangées de touches du clavier sont faciles à deviner.");
    expect(keyboard.suggestions).toContain(
      "Utilisez des motifs de clavier plus longs, en changeant plusieurs fois de direction.",
    );
    const repeated = await checkPassword("aaaaaaaa");
    expect(repeated.warning).toBe("Les caractères répétés comme « aaa » sont faciles à deviner.");
  });
});
