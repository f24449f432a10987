/** Signs written before the amount, the same in English and Chinese; other codes follow it. */
const CURRENCY_SIGNS: Readonly<Record<string, string>> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', CNY: '¥', INR: '₹', KRW: '₩' };

/**
 * What goes before and after an amount of a currency: ['$', ''] for a currency with a sign,
 * ['', ' SEK'] for the others, ['', ''] when the currency is unknown.
 * @example currencyAffixes('EUR') // ['€', '']
 */
export function currencyAffixes(currency: string | undefined): readonly [string, string] {
  if (!currency) return ['', ''];
  const sign = CURRENCY_SIGNS[currency];
  return sign ? [sign, ''] : ['', ` ${currency}`];
}

/**
 * Money with its currency: $1,200 for a currency with a sign, 1,200 SEK for the others, and the
 * bare amount when the currency is unknown.
 * @example withCurrency('1,200', 'EUR') // '€1,200'
 */
export function withCurrency(amount: string, currency: string | undefined): string {
  const [before, after] = currencyAffixes(currency);
  return `${before}${amount}${after}`;
}
