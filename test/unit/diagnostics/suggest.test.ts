import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, suggest } from '../../../src/diagnostics/suggest.ts';

describe('suggest', () => {
  it('measures Levenshtein distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests the closest candidate within a third of the length', () => {
    expect(suggest('valdiate', ['validate', 'check', 'ci'])).toBe('validate');
    expect(suggest('ENABEL', ['ENABLE', 'STATUS'])).toBe('ENABLE');
    expect(suggest('xyz', ['validate', 'check'])).toBeUndefined();
  });

  it('ignores case and prefers a full prefix', () => {
    expect(suggest('enable', ['ENABLE', 'EN'])).toBe('ENABLE');
    expect(suggest('fail', ['format', 'fail-on'])).toBe('fail-on');
  });

  it('breaks ties by candidate order and phrases the hint', () => {
    expect(suggest('cat', ['bat', 'cap'])).toBe('bat');
    expect(didYouMean('typescrpt', ['c', 'typescript'])).toBe('did you mean typescript?');
    expect(didYouMean('zzzz', ['c'])).toBeUndefined();
  });
});
