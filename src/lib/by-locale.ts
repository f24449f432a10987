import type { Catalog, InLocales, Locale } from '../domain/locale.ts';
import { LOCALES } from '../domain/locale.ts';

/**
 * A catalog turned around: the words of each locale, ready to read as one object, so a call site
 * writes `m.key(…)` and never picks a language itself. Done once per catalog, at module load.
 * @example byLocale({ yes: { en: 'yes', zh: '是' } }).zh.yes // '是'
 */
export function byLocale<Words>(catalog: Catalog<Words>): InLocales<Words> {
  const words = (locale: Locale) => Object.fromEntries(Object.entries(catalog).map(([key, entry]) => [key, (entry as InLocales<unknown>)[locale]])) as Words;
  return Object.fromEntries(LOCALES.map((locale) => [locale, words(locale)])) as unknown as InLocales<Words>;
}

/**
 * Names in every locale (a dimension, a severity, a segment…): a name's word where the table has one
 * for the locale, else the name itself.
 * @example nameLookup({ region: { zh: '区域' } }).zh('region') // '区域'
 */
export function nameLookup(table: Readonly<Record<string, Partial<InLocales<string>>>>): InLocales<(name: string) => string> {
  const lookup = (locale: Locale) => (name: string) => table[name]?.[locale] ?? name;
  return Object.fromEntries(LOCALES.map((locale) => [locale, lookup(locale)])) as unknown as InLocales<(name: string) => string>;
}
