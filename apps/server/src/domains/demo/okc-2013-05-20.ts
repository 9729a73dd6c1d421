/**
 * The 20 May 2013 scenario: the real SPC hail reports from Oklahoma (Norman office, OUN) that day, embedded so the
 * generator needs no data folder, and the Oklahoma City metro's cities and ZIPs (approximate ZIP centroids) with
 * typical house ages and prices. Source rows: shared/data/spc/130520_rpts_hail.csv and _torn.csv.
 */
import { parseSpcReports, type StormReport } from '../storm-reports/spc-parser.ts';

/** The same rows as text, in the SPC combined-file layout (an importer input for demos). */
export const HAIL_CSV = `Time,Size,Location,County,State,Lat,Lon,Comments
1854,175,6 N MARLOW,GRADY,OK,34.73,-97.96,(OUN)
1856,100,1 S RUSH SPRINGS,GRADY,OK,34.76,-97.96,(OUN)
1902,100,6 W DUNCAN,STEPHENS,OK,34.52,-98.07,(OUN)
1927,325,YUKON,CANADIAN,OK,35.51,-97.75,(OUN)
1928,100,WILL ROGERS AIRPORT,OKLAHOMA,OK,35.39,-97.6,(OUN)
2006,250,3 NNW MOORE,OKLAHOMA,OK,35.38,-97.5,(OUN)
2112,200,WILL ROGERS AIRPORT,OKLAHOMA,OK,35.39,-97.6,(OUN)
2136,175,WHITEBEAD,GARVIN,OK,34.77,-97.3,(OUN)
2152,175,6 W STRATFORD,GARVIN,OK,34.8,-97.07,(OUN)
Time,F_Scale,Location,County,State,Lat,Lon,Comments
1956,UNK,NEWCASTLE,MCCLAIN,OK,35.25,-97.6,LIFTED AROUND 336 PM. ESTIMATED PATH LENGTH OF 20 MILES THRU NEWCASTLE,MOORE,AND SOUTH OKC. PRELIMINARY DAMAGE RATING OF AT LEAST EF4. (OUN)
`;

export const OKC_2013_05_20_REPORTS: readonly StormReport[] = parseSpcReports(HAIL_CSV, {
  fileName: '130520_rpts.csv',
}).reports;

export const OKC_2013_05_20_HAIL: readonly StormReport[] = OKC_2013_05_20_REPORTS.filter((r) => r.kind === 'hail');

export interface ZipArea {
  city: string;
  zip: string;
  lat: number;
  lon: number;
  /** Share of the scenario's properties. */
  weight: number;
  /** Typical year built and dollars per square foot. */
  builtAround: number;
  dollarsPerSqft: number;
}

const CITY_PROFILE: Record<string, { builtAround: number; dollarsPerSqft: number }> = {
  'Oklahoma City': { builtAround: 1978, dollarsPerSqft: 105 },
  Moore: { builtAround: 1990, dollarsPerSqft: 100 },
  Norman: { builtAround: 1988, dollarsPerSqft: 115 },
  Edmond: { builtAround: 1998, dollarsPerSqft: 135 },
  'Midwest City': { builtAround: 1966, dollarsPerSqft: 82 },
  'Del City': { builtAround: 1962, dollarsPerSqft: 76 },
  Yukon: { builtAround: 1995, dollarsPerSqft: 112 },
  Mustang: { builtAround: 1997, dollarsPerSqft: 110 },
  Bethany: { builtAround: 1965, dollarsPerSqft: 88 },
  Newcastle: { builtAround: 2002, dollarsPerSqft: 118 },
};

