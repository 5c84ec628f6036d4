import { describe, expect, it } from 'vitest';
import { isMoreFundamental, LAYERS, layerLabel, layerNumber, mostFundamental } from '../../../src/contracts/index.ts';

/** The four layers are named values; their order is one function, not numbers compared at call sites. */
describe('layers', () => {
  it('are numbered 1 to 4, specification first and profile last', () => {
    expect(LAYERS.map((l) => `${layerNumber(l)} ${l}`)).toEqual(['1 contract', '2 hardware', '3 configuration', '4 profile']);
    expect(layerLabel('hardware')).toBe('layer 2 (realization (hardware spec))');
  });

  it('in a conflict, the most fundamental layer is the one that would have to change', () => {
    expect(mostFundamental(['profile', 'configuration', 'hardware'])).toBe('hardware');
    expect(mostFundamental(['profile', 'contract', 'hardware'])).toBe('contract');
    expect(mostFundamental(['profile'])).toBe('profile');
    expect(isMoreFundamental('configuration', 'profile')).toBe(true);
    expect(isMoreFundamental('profile', 'configuration')).toBe(false);
    expect(isMoreFundamental('hardware', 'hardware')).toBe(false);
  });
});
