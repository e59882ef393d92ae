import { describe, expect, it } from 'vitest';
import { resultHref, snippetParts } from './search.ts';

describe('search results in the browser', () => {
  it('turns a snippet into text parts, never into markup', () => {
    expect(snippetParts('Die <mark>Maßnahmen</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp; mehr')).toEqual([
      { text: 'Die ', match: false },
      { text: 'Maßnahmen', match: true },
      { text: ' <script>alert(1)</script> & mehr', match: false },
    ]);
    expect(snippetParts('')).toEqual([]);
  });

  it('opens a result at what matched', () => {
    const base = { documentId: 'd1', roomId: 'r1' };
    expect(resultHref({ ...base, anchor: { type: 'milestone', milestoneId: 'm 1' } })).toBe(
      '/documents/d1#milestone-m%201',
    );
    expect(resultHref({ ...base, anchor: { type: 'action', actionId: 'a1' } })).toBe('/documents/d1#action-a1');
    expect(resultHref({ ...base, anchor: { type: 'text', quote: 'Maßnahmen' } })).toBe(
      '/documents/d1?find=Ma%C3%9Fnahmen',
    );
    expect(resultHref({ ...base, anchor: { type: 'thread', threadId: 't1' } })).toBe('/documents/d1?thread=t1');
    expect(resultHref({ documentId: null, roomId: 'r1', anchor: { type: 'decision', decisionId: 'x1' } })).toBe(
      '/rooms/r1/decisions#decision-x1',
    );
    expect(resultHref({ ...base, anchor: undefined })).toBe('/documents/d1');
  });
});