const ZIPS: readonly [string, string, number, number, number][] = [
  ['Moore', '73160', 35.33, -97.48, 8],
  ['Moore', '73165', 35.33, -97.37, 2],
  ['Oklahoma City', '73170', 35.33, -97.55, 6],
  ['Oklahoma City', '73159', 35.4, -97.57, 5],
  ['Oklahoma City', '73139', 35.38, -97.52, 5],
  ['Oklahoma City', '73149', 35.39, -97.49, 3],
  ['Oklahoma City', '73119', 35.42, -97.56, 4],
  ['Oklahoma City', '73109', 35.43, -97.52, 3],
  ['Oklahoma City', '73129', 35.43, -97.49, 2],
  ['Oklahoma City', '73135', 35.4, -97.43, 2],
  ['Oklahoma City', '73173', 35.34, -97.62, 2],
  ['Oklahoma City', '73169', 35.39, -97.64, 1],
  ['Oklahoma City', '73108', 35.45, -97.56, 2],
  ['Oklahoma City', '73107', 35.48, -97.57, 2],
  ['Oklahoma City', '73112', 35.52, -97.58, 3],
  ['Oklahoma City', '73118', 35.51, -97.53, 2],
  ['Oklahoma City', '73116', 35.55, -97.56, 2],
  ['Oklahoma City', '73120', 35.58, -97.57, 3],
  ['Oklahoma City', '73127', 35.48, -97.65, 2],
  ['Oklahoma City', '73128', 35.44, -97.65, 2],
  ['Oklahoma City', '73132', 35.55, -97.64, 3],
  ['Oklahoma City', '73162', 35.58, -97.64, 3],
  ['Yukon', '73099', 35.51, -97.76, 5],
  ['Mustang', '73064', 35.39, -97.72, 3],
  ['Bethany', '73008', 35.51, -97.64, 2],
  ['Newcastle', '73065', 35.25, -97.6, 2],
  ['Norman', '73069', 35.22, -97.46, 4],
  ['Norman', '73071', 35.23, -97.4, 4],
  ['Norman', '73072', 35.21, -97.5, 4],
  ['Edmond', '73034', 35.67, -97.46, 4],
  ['Edmond', '73003', 35.67, -97.5, 2],
  ['Edmond', '73013', 35.62, -97.49, 3],
  ['Midwest City', '73110', 35.46, -97.39, 3],
  ['Midwest City', '73130', 35.46, -97.34, 2],
  ['Del City', '73115', 35.44, -97.44, 3],
];

export const OKC_ZIP_AREAS: readonly ZipArea[] = ZIPS.map(([city, zip, lat, lon, weight]) => ({
  city,
  zip,
  lat,
  lon,
  weight,
  ...CITY_PROFILE[city]!,
}));

/** Street names that sound like the metro: its numbered grid (SW 89th St) and common subdivision names. */
export const OKC_STREET_NAMES: readonly string[] = [
  'Santa Fe',
  'Penn',
  'May',
  'Western',
  'Walker',
  'Eastern',
  'Bryant',
  'Sunnylane',
  'Broadway',
  'Telephone',
  'Janeway',
  'Eagle',
  'Crystal Springs',
  'Country Club',
  'Timber Ridge',
  'Briarwood',
  'Redbud',
  'Pecan',
  'Cedar',
  'Oak Tree',
  'Willow',
  'Meadowlark',
  'Prairie',
  'Sooner',
  'Cimarron',
  'Chisholm',
  'Red Rock',
  'Cottonwood',
  'Blackjack',
  'Post Oak',
  'Maple',
  'Elm',
  'Hickory',
  'Magnolia',
  'Mockingbird',
  'Bluestem',
  'Turtle Creek',
  'Stonegate',
  'Fox Run',
  'Quail Run',
  'Hunters Glen',
  'Wind Song',
  'Apple Valley',
  'Shady Brook',
  'Lakeside',
  'Summit',
  'Whispering Pines',
  'Sherwood',
  'Kingsgate',
  'Heritage',
  'Rolling Hills',
  'Canyon',
  'Arrowhead',
  'Buffalo',
  'Bison',
  'Wildflower',
  'Harvest',
  'Wheatland',
  'Silver Lake',
  'Brookhaven',
];

export const OKC_STREET_SUFFIXES: readonly string[] = [
  'St',
  'Ave',
  'Dr',
  'Ln',
  'Ct',
  'Cir',
  'Pl',
  'Ter',
  'Blvd',
  'Way',
  'Rd',
  'Trl',
];
