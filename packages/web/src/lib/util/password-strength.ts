import { currentLocale } from "../i18n/current-locale.js";
import { en, type MessageName } from "../i18n/en.js";
import { type Locale, translate } from "../i18n/translate.js";

export interface StrengthResult {
  score: 0 | 1 | 2 | 3 | 4;
  /** zxcvbn's warning and suggestions, in the language chosen when checking. */
  warning: string;
  suggestions: string[];
}

type Checker = (password: string, userInputs: string[], lang: Locale) => StrengthResult;

let checker: Promise<Checker> | null = null;

/**
 * zxcvbn's feedback as catalogue text. Built without translations, zxcvbn gives its translation keys
 * (`sequences`, `l33t`…), which name strength.warning.* and strength.suggestion.* messages: English as
 * @zxcvbn-ts/language-en words them, and French. A key the catalogue does not know is left out.
 */
function feedbackText(lang: Locale, kind: "warning" | "suggestion", key: string): string {
  const name = `strength.${kind}.${key}`;
  return Object.hasOwn(en, name) ? translate(lang, name as MessageName) : "";
}

/** zxcvbn and its dictionaries are large, so they load only when a password field is first used. */
function loadChecker(): Promise<Checker> {
  checker ??= (async () => {
    const [core, common, english] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ]);
    const zxcvbn = new core.ZxcvbnFactory({
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...english.dictionary },
    });
    return (password, userInputs, lang) => {
      const r = zxcvbn.check(password, userInputs);
      return {
        score: r.score,
        warning: r.feedback.warning ? feedbackText(lang, "warning", r.feedback.warning) : "",
        suggestions: (r.feedback.suggestions ?? [])
          .map((key) => feedbackText(lang, "suggestion", key))
          .filter((text) => text !== ""),
      };
    };
  })();
  return checker;
}

export const MIN_SCORE = 3;

/** Checks `password`; its feedback comes in the chosen language (read before the wait, so markup tracks it). */
export async function checkPassword(password: string, userInputs: string[] = []): Promise<StrengthResult> {
  const lang = currentLocale();
  const check = await loadChecker();
  return check(password, userInputs, lang);
}
