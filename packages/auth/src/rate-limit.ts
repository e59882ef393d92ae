import { type Database, type Queryable, tables } from '@nordraum/db';
import { lt, sql } from 'drizzle-orm';

/**
 * Fixed-window failure counters in PostgreSQL, so every instance counts the same attempts. A
 * blocked key frees itself when its window ends: nobody can lock an account for good.
 *
 * With `delaySeconds`, a key is not blocked for the rest of its window once `max` failures are
 * reached, but delayed progressively: `max` failures wait until `delaySeconds` after the window
 * began, each further one twice as long, never beyond the window's end.
 */

/** One limit: at most `max` failures per `windowSeconds`. */
export interface Limit {
  key: string;
  max: number;
  windowSeconds: number;
  /** First delay once `max` is reached, doubling with each further failure; unset: blocked until the window ends. */
  delaySeconds?: number;
}

const { rateLimit } = tables;

/** Seconds until the first of `limits` that is exhausted frees up; 0 when none is. */
export async function blockedFor(db: Database, limits: Limit[]): Promise<number> {
  let wait = 0;
  for (const limit of limits) {
    const [row] = await db
      .select({
        count: rateLimit.count,
        remaining: sql<number>`extract(epoch from (${rateLimit.windowStart}
          + make_interval(secs => ${limit.windowSeconds}) - now()))::float8`,
      })
      .from(rateLimit)
      .where(sql`${rateLimit.key} = ${limit.key}`);
    if (!row || row.remaining <= 0 || row.count < limit.max) continue;
    const elapsed = limit.windowSeconds - row.remaining;
    const delay =
      limit.delaySeconds === undefined
        ? limit.windowSeconds
        : Math.min(limit.windowSeconds, limit.delaySeconds * 2 ** Math.min(30, row.count - limit.max));
    wait = Math.max(wait, Math.ceil(delay - elapsed));
  }
  return wait;
}

/** Failures counted against `key` in its current window (0 when it has none or the window ended). */
export async function failuresOf(db: Database, key: string, windowSeconds: number): Promise<number> {
  const [row] = await db
    .select({ count: rateLimit.count })
    .from(rateLimit)
    .where(
      sql`${rateLimit.key} = ${key} and ${rateLimit.windowStart} > now() - make_interval(secs => ${windowSeconds})`,
    );
  return row?.count ?? 0;
}

/** Counts one against each limit's key, starting a new window where the old one ended. */
export async function countAgainst(db: Database, limits: Limit[]): Promise<void> {
  for (const limit of limits) {
    const expired = sql`${rateLimit.windowStart} <= now() - make_interval(secs => ${limit.windowSeconds})`;
    await db
      .insert(rateLimit)
      .values({ key: limit.key, windowStart: sql`now()`, count: 1 })
      .onConflictDoUpdate({
        target: rateLimit.key,
        set: {
          count: sql`case when ${expired} then 1 else ${rateLimit.count} + 1 end`,
          windowStart: sql`case when ${expired} then now() else ${rateLimit.windowStart} end`,
        },
      });
  }
}

/**
 * For limits on how often something is done: counts one use against every one of `limits` unless
 * one of them is exhausted, then nothing; returns the seconds until the exhausted ones free up (0:
 * counted, go ahead). One statement: the check and the count were four round trips. Run inside the
 * transaction that writes what is counted, a use that is not written after all is not counted
 * either. Fixed windows only (`delaySeconds` is not looked at).
 */
export async function countUseUnlessBlocked(db: Queryable, limits: Limit[]): Promise<number> {
  const rows = sql.join(
    limits.map((limit) => sql`(${limit.key}, ${limit.max}::integer, ${limit.windowSeconds}::integer)`),
    sql`, `,
  );
  // A window restarted meanwhile by a request that started earlier keeps its start (greatest) and
  // counts this use on; one that ended restarts at 1.
  const result = await db.execute<{ seconds: number }>(sql`
    with limits(key, max, seconds) as (values ${rows}),
    state as (
      select l.key, l.max, r.count,
        coalesce(extract(epoch from (r.window_start + make_interval(secs => l.seconds) - now()))::float8, 0) as remaining,
        r.window_start
      from limits l left join ${rateLimit} r on r.key = l.key
    ),
    wait as (
      select coalesce(max(ceil(remaining)) filter (where remaining > 0 and count >= max), 0)::integer as seconds from state
    ),
    counted as (
      insert into ${rateLimit} (key, window_start, count)
      select key, case when remaining > 0 then window_start else now() end, 1 from state
      where (select seconds from wait) = 0
      on conflict (key) do update set
        count = case when rate_limit.window_start < excluded.window_start then 1 else rate_limit.count + 1 end,
        window_start = greatest(rate_limit.window_start, excluded.window_start)
    )
    select seconds from wait`);
  return Number(result.rows[0]?.seconds ?? 0);
}

/** Forgets a key's failures (after a successful login). */
export async function resetLimit(db: Database, key: string): Promise<void> {
  await db.delete(rateLimit).where(sql`${rateLimit.key} = ${key}`);
}

/** Deletes counters idle for a day. */
export async function pruneRateLimits(db: Database): Promise<void> {
  await db.delete(rateLimit).where(lt(rateLimit.windowStart, sql`now() - interval '1 day'`));
}
