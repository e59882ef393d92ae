import { describe, expect, it } from 'vitest';
import { appendOneStatement, encodeAppendOne } from './store-queries.ts';

/** Splits bytes of the extended query protocol (frontend) into messages: type and body. */
function messages(bytes: Buffer) {
  const found: { type: string; body: Buffer }[] = [];
  let at = 0;
  while (at < bytes.byteLength) {
    const length = bytes.readInt32BE(at + 1);
    found.push({ type: String.fromCharCode(bytes[at]!), body: bytes.subarray(at + 5, at + 1 + length) });
    at += 1 + length;
  }
  expect(at).toBe(bytes.byteLength);
  return found;
}

/** The parameters of a Bind body (unnamed portal, statement name, formats, values, result formats). */
function bindParameters(body: Buffer) {
  let at = body.indexOf(0) + 1; // portal
  const statement = body.toString('utf8', at, body.indexOf(0, at));
  at = body.indexOf(0, at) + 1;
  const formatCount = body.readInt16BE(at);
  const formats = Array.from({ length: formatCount }, (_, index) => body.readInt16BE(at + 2 + index * 2));
  at += 2 + formatCount * 2;
  const valueCount = body.readInt16BE(at);
  at += 2;
  const values: (Buffer | null)[] = [];
  for (let index = 0; index < valueCount; index += 1) {
    const length = body.readInt32BE(at);
    at += 4;
    values.push(length === -1 ? null : body.subarray(at, at + length));
    at += Math.max(0, length);
  }
  const resultFormats = body.readInt16BE(at);
  expect(at + 2).toBe(body.byteLength);
  return { statement, formats, values, resultFormats };
}

describe('encodeAppendOne', () => {
  const documentId = '0b8f0c1e-3f4a-4d61-9a0e-5c2a9d7e1f00';
  const userId = '7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
  const update = Uint8Array.from([1, 1, 200, 3, 0, 4, 1, 1, 116, 1, 120, 0]);

  it('parses the statement only when asked, and never asks for a row description', () => {
    const first = messages(encodeAppendOne({ documentId, update, userId }, true));
    expect(first.map((message) => message.type)).toEqual(['P', 'B', 'E', 'S']);
    const parse = first[0]!.body;
    expect(parse.toString('utf8', 0, parse.indexOf(0))).toBe(appendOneStatement.name);
    expect(parse.toString('utf8', parse.indexOf(0) + 1, parse.byteLength - 3)).toBe(appendOneStatement.text);
    expect(parse.readInt16BE(parse.byteLength - 2)).toBe(0);
    const later = messages(encodeAppendOne({ documentId, update, userId }, false));
    expect(later.map((message) => message.type)).toEqual(['B', 'E', 'S']);
  });

  it('binds the document and the user as text and the update as its bytes', () => {
    const [bind] = messages(encodeAppendOne({ documentId, update, userId }, false));
    const bound = bindParameters(bind!.body);
    expect(bound.statement).toBe(appendOneStatement.name);
    expect(bound.formats).toEqual([0, 1, 0]);
    expect(bound.values.map((value) => value && Uint8Array.from(value))).toEqual([
      Uint8Array.from(Buffer.from(documentId)),
      update,
      Uint8Array.from(Buffer.from(userId)),
    ]);
    expect(bound.resultFormats).toBe(0);
  });

  it('binds a missing user as NULL, and an update that is a view into a larger buffer as the view only', () => {
    const larger = new Uint8Array(64).fill(9);
    larger.set(update, 10);
    const view = larger.subarray(10, 10 + update.byteLength);
    const [bind] = messages(encodeAppendOne({ documentId, update: view, userId: null }, false));
    const bound = bindParameters(bind!.body);
    expect(bound.values[1] && Uint8Array.from(bound.values[1])).toEqual(update);
    expect(bound.values[2]).toBeNull();
  });
});
