import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import {
  encodeAwarenessMessage,
  encodeSyncStep1Message,
  encodeSyncStep2Message,
  encodeSyncStep2UpdateMessage,
  encodeUpdateMessage,
  messageAwareness,
  messageSync,
  syncStep1,
  syncStep2,
  syncUpdate,
} from './protocol.ts';

/** A document with one word in it. */
function docWithText(text: string) {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return doc;
}

/** Applies a sync frame to a fresh document the way the stock client does; returns its sub-type. */
function receive(frame: Uint8Array, into: Y.Doc): number {
  const decoder = decoding.createDecoder(frame);
  expect(decoding.readVarUint(decoder)).toBe(messageSync);
  const subType = decoding.readVarUint(decoder);
  if (subType === syncStep1) return subType;
  Y.applyUpdate(into, decoding.readVarUint8Array(decoder));
  return subType;
}

describe('sync frames', () => {
  it('bring a fresh client the whole document, as step 2 or as update', () => {
    const doc = docWithText('Moin');
    const state = Y.encodeStateAsUpdate(doc);
    for (const [frame, subType] of [
      [encodeSyncStep2Message(doc, new Uint8Array([0])), syncStep2],
      [encodeSyncStep2UpdateMessage(state), syncStep2],
      [encodeUpdateMessage(state), syncUpdate],
    ] as const) {
      const client = new Y.Doc();
      expect(receive(frame, client)).toBe(subType);
      expect(client.getText('t').toString()).toBe('Moin');
    }
  });

  it('greet with a state vector the stock client answers with what the server lacks', () => {
    const server = docWithText('Moin');
    const client = docWithText('Hallo');
    const decoder = decoding.createDecoder(encodeSyncStep1Message(server));
    expect(decoding.readVarUint(decoder)).toBe(messageSync);
    // The stock client answers in a frame of its own: the type, then what y-protocols writes.
    const answer = encoding.createEncoder();
    encoding.writeVarUint(answer, messageSync);
    syncProtocol.readSyncMessage(decoder, answer, client, null);
    expect(receive(encoding.toUint8Array(answer), server)).toBe(syncStep2);
    expect(server.getText('t').toString()).toContain('Hallo');
  });
});

describe('awareness frames', () => {
  it('carry the update after their type', () => {
    const update = new Uint8Array([1, 2, 3]);
    const decoder = decoding.createDecoder(encodeAwarenessMessage(update));
    expect(decoding.readVarUint(decoder)).toBe(messageAwareness);
    expect(decoding.readVarUint8Array(decoder)).toEqual(update);
  });
});
