// A small shop for the predictive CLV tests: 120 customers buying from January to November 2024,
// each at its own pace; every third stops after one to three months; every tenth buys dear.
/** 120 customers of a shop, Jan–Nov 2024: each buys at its own pace, and a third stop early. */
export function ordersCsv(): string {
  let seed = 42;
  const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const lines = ['InvoiceNo,StockCode,CustomerID,Quantity,UnitPrice,InvoiceDate'];
  let invoice = 1000;
  for (let c = 1; c <= 120; c++) {
    const start = Date.UTC(2024, 0, 1) + Math.floor(rand() * 120) * 86_400_000;
    const stop = c % 3 === 0 ? start + Math.floor(30 + rand() * 60) * 86_400_000 : Date.UTC(2024, 10, 30);
    const gap = 5 + Math.floor(rand() * 40);
    const price = c % 10 === 0 ? 400 : 10 + Math.floor(rand() * 60);
    for (let t = start; t < stop; t += gap * 86_400_000) {
      lines.push(`${invoice++},A1,${c},${1 + Math.floor(rand() * 5)},${price},${new Date(t + 36_000_000).toISOString().slice(0, 16).replace('T', ' ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The shop's CSV source (orders.csv), in UTC. */
export const SOURCE = `
timezone: UTC
sources:
  shop:
    kind: csv
    files:
      - object: order_lines
        path: orders.csv
        key: InvoiceNo
        columns: { invoice_no: InvoiceNo, customer: { from: CustomerID, unknown: create }, stock_code: StockCode, quantity: Quantity, unit_price: UnitPrice, ordered_at: InvoiceDate }
`;
