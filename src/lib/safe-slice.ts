/**
 * The first `max` UTF-16 code units of a text, one fewer when the cut would split a surrogate pair:
 * an emoji is kept whole or left out, never halved into a lone `\ud83d` that Slack shows as �.
 * @example safeSlice('a😀', 2) // 'a'
 */
export function safeSlice(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * A text cut to a limit, ending in "…" when cut (never inside a surrogate pair).
 * @example clipText('Won revenue by region', 10) // 'Won reven…'
 */
export function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${safeSlice(text, max - 1)}…`;
}
