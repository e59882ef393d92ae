import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type CommittedUpdate, type Peer, SharedDocument } from './document.ts';
import { messageSync, syncUpdate } from './protocol.ts';

/** A peer that keeps what it is sent. */
function recordingPeer(userId: string): Peer & { received: Uint8Array[] } {
  const received: Uint8Array[] = [];
  return { userId, awarenessClients: new Set(), received, send: (message) => received.push(message) };
}

/** The update carried by a sync update frame. */
function updateOf(message: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(message);
  expect(decoding.readVarUint(decoder)).toBe(messageSync);
  expect(decoding.readVarUint(decoder)).toBe(syncUpdate);
  return decoding.readVarUint8Array(decoder);
}

/** An edit of a client of its own: text appended to "body". */
function edit(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('body').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

const empty = { snapshot: undefined, updates: [], lastSeq: 0, logLength: 0 };

/** A loaded document with three peers, counting the transactions that changed it. */
function documentWithPeers() {
  let changes = 0;
  const document = new SharedDocument('d1', empty, { onChange: () => (changes += 1) });
  const [anna, ben, clara] = [recordingPeer('anna'), recordingPeer('ben'), recordingPeer('clara')];
  for (const peer of [anna, ben, clara]) document.peers.add(peer);
  return { document, anna, ben, clara, changes: () => changes };
}

/** What a peer's received updates make of an empty document. */
function seenBy(peer: { received: Uint8Array[] }): string {
  const doc = new Y.Doc();
  for (const message of peer.received) Y.applyUpdate(doc, updateOf(message));
  return [...doc.getText('body').toString()].sort().join('');
}

describe('committed entries applied to a loaded document', () => {
  it('sends one update per peer for a group of entries from several peers, their own included', () => {
    const { document, anna, ben, clara, changes } = documentWithPeers();
    const entries: CommittedUpdate[] = [
      { update: edit('a'), seq: 1, origin: anna },
      { update: edit('b'), seq: 2, origin: ben },
      { update: edit('c'), seq: 3, origin: anna },
    ];
    document.applyCommitted(entries);
    for (const peer of [anna, ben, clara]) {
      expect(peer.received).toHaveLength(1);
      expect(seenBy(peer)).toBe('abc');
    }
    expect([...document.doc.getText('body').toString()].sort().join('')).toBe('abc');
    expect(changes()).toBe(1);
    expect(document.log.lastSeq).toBe(3);
  });

  it('sends nothing back to a peer all of whose entries the group is', () => {
    const { document, anna, ben, clara } = documentWithPeers();
    document.applyCommitted([
      { update: edit('a'), seq: 1, origin: anna },
      { update: edit('b'), seq: 2, origin: anna },
    ]);
    expect(anna.received).toHaveLength(0);
    expect(seenBy(ben)).toBe('ab');
    expect(seenBy(clara)).toBe('ab');
  });

  it('sends a single entry as it arrived, to everyone but its origin', () => {
    const { document, anna, ben } = documentWithPeers();
    const update = edit('a');
    document.applyCommitted([{ update, seq: 1, origin: anna }]);
    expect(anna.received).toHaveLength(0);
    expect(updateOf(ben.received[0]!)).toEqual(update);
  });

  it('still applies and sends the good entries of a group with one that does not decode', () => {
    const { document, anna, ben, clara } = documentWithPeers();
    document.applyCommitted([
      { update: edit('a'), seq: 1, origin: anna },
      { update: new Uint8Array([1, 2, 3, 250]), seq: 2, origin: ben },
      { update: edit('c'), seq: 3, origin: ben },
    ]);
    expect(document.doc.getText('body').toString().length).toBe(2);
    expect(seenBy(clara)).toBe('ac');
    expect(seenBy(anna)).toBe('c');
    // The broken entry holds its place in the log: it is stored, only not applicable.
    expect(document.log.lastSeq).toBe(3);
  });

  it('keeps entries beyond a hole in the log ahead until the hole is filled', () => {
    const { document, anna } = documentWithPeers();
    document.applyCommitted([
      { update: edit('a'), seq: 1, origin: anna },
      { update: edit('c'), seq: 3, origin: anna },
    ]);
    expect(document.log.lastSeq).toBe(1);
    expect(document.log.hasGap).toBe(true);
    document.applyCommitted([{ update: edit('b'), seq: 2, origin: null }]);
    expect(document.log.lastSeq).toBe(3);
    expect(document.log.hasGap).toBe(false);
  });
});
