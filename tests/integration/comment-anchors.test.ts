import { docOf, locatePassage } from '@nordraum/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { writeParagraphs } from '../../packages/domain/src/history/test-docs.ts';
import type { ApiClient, TestApp } from '../helpers/app.ts';
import { paragraphText, passageAnchor, roomWithEveryRole, startTestApp } from '../helpers/comments.ts';
import { connectClient, eventually, type SyncClient } from '../helpers/sync.ts';

// A thread's passage is a pair of Yjs relative positions: it must stay on the same words however
// others type around and inside it, even when two people type at once.

let app: TestApp;
let world: Awaited<ReturnType<typeof roomWithEveryRole>>;
beforeAll(async () => {
  app = await startTestApp({ sync: {} });
  world = await roomWithEveryRole(app);
});
afterAll(() => app.close());

const word = 'Registermodernisierung';
/** Typed inside the passage; everything typed around it is a digit. */
const inside = '·';
const target = (client: ApiClient) => ({ url: app.url, origin: app.origin, cookie: client.cookie });

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % below;
  };
}

type Anchor = ReturnType<typeof passageAnchor>;

/** One edit by one client at a place chosen relative to where the passage is in its copy now. */
function edit(doc: Y.Doc, anchor: Anchor, pick: (below: number) => number) {
  const passage = locatePassage(doc, anchor);
  if (typeof passage === 'string') throw new Error(`passage ${passage}`);
  const text = paragraphText(doc, 0);
  const { from, to } = passage;
  const choice = pick(5);
  if (choice === 0)
    text.insert(pick(from), String(pick(10))); // before the passage
  else if (choice === 1)
    text.insert(to + 1 + pick(text.length - to), String(pick(10))); // after it
  else if (choice === 2)
    text.insert(from + 1 + pick(to - from - 1), inside); // between its letters
  else {
    // Deletes a character typed earlier, around the passage or inside it, when there is one.
    const content = text.toString();
    const typed = [...content].flatMap((char, index) => (/[0-9·]/.test(char) ? [index] : []));
    if (typed.length > 0) text.delete(typed[pick(typed.length)]!, 1);
    else text.insert(pick(from), String(pick(10)));
  }
}

describe('a text anchor', () => {
  it('stays on the same words through 200 concurrent edits by two stock clients around and inside it', async () => {
    const documentId = world.document.id as string;
    const [a, b]: SyncClient[] = [
      connectClient(target(world.clients.owner), documentId),
      connectClient(target(world.clients.editor), documentId),
    ];
    try {
      await Promise.all([a!.synced(), b!.synced()]);
      writeParagraphs(a!.doc, [`Workshop zur ${word} in SH und MV.`]);
      const arrived = () =>
        b!.doc.getXmlFragment('default').length > 0 && paragraphText(b!.doc, 0).toString().includes(word);
      expect(await eventually(arrived)).toBe(true);
      const anchor = passageAnchor(a!.doc, 0, word);
      const created = await world.clients.commenter.post(`/api/documents/${documentId}/threads`, {
        body: 'Begriff prüfen',
        anchor,
      });
      expect(created.status).toBe(201);

      // Both type at once: each edit lands before the other client's previous one has arrived.
      const pickA = random(7);
      const pickB = random(11);
      for (let round = 0; round < 100; round += 1) {
        edit(a!.doc, anchor, pickA);
        edit(b!.doc, anchor, pickB);
        if (round % 10 === 9) await new Promise((done) => setTimeout(done, 20));
      }
      const converged = () => paragraphText(a!.doc, 0).toString() === paragraphText(b!.doc, 0).toString();
      expect(await eventually(converged, 20_000)).toBe(true);

      const response = await fetch(`${app.url}/api/documents/${documentId}/state`, {
        headers: { cookie: world.clients.owner.cookie ?? '' },
      });
      const stored = docOf(new Uint8Array(await response.arrayBuffer()));
      for (const doc of [a!.doc, b!.doc, stored]) {
        const passage = locatePassage(doc, anchor);
        if (typeof passage === 'string') throw new Error(`passage ${passage}`);
        // Exactly the same words, with only what was typed inside them, and nothing from around.
        expect(passage.current.replaceAll(inside, '')).toBe(word);
        expect(
          paragraphText(doc, 0)
            .toString()
            .replace(/[0-9·]/g, ''),
        ).toBe(`Workshop zur ${word} in SH und MV.`);
      }
      // The edits did land on every side: inside the passage and in the text before and after it.
      const final = paragraphText(a!.doc, 0).toString();
      const passage = locatePassage(a!.doc, anchor) as { from: number; to: number; current: string };
      expect(passage.current).toContain(inside);
      expect(final.slice(0, passage.from)).toMatch(/[0-9]/);
      expect(final.slice(passage.to)).toMatch(/[0-9]/);
    } finally {
      a!.destroy();
      b!.destroy();
    }
  });
});
