import { describe, expect, it } from 'vitest';
import { defaultSettings, resolveSettings } from './settings.ts';

describe('sync settings', () => {
  it('are the defaults when nothing is overridden', () => {
    expect(resolveSettings()).toEqual(defaultSettings);
  });

  it('take an override and keep the default where the override is undefined', () => {
    const settings = resolveSettings({ unloadDelayMs: 50, compactAfter: undefined });
    expect(settings.unloadDelayMs).toBe(50);
    expect(settings.compactAfter).toBe(defaultSettings.compactAfter);
  });
});
