import { describe, expect, it } from 'vitest';
import { enc, runImport } from '../../domains/properties/import-test-helpers.ts';
import { openJsonl } from './jsonl-reader.ts';

describe('openJsonl', () => {
  it('turns keys into columns, values into strings, and appends keys seen later', async () => {
    const text =
      '{"address":"1 Main St","zip":73160,"owner_occupied":true}\n\n{"address":"2 Main St","zip":"73160","pool":{"size":3}}\n';
    const src = await openJsonl([enc(text)]);
    const rows = [];
    for await (const b of src.batches) rows.push(...b);
    expect(src.header).toEqual(['address', 'zip', 'owner_occupied', 'pool']);
    expect(rows).toEqual([
      { rowNumber: 1, fields: ['1 Main St', '73160', 'true'] },
      { rowNumber: 3, fields: ['2 Main St', '73160', '', '{"size":3}'] },
    ]);
  });

  it('imports JSON Lines end to end (format sniffed), late keys becoming attributes', async () => {
    const text = '{"address":"1 Main St","zip":"73160"}\n{"address":"2 Main St","zip":"73160","gate_code":"1234"}';
    const out = await runImport(enc(text), { chunkSize: 5 });
    expect(out.error).toBeUndefined();
    expect(out.properties.map((p) => [p.row, p.address_key, p.attributes])).toEqual([
      [1, '1 MAIN ST|73160', {}],
      [2, '2 MAIN ST|73160', { gate_code: '1234' }],
    ]);
  });
});
