export interface StrengthResult {
  score: 0 | 1 | 2 | 3 | 4;
  warning: string;
  suggestions: string[];
}

type Checker = (password: string, userInputs: string[]) => StrengthResult;

let checker: Promise<Checker> | null = null;

/** zxcvbn and its dictionaries are large, so they load only when a password field is first used. */
function loadChecker(): Promise<Checker> {
  checker ??= (async () => {
    const [core, common, en] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ]);
    const zxcvbn = new core.ZxcvbnFactory({
      translations: en.translations,
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...en.dictionary },
    });
    return (password, userInputs) => {
      const r = zxcvbn.check(password, userInputs);
      return {
        score: r.score,
        warning: r.feedback.warning ?? "",
        suggestions: r.feedback.suggestions ?? [],
      };
    };
  })();
  return checker;
}

export const MIN_SCORE = 3;

export async function checkPassword(password: string, userInputs: string[] = []): Promise<StrengthResult> {
  const check = await loadChecker();
  return check(password, userInputs);
}
