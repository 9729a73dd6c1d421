/** Roof material as written by contractors and county records, folded into the enum the model uses. */
export const ROOF_MATERIALS = [
  'asphalt_shingle',
  'metal',
  'tile',
  'slate',
  'wood_shake',
  'flat_membrane',
  'other',
] as const;
export type RoofMaterial = (typeof ROOF_MATERIALS)[number];

// Order matters: the first rule whose word occurs wins ("concrete tile" is tile, "metal shingle" is metal).
const RULES: readonly [RegExp, RoofMaterial][] = [
  [/\b(slate)\b/, 'slate'],
  [/\b(tile|tiles|clay|spanish|terracotta|concrete)\b/, 'tile'],
  [/\b(metal|steel|aluminum|aluminium|tin|copper|standing seam|corrugated)\b/, 'metal'],
  [/\b(wood|shake|shakes|cedar)\b/, 'wood_shake'],
  [
    /\b(flat|membrane|tpo|epdm|pvc|built up|bur|modified bitumen|mod bit|torch down|rolled|roll|tar gravel)\b/,
    'flat_membrane',
  ],
  [
    /\b(asphalt|shingle|shingles|composition|comp|3 tab|three tab|architectural|laminate|dimensional|fiberglass)\b/,
    'asphalt_shingle',
  ],
];

const cache = new Map<string, RoofMaterial>();

/** Returns the enum value, 'other' for an unrecognized description; the caller handles blanks. */
export function toRoofMaterial(value: string): RoofMaterial {
  const hit = cache.get(value);
  if (hit) return hit;
  const text = value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  let result: RoofMaterial = 'other';
  if ((ROOF_MATERIALS as readonly string[]).includes(text.replace(/ /g, '_')))
    result = text.replace(/ /g, '_') as RoofMaterial;
  else {
    for (const [re, material] of RULES) {
      if (re.test(text)) {
        result = material;
        break;
      }
    }
  }
  if (cache.size < 10_000) cache.set(value, result);
  return result;
}
