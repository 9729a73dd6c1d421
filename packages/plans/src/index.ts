export * from './charges.ts';
export * from './recommend.ts';
export * from './roi.ts';
