import { describe, expect, it } from 'vitest';
import { parseSearchQuery } from './query.ts';

describe('a search query', () => {
  it('matches its last word as a prefix while typing', () => {
    expect(parseSearchQuery('Resil')).toEqual({ words: '', prefix: 'Resil' });
    expect(parseSearchQuery('Register Moderni')).toEqual({ words: 'Register', prefix: 'Moderni' });
  });

  it('keeps phrases and exclusions as websearch syntax', () => {
    expect(parseSearchQuery('"digitale Souveränität"')).toEqual({ words: '"digitale Souveränität"', prefix: null });
    expect(parseSearchQuery('Roadmap -Entwurf')).toEqual({ words: 'Roadmap -Entwurf', prefix: null });
    expect(parseSearchQuery('"offene Phrase')).toEqual({ words: '"offene Phrase', prefix: null });
  });

  it('drops tsquery syntax from the prefix', () => {
    expect(parseSearchQuery("x'&|!():*")).toEqual({ words: '', prefix: 'x' });
    expect(parseSearchQuery('a :*')).toEqual({ words: 'a', prefix: null });
  });
});
