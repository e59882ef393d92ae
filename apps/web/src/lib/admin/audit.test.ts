import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditActions } from '@nordraum/domain';
import { describe, expect, it } from 'vitest';
import { de } from '../i18n/de.ts';
import { en } from '../i18n/en.ts';
import { AUDIT_ACTIONS } from './audit-actions.ts';

const serverSources = fileURLToPath(new URL('../../../../server/src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Audit actions written in the server's code: `action: '...'`, and the choices of `const action = ...`. */
function actionsTheServerWrites(): Set<string> {
  const found = new Set<string>();
  for (const file of sourceFiles(serverSources)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      const statement = /\baction\b/.test(line) ? line : /const action =\s*$/.test(lines[index - 1] ?? '') ? line : '';
      for (const match of statement.matchAll(/'([a-z]+(?:\.[a-z_]+)+)'/g)) found.add(match[1]!);
    });
  }
  return found;
}

describe('audit action labels', () => {
  it('name every action the server writes, in German and in English', () => {
    const written = actionsTheServerWrites();
    // The scan finds the server's actions at all (or it would prove nothing).
    expect(written).toContain('document.export');
    expect(written).toContain('user.enable');
    for (const action of written) {
      expect([action, auditActions.includes(action as never)]).toEqual([action, true]);
    }
    for (const action of auditActions) {
      const key = AUDIT_ACTIONS[action];
      expect([action, de[key].length > 0, en[key].length > 0, (de[key] as string) !== action]).toEqual([
        action,
        true,
        true,
        true,
      ]);
    }
  });
});
