/** Numbers, money and dates for a US reader. Money arrives in integer cents. */
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const usd0 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const int = new Intl.NumberFormat('en-US');
const date = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

export const money = (cents: number): string => usd.format(cents / 100);
export const dollars = (cents: number): string => usd0.format(Math.round(cents / 100));
export const count = (n: number): string => int.format(n);
export const pct = (x: number | null, digits = 1): string => (x === null ? '—' : `${x.toFixed(digits)}%`);
export const ratioPct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(0)}%`);
/** An ISO date or timestamp as "May 20, 2013" (UTC: storms and periods are calendar days). */
export const usDate = (iso: string | null): string => (iso ? date.format(new Date(iso)) : '—');
