export type MessageParams = Record<string, string | number>;

/** Fills `{name}` placeholders; numbers are written in the locale's own way. A missing value stays visible. */
export function fillPlaceholders(template: string, params: MessageParams, locale: string): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? new Intl.NumberFormat(locale).format(value) : value;
  });
}

/** The catalogue key for `name`: its plural form for `params.count` when the catalogue has plural forms. */
export function pluralKey(
  name: string,
  params: MessageParams,
  locale: string,
  has: (key: string) => boolean,
) {
  if (typeof params.count !== "number" || has(name)) return name;
  const form = new Intl.PluralRules(locale).select(params.count);
  return has(`${name}.${form}`) ? `${name}.${form}` : `${name}.other`;
}
