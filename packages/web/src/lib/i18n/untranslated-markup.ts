/** Text a person would read, written literally in a component's markup instead of coming from the catalogue. */
export interface UntranslatedText {
  line: number;
  text: string;
}

const ATTRIBUTES = /\b(aria-label|placeholder|title|alt|label)="([^"{]*[A-Za-z][^"{]*)"/g;

/** Scans a .svelte file's markup (script and style left out) for literal text nodes and readable attributes. */
export function findUntranslatedText(source: string): UntranslatedText[] {
  const blank = (m: string) => m.replace(/[^\n]/g, " ");
  let markup = source
    .replace(/<script[\s\S]*?<\/script>/g, blank)
    .replace(/<style[\s\S]*?<\/style>/g, blank)
    .replace(/<!--[\s\S]*?-->/g, blank);
  // Expressions, including {t("…", { n })}, are not literal text: blanked from the innermost out.
  for (let before = ""; before !== markup; ) {
    before = markup;
    markup = markup.replace(/\{[^{}]*\}/g, blank);
  }
  const found: UntranslatedText[] = [];
  const lineOf = (index: number) => markup.slice(0, index).split("\n").length;
  for (const m of markup.matchAll(/>([^<>]*)</g)) {
    const text = m[1]?.trim() ?? "";
    if (/[A-Za-z]{2}/.test(text)) found.push({ line: lineOf(m.index ?? 0), text });
  }
  for (const m of markup.matchAll(ATTRIBUTES))
    found.push({ line: lineOf(m.index ?? 0), text: `${m[1]}="${m[2]}"` });
  return found;
}
