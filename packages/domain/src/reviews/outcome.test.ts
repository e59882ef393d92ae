import { describe, expect, it } from 'vitest';
import { outcomeOf, type ReviewVerdict } from './schemas.ts';

const answers = (...verdicts: (ReviewVerdict | null)[]) => verdicts.map((verdict) => ({ verdict }));

describe('outcomeOf', () => {
  it('approves when the required number approved, remarks included', () => {
    expect(outcomeOf(answers('approve', 'approve_with_remarks'), 2, null, '2026-03-12')).toBe('approved');
    expect(outcomeOf(answers('approve', null, 'request_changes'), 1, null, '2026-03-12')).toBe('approved');
  });

  it('keeps a request for changes open until the due date has passed', () => {
    expect(outcomeOf(answers('approve', 'request_changes'), 2, null, '2026-03-12')).toBe('open');
    expect(outcomeOf(answers('approve', 'request_changes'), 2, '2026-03-12', '2026-03-12')).toBe('open');
    expect(outcomeOf(answers('approve', 'request_changes'), 2, '2026-03-11', '2026-03-12')).toBe('changes_requested');
  });

  it('leaves an overdue review without a request for changes open', () => {
    expect(outcomeOf(answers('approve', null), 2, '2026-03-01', '2026-03-12')).toBe('open');
  });
});
