import { closeCodes } from '@nordraum/domain';
import { describe, expect, it } from 'vitest';
import { type Access, createAccessChecks } from './access.ts';
import { Connection, type ConnectionHub, type ConnectionIdentity } from './connection.ts';
import { SyncMetrics } from './metrics.ts';
import { defaultSettings } from './settings.ts';

const quiet = { info() {}, warn() {}, error() {} };

/** An open connection whose socket records how it was closed. */
function openConnection(identity: Partial<ConnectionIdentity> = {}) {
  const closes: { code: number; reason: string }[] = [];
  const hub: ConnectionHub = {
    metrics: new SyncMetrics(),
    settings: defaultSettings,
    log: quiet,
    submit() {},
    claim() {},
  };
  const connection = new Connection(
    { send() {}, close: (code, reason) => closes.push({ code, reason }) },
    {
      sessionId: 's1',
      userId: 'u1',
      userName: 'Ute',
      organizationId: 'o-sh',
      organizationCode: 'SH',
      documentId: 'd1',
      roomId: 'r1',
      canWrite: true,
      ...identity,
    },
    hub,
  );
  return { connection, closes };
}

/** Access checks whose answers the test gives, one by one, in any order. */
function controlledChecks() {
  const asked: { identity: ConnectionIdentity; answer(access: Access): void }[] = [];
  const checks = createAccessChecks({
    reauthorize: (identity) => new Promise((answer) => asked.push({ identity, answer })),
    settings: defaultSettings,
    metrics: new SyncMetrics(),
    log: quiet,
  });
  return { checks, asked };
}

describe('access re-checks', () => {
  it('close a connection whose session ended with the answer’s code', async () => {
    const { checks, asked } = controlledChecks();
    const { connection, closes } = openConnection();
    checks.add(connection);
    const done = checks.changed({ kind: 'session', sessionId: 's1' });
    asked[0]!.answer({ ok: false, code: closeCodes.unauthorized, reason: 'session ended' });
    await done;
    expect(closes).toEqual([{ code: closeCodes.unauthorized, reason: 'session ended' }]);
    checks.stop();
  });

  it('close a writer who may now only read with 4100, and leave other rooms alone', async () => {
    const { checks, asked } = controlledChecks();
    const writer = openConnection();
    const elsewhere = openConnection({ roomId: 'r2', documentId: 'd2' });
    checks.add(writer.connection);
    checks.add(elsewhere.connection);
    const done = checks.changed({ kind: 'member', roomId: 'r1', userId: 'u1' });
    expect(asked).toHaveLength(1);
    asked[0]!.answer({ ok: true, canWrite: false });
    await done;
    expect(writer.closes.map((close) => close.code)).toEqual([closeCodes.readOnly]);
    expect(elsewhere.closes).toEqual([]);
    checks.stop();
  });

  it('ask once for all connections of one session to one document', async () => {
    const { checks, asked } = controlledChecks();
    const tabs = [openConnection(), openConnection()];
    for (const tab of tabs) checks.add(tab.connection);
    const done = checks.changed({ kind: 'all' });
    expect(asked).toHaveLength(1);
    asked[0]!.answer({ ok: false, code: closeCodes.forbidden, reason: 'no access' });
    await done;
    expect(tabs.map((tab) => tab.closes.length)).toEqual([1, 1]);
    checks.stop();
  });

  it('apply only the newest answer when an older one arrives last', async () => {
    const { checks, asked } = controlledChecks();
    const { connection, closes } = openConnection();
    checks.add(connection);
    const first = checks.changed({ kind: 'all' });
    const second = checks.changed({ kind: 'all' });
    asked[1]!.answer({ ok: true, canWrite: true });
    asked[0]!.answer({ ok: false, code: closeCodes.forbidden, reason: 'old answer' });
    await Promise.all([first, second]);
    expect(closes).toEqual([]);
    checks.stop();
  });

  it('check a connection again when an event came while its upgrade was being checked', async () => {
    const { checks, asked } = controlledChecks();
    const checkedAt = checks.epoch();
    void checks.changed({ kind: 'member', roomId: 'r1', userId: 'u1' });
    const { connection, closes } = openConnection({ checkedAt });
    checks.add(connection);
    expect(asked).toHaveLength(1);
    asked[0]!.answer({ ok: false, code: closeCodes.forbidden, reason: 'removed from the room' });
    await expect.poll(() => closes.length).toBe(1);
    checks.stop();
  });
});
