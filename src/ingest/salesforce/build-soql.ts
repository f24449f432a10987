/**
 * The SOQL of one incremental read: the system fields, then the mapped ones, changed after the
 * cursor, oldest first, so that the cursor can follow the newest SystemModstamp read.
 * @example buildSoql('Opportunity', ['Name', 'Amount'], Date.parse('2024-01-05T10:00:00Z'), true)
 * // SELECT Id, SystemModstamp, IsDeleted, Name, Amount FROM Opportunity WHERE SystemModstamp > 2024-01-05T10:00:00Z ORDER BY SystemModstamp ASC
 */
export function buildSoql(object: string, fields: readonly string[], afterMs: number | undefined, withDeleted: boolean): string {
  const select = ['Id', 'SystemModstamp', ...(withDeleted ? ['IsDeleted'] : [])];
  // SOQL refuses a field selected twice, and field names are case-insensitive.
  const seen = new Set(select.map((f) => f.toLowerCase()));
  for (const f of fields) {
    if (seen.has(f.toLowerCase())) continue;
    seen.add(f.toLowerCase());
    select.push(f);
  }
  const where = afterMs === undefined ? '' : ` WHERE SystemModstamp > ${soqlDateTime(afterMs)}`;
  return `SELECT ${select.join(', ')} FROM ${object}${where} ORDER BY SystemModstamp ASC`;
}

/** A SOQL dateTime literal in UTC, whole seconds (SystemModstamp has no finer precision). */
export function soqlDateTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}
