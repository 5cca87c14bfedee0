import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_KEYS, isLoopback, loadConfig } from './config.js';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected loadConfig to refuse');
};

describe('the environment', () => {
  it('defaults to local mode on loopback with SQLite', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3978, host: '127.0.0.1', localMode: true, appType: 'MultiTenant', databaseUrl: null, dataDir: './data' });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', MicrosoftAppId: '', DATABASE_URL: '' })).toMatchObject({ port: 3978, localMode: true, databaseUrl: null });
  });

  it.each<[string, NodeJS.ProcessEnv, string]>([
    ['a port that is not a number', { PORT: 'eighty' }, 'PORT'],
    ['a non-loopback host in local mode', { HOST: '0.0.0.0' }, 'HOST'],
    ['an app id without a tenant allow-list', { MicrosoftAppId: 'abc', MicrosoftAppTenantId: 't' }, 'ALLOWED_TENANT_IDS'],
    ['a database URL that is not PostgreSQL', { DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    ['an unknown app type', { MicrosoftAppType: 'Sometimes' }, 'MicrosoftAppType'],
    ['a public URL that is not one', { PUBLIC_BASE_URL: 'example' }, 'PUBLIC_BASE_URL'],
  ])('refuses %s, naming the variable', (_name, env, variable) => {
    expect(problemsOf(env).some((p) => p.startsWith(`${variable}:`))).toBe(true);
  });

  it('listens anywhere once authentication is on, and splits the allow-list', () => {
    const c = loadConfig({ MicrosoftAppId: 'abc', MicrosoftAppTenantId: 't', HOST: '0.0.0.0', ALLOWED_TENANT_IDS: ' a, b ,' });
    expect(c).toMatchObject({ localMode: false, host: '0.0.0.0', appType: 'SingleTenant', allowedTenantIds: ['a', 'b'] });
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', '::', 'example.org'].some(isLoopback)).toBe(false);
  });

  it('documents every variable in env.sample', () => {
    const documented = readFileSync('env.sample', 'utf8').split('\n').filter((l) => /^[A-Za-z_]+=/.test(l)).map((l) => l.split('=')[0]);
    expect(documented.sort()).toEqual([...ENV_KEYS].sort());
  });
});
