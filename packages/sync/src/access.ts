import { type AccessCloseCode, closeCodes } from '@nordraum/domain';
import { type AccessEvent, affects } from './access-event.ts';
import type { Connection, ConnectionIdentity } from './connection.ts';
import type { SyncMetrics } from './metrics.ts';
import type { SyncSettings } from './settings.ts';
import type { SyncLog } from './sync-log.ts';

/**
 * Access of open connections, checked again after every access event and every minute.
 *
 * Invariants:
 * - Every access event counts up the epoch. An upgrade notes the epoch before its check; a
 *   connection whose check began before the latest event may have missed it (it was not
 *   connected yet), and is checked again as it connects.
 * - The connections of one session to one document are checked with one question.
 * - Answers can arrive out of order: a connection takes only the answer of the newest check it
 *   is part of.
 * - A connection that lost access closes with the answer's code; a writer who may now only read
 *   closes with 4100 (the stock client reconnects, to read); a failed check changes nothing and
 *   is logged (the next event or the minutely check asks again).
 */

/**
 * The outcome of checking a connection's access. `organization` is the user's current one
 * (a user may have moved, and organisation grants follow it).
 */
export type Access = ({ ok: true; canWrite: boolean } | { ok: false; code: AccessCloseCode; reason: string }) & {
  organization?: { id: string; code: string };
};

/** Options for {@link createAccessChecks}. */
export interface AccessChecksOptions {
  /** Checks a connection's session and role again. */
  reauthorize(identity: ConnectionIdentity): Promise<Access>;
  settings: Pick<SyncSettings, 'recheckIntervalMs'>;
  metrics: SyncMetrics;
  log: SyncLog;
  /** Told of every access event, before the connections are checked (e.g. to drop cached answers). */
  onEvent?(event: AccessEvent): void;
}

/** Creates the access re-checks of open connections; starts the minutely check. */
export function createAccessChecks(options: AccessChecksOptions) {
  const { metrics, log } = options;
  const connections = new Set<Connection>();
  let epoch = 0;
  /** Numbers every re-check, so that an answer overtaken by a newer one is not applied. */
  let checks = 0;

  async function changed(event: AccessEvent) {
    epoch += 1;
    options.onEvent?.(event);
    // The connections of one session to one document get the same answer: ask once for all of
    // them (several tabs, a shared login in a meeting room). The minutely check of everyone
    // otherwise queued two queries per socket at once, ahead of everybody's upgrades.
    const bySessionAndDocument = new Map<string, Connection[]>();
    for (const connection of connections) {
      if (!affects(event, connection.identity)) continue;
      const key = `${connection.identity.sessionId} ${connection.identity.documentId}`;
      const group = bySessionAndDocument.get(key);
      if (group) group.push(connection);
      else bySessionAndDocument.set(key, [connection]);
    }
    await Promise.all([...bySessionAndDocument.values()].map(recheck));
  }

  async function recheck(group: Connection[]) {
    const { identity } = group[0]!;
    metrics.accessChecks += 1;
    const check = ++checks;
    for (const connection of group) connection.accessCheck = check;
    try {
      const access = await options.reauthorize(identity);
      for (const connection of group) if (connection.accessCheck === check) apply(connection, access);
    } catch (error) {
      log.warn({ err: error }, 'rechecking access failed');
    }
  }

  // Sessions also end by expiring, which no trigger announces.
  const timer = setInterval(() => void changed({ kind: 'all' }), options.settings.recheckIntervalMs);
  timer.unref();

  return {
    /** The current access epoch: an upgrade notes it in `identity.checkedAt` before its check. */
    epoch: () => epoch,
    changed,
    /** Tracks an open connection; checks it again if an event came during its upgrade's check. */
    add(connection: Connection) {
      connections.add(connection);
      metrics.connections = connections.size;
      const { checkedAt } = connection.identity;
      if (checkedAt !== undefined && checkedAt !== epoch) void recheck([connection]);
    },
    /** Stops tracking a closed connection. */
    remove(connection: Connection) {
      connections.delete(connection);
      metrics.connections = connections.size;
    },
    /** Every open connection. */
    all: () => connections.values(),
    stop: () => clearInterval(timer),
  };
}

/** Applies an access answer to one connection. */
function apply(connection: Connection, access: Access) {
  if (access.organization) {
    connection.identity.organizationId = access.organization.id;
    connection.identity.organizationCode = access.organization.code;
  }
  if (!access.ok) connection.close(access.code, access.reason);
  // Dropping a demoted writer's updates in silence would let them type on into the void: the
  // socket closes, the client learns why, and reconnects to read (outside 4400-4499, so the
  // stock client reconnects by itself).
  else if (connection.identity.canWrite && !access.canWrite)
    connection.close(closeCodes.readOnly, 'you may only read this document now');
  else connection.setCanWrite(access.canWrite);
}

/** The access re-checks of open connections. */
export type AccessChecks = ReturnType<typeof createAccessChecks>;
