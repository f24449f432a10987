/** A language crm-pulse speaks: every answer, card, chart and digest is worded in one. */
export type Locale =
  /** English, the default */
  | 'en'
  /** Simplified Chinese */
  | 'zh';

/** Every locale, in the order settings and options list them. */
export const LOCALES = ['en', 'zh'] as const satisfies readonly Locale[];

/** One entry of a catalog: the same words in every locale, side by side. */
export type InLocales<T> = { readonly [L in Locale]: T };

/** A catalog of words: each key of `Words` holds its value in every locale (see lib/by-locale.ts for the lookup). */
export type Catalog<Words> = { readonly [K in keyof Words]: InLocales<Words[K]> };

/** Whether a word (a setting, a command-line option) names a locale crm-pulse speaks. */
export function isLocale(word: string): word is Locale {
  return (LOCALES as readonly string[]).includes(word);
}
