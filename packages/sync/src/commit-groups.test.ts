import { describe, expect, it } from 'vitest';
import { createCommitGroups } from './commit-groups.ts';

/** Commit groups that record what they applied, and the errors they were told of. */
function recordingGroups(fail?: string) {
  const applied: [string, number[]][] = [];
  const errors: string[] = [];
  const groups = createCommitGroups<string, number>({
    apply(document, entries) {
      if (document === fail) throw new Error('broken');
      applied.push([document, entries]);
    },
    onError: (_error, document) => errors.push(document),
  });
  return { groups, applied, errors };
}

/** Resolves entries of one commit the way the append log does: all in one synchronous loop. */
function resolveTogether(resolvers: (() => void)[]) {
  for (const resolve of resolvers) resolve();
}

describe('committed entries grouped per document', () => {
  it('applies the entries one commit resolved as one group per document, in order', async () => {
    const { groups, applied } = recordingGroups();
    const entries: [string, number][] = [
      ['a', 1],
      ['b', 1],
      ['a', 2],
      ['a', 3],
      ['b', 2],
    ];
    const resolvers: (() => void)[] = [];
    // Each entry waits for its append like the server's commit does: await, then add.
    const waits = entries.map(async ([document, seq]) => {
      await new Promise<void>((resolve) => resolvers.push(resolve));
      groups.add(document, seq);
    });
    resolveTogether(resolvers);
    expect(applied).toEqual([]);
    await Promise.all(waits);
    await Promise.resolve();
    expect(applied).toEqual([
      ['a', [1, 2, 3]],
      ['b', [1, 2]],
    ]);
  });

  it('applies entries of later turns as groups of their own', async () => {
    const { groups, applied } = recordingGroups();
    groups.add('a', 1);
    await new Promise((done) => setImmediate(done));
    groups.add('a', 2);
    groups.add('a', 3);
    await new Promise((done) => setImmediate(done));
    expect(applied).toEqual([
      ['a', [1]],
      ['a', [2, 3]],
    ]);
  });

  it('applies a document at once when flushed, and not again at the end of the turn', async () => {
    const { groups, applied } = recordingGroups();
    groups.add('a', 1);
    groups.add('b', 1);
    groups.add('a', 2);
    groups.flush('a');
    expect(applied).toEqual([['a', [1, 2]]]);
    groups.flush('c');
    await Promise.resolve();
    expect(applied).toEqual([
      ['a', [1, 2]],
      ['b', [1]],
    ]);
  });

  it('still applies the other documents when one group fails, and tells of the failure', async () => {
    const { groups, applied, errors } = recordingGroups('a');
    groups.add('a', 1);
    groups.add('b', 1);
    await Promise.resolve();
    expect(errors).toEqual(['a']);
    expect(applied).toEqual([['b', [1]]]);
  });
});
