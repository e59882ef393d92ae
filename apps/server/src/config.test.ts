import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, resolveOrigins } from './config.ts';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './data',
      databaseUrl: undefined,
      publicOrigin: undefined,
      logLevel: 'info',
      commentLimits: { perMinute: 30, perHour: 600 },
    });
    expect(resolveOrigins(config, 3000)).toEqual({
      publicOrigin: 'http://127.0.0.1:3000',
      allowedOrigins: ['http://127.0.0.1:3000', 'http://localhost:3000'],
    });
  });

  it('accepts exactly the configured origin when PUBLIC_ORIGIN is set', () => {
    const config = loadConfig({ PUBLIC_ORIGIN: 'https://nordraum.example.de/', PORT: '8080', HOST: '0.0.0.0' });
    expect(resolveOrigins(config, 8080)).toEqual({
      publicOrigin: 'https://nordraum.example.de',
      allowedOrigins: ['https://nordraum.example.de'],
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PUBLIC_ORIGIN: 'not a url' }, 'PUBLIC_ORIGIN'],
    [{ PUBLIC_ORIGIN: 'https://example.de/nordraum' }, 'PUBLIC_ORIGIN'],
    [{ PUBLIC_ORIGIN: 'ftp://example.de' }, 'PUBLIC_ORIGIN'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ NORDRAUM_ADMIN_PASSWORD: 'short' }, 'NORDRAUM_ADMIN_PASSWORD'],
  ])('refuses %j and names %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  it('derives the origin from the port actually listened on', () => {
    expect(resolveOrigins(loadConfig({ PORT: '0' }), 41234).publicOrigin).toBe('http://127.0.0.1:41234');
    expect(resolveOrigins(loadConfig({ HOST: '0.0.0.0' }), 3000).allowedOrigins).toEqual(['http://0.0.0.0:3000']);
  });

  it('reads the comment limits per person', () => {
    const config = loadConfig({ NORDRAUM_COMMENTS_PER_MINUTE: '5', NORDRAUM_COMMENTS_PER_HOUR: '50' });
    expect(config.commentLimits).toEqual({ perMinute: 5, perHour: 50 });
    expect(() => loadConfig({ NORDRAUM_COMMENTS_PER_MINUTE: '0' })).toThrow('NORDRAUM_COMMENTS_PER_MINUTE');
  });

  it("reads the export render process's idle time and heap, and refuses values it could not run with", () => {
    expect(loadConfig({}).exportProcess).toEqual({ idleMs: undefined, heapMiB: undefined });
    const config = loadConfig({ NORDRAUM_EXPORT_IDLE_MS: '60000', NORDRAUM_EXPORT_HEAP_MIB: '2048' });
    expect(config.exportProcess).toEqual({ idleMs: 60_000, heapMiB: 2048 });
    for (const idle of ['0', '999', 'five minutes', '1500.5'])
      expect(() => loadConfig({ NORDRAUM_EXPORT_IDLE_MS: idle })).toThrow('NORDRAUM_EXPORT_IDLE_MS');
    for (const heap of ['128', '100000', '1G', '512.5'])
      expect(() => loadConfig({ NORDRAUM_EXPORT_HEAP_MIB: heap })).toThrow('NORDRAUM_EXPORT_HEAP_MIB');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).port).toBe(3000);
  });

  it('reads TRUST_PROXY as a list of addresses and CIDR blocks, and the metrics token', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    const config = loadConfig({
      TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,fd00::/8',
      NORDRAUM_METRICS_TOKEN: 'x'.repeat(16),
    });
    expect(config.trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);
    expect(config.metricsToken).toBe('x'.repeat(16));
    expect(() => loadConfig({ TRUST_PROXY: 'proxy.example' })).toThrow('TRUST_PROXY');
    expect(() => loadConfig({ NORDRAUM_METRICS_TOKEN: 'short' })).toThrow('NORDRAUM_METRICS_TOKEN');
  });
});
