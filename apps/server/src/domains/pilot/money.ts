/** Cents (inputs) to dollars (results), rounded to the cent once, here. */
export function dollars(cents: number): number {
  return Math.round(cents) / 100;
}

/** The same for a range. */
export function dollarRange(range: [number, number]): [number, number] {
  return [dollars(range[0]), dollars(range[1])];
}
