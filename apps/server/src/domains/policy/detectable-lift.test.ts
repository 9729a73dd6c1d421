/** The smallest detectable lift, held to scipy (brentq on the same two-proportion power, norm.cdf/isf). */
import { expect, it } from 'vitest';
import { detectableLift, detectableLiftWarning } from './detectable-lift.ts';

it('matches scipy for an observed hold rate and for the planning rate', () => {
  // scipy 1.17.1: brentq(lambda d: power(0.1, 0.1 + d, 1000, 250) - 0.8, ...) * 100 = 6.901179170230633
  expect(detectableLift(1000, 250, { baseRate: 0.1 })).toMatchObject({
    pts: 6.901,
    base_rate_source: 'observed',
    underpowered: false,
  });
  // ... power(0.03, 0.03 + d, 100, 20): 25.5691085883553, above the 10-pt target
  const small = detectableLift(100, 20);
  expect(small).toMatchObject({ pts: 25.569, base_rate: 0.03, base_rate_source: 'planning', underpowered: true });
  expect(detectableLiftWarning(small)).toContain('smallest lift detectable at 80% power is 25.6 pts');
  expect(detectableLift(0, 20)).toMatchObject({ pts: null, underpowered: true });
});
