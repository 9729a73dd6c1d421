/** USPS Publication 28 abbreviations used by address normalization (a common subset, plus frequent misspellings). */

export const STREET_SUFFIXES: Readonly<Record<string, string>> = {
  ALLEY: 'ALY', ALLY: 'ALY', ALY: 'ALY', AVENUE: 'AVE', AVE: 'AVE', AV: 'AVE', AVEN: 'AVE', AVENU: 'AVE', AVN: 'AVE',
  AVNUE: 'AVE', BEND: 'BND', BND: 'BND', BOULEVARD: 'BLVD', BLVD: 'BLVD', BOUL: 'BLVD', BOULV: 'BLVD',
  BRANCH: 'BR', BR: 'BR', BRIDGE: 'BRG', BRG: 'BRG', BYPASS: 'BYP', BYP: 'BYP', CAUSEWAY: 'CSWY', CSWY: 'CSWY',
  CENTER: 'CTR', CENTRE: 'CTR', CTR: 'CTR', CIRCLE: 'CIR', CIR: 'CIR', CIRC: 'CIR', CRCL: 'CIR', CLIFF: 'CLF',
  CLUB: 'CLB', COMMON: 'CMN', CORNER: 'COR', COURSE: 'CRSE', COURT: 'CT', CT: 'CT', CRT: 'CT', COVE: 'CV', CV: 'CV',
  CREEK: 'CRK', CRK: 'CRK', CRESCENT: 'CRES', CRES: 'CRES', CROSSING: 'XING', XING: 'XING', DALE: 'DL',
  DRIVE: 'DR', DR: 'DR', DRV: 'DR', DRIV: 'DR', ESTATE: 'EST', ESTATES: 'ESTS', EXPRESSWAY: 'EXPY', EXPY: 'EXPY',
  EXTENSION: 'EXT', FALLS: 'FLS', FIELD: 'FLD', FIELDS: 'FLDS', FLAT: 'FLT', FOREST: 'FRST', FORK: 'FRK',
  FREEWAY: 'FWY', FWY: 'FWY', GARDEN: 'GDN', GARDENS: 'GDNS', GATEWAY: 'GTWY', GLEN: 'GLN', GREEN: 'GRN',
  GROVE: 'GRV', GRV: 'GRV', HARBOR: 'HBR', HAVEN: 'HVN', HEIGHTS: 'HTS', HTS: 'HTS', HIGHWAY: 'HWY', HWY: 'HWY',
  HIWAY: 'HWY', HILL: 'HL', HILLS: 'HLS', HOLLOW: 'HOLW', HOLW: 'HOLW', ISLAND: 'IS', JUNCTION: 'JCT', KNOLL: 'KNL',
  LAKE: 'LK', LAKES: 'LKS', LANDING: 'LNDG', LANE: 'LN', LN: 'LN', LOOP: 'LOOP', MANOR: 'MNR', MEADOW: 'MDW',
  MEADOWS: 'MDWS', MILL: 'ML', MOUNT: 'MT', MOUNTAIN: 'MTN', ORCHARD: 'ORCH', OVAL: 'OVAL', PARKWAY: 'PKWY',
  PKWY: 'PKWY', PARKWY: 'PKWY', PKY: 'PKWY', PASSAGE: 'PSGE', PIKE: 'PIKE', PINES: 'PNES', PLACE: 'PL', PL: 'PL',
  PLAINS: 'PLNS', PLAZA: 'PLZ', PLZ: 'PLZ', POINT: 'PT', PT: 'PT', PORT: 'PRT', PRAIRIE: 'PR', RANCH: 'RNCH',
  RIDGE: 'RDG', RDG: 'RDG', RIVER: 'RIV', ROAD: 'RD', RD: 'RD', ROUTE: 'RTE', RTE: 'RTE', RUN: 'RUN', SHORE: 'SHR',
  SPRING: 'SPG', SPRINGS: 'SPGS', SQUARE: 'SQ', SQ: 'SQ', STATION: 'STA', STREET: 'ST', ST: 'ST', STR: 'ST',
  STRT: 'ST', SUMMIT: 'SMT', TERRACE: 'TER', TER: 'TER', TERR: 'TER', TRACE: 'TRCE', TRAIL: 'TRL', TRL: 'TRL',
  TRAILS: 'TRL', TURNPIKE: 'TPKE', TPKE: 'TPKE', VALLEY: 'VLY', VIEW: 'VW', VW: 'VW', VILLAGE: 'VLG', VILLE: 'VL',
  VISTA: 'VIS', WALK: 'WALK', WAY: 'WAY', WY: 'WAY', WELLS: 'WLS',
};

export const DIRECTIONALS: Readonly<Record<string, string>> = {
  NORTH: 'N', SOUTH: 'S', EAST: 'E', WEST: 'W', NORTHEAST: 'NE', NORTHWEST: 'NW', SOUTHEAST: 'SE', SOUTHWEST: 'SW',
};

export const ORDINAL_WORDS: Readonly<Record<string, string>> = {
  FIRST: '1ST', SECOND: '2ND', THIRD: '3RD', FOURTH: '4TH', FIFTH: '5TH', SIXTH: '6TH', SEVENTH: '7TH',
  EIGHTH: '8TH', NINTH: '9TH', TENTH: '10TH', ELEVENTH: '11TH', TWELFTH: '12TH', THIRTEENTH: '13TH',
  FOURTEENTH: '14TH', FIFTEENTH: '15TH', SIXTEENTH: '16TH', SEVENTEENTH: '17TH', EIGHTEENTH: '18TH',
  NINETEENTH: '19TH', TWENTIETH: '20TH',
};

/** Words that introduce a unit: what follows is the unit id. */
export const UNIT_DESIGNATORS: ReadonlySet<string> = new Set([
  'APT', 'APARTMENT', 'UNIT', 'STE', 'SUITE', 'LOT', 'SPC', 'SPACE', 'TRLR', 'RM', 'ROOM', 'BLDG', 'BUILDING', 'FL',
  'FLOOR', 'NUM', 'NBR', '#',
]);

/** Every word rewrite in one table; directionals and ordinals win over suffixes ("NO" is North, not a number). */
export const WORD_ABBREVIATIONS: ReadonlyMap<string, string> = new Map([
  ...Object.entries(STREET_SUFFIXES),
  ...Object.entries(ORDINAL_WORDS),
  ...Object.entries(DIRECTIONALS),
  ['SAINT', 'ST'],
]);

export const SUFFIX_ABBREVIATIONS: ReadonlySet<string> = new Set(Object.values(STREET_SUFFIXES));
