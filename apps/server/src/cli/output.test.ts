/** Human output: numbers as a person reads them; JSON output is not touched here and stays exact. */
import { expect, it } from 'vitest';
import { humanNumber, table } from './output.ts';

it('prints floats to six significant digits and integers as they are', () => {
  expect(humanNumber(13.900000000000002)).toBe('13.9');
  expect(humanNumber(0.000123456789)).toBe('0.000123457');
  expect(humanNumber(1250)).toBe('1250');
  expect(humanNumber(Number.NaN)).toBe('NaN');
  expect(table([{ criterion: 'lift', actual: 13.900000000000002 }])).toMatch(/^lift\s+13\.9$/m);
});
