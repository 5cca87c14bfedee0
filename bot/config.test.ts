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

const TENANT_A = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const TENANT_B = 'b5a7c1d2-0e9f-4a8b-9c7d-6e5f4a3b2c1d';
const withAppId: NodeJS.ProcessEnv = { MicrosoftAppId: 'abc', MicrosoftAppTenantId: TENANT_A, AUDIT_KEY: 'test-audit-key-for-the-suite-only-0123456789' };

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
    ['an app id without an audit key', { MicrosoftAppId: 'abc', MicrosoftAppTenantId: 't', ALLOWED_TENANT_IDS: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' }, 'AUDIT_KEY'],
    ['an audit key too short to resist guessing', { AUDIT_KEY: 'short' }, 'AUDIT_KEY'],
    ['a retention period under two years', { RETENTION_YEARS: '1' }, 'RETENTION_YEARS'],
    ['a retention period that is not a whole number', { RETENTION_YEARS: '6.5' }, 'RETENTION_YEARS'],
    ['a migration URL without a database URL', { MIGRATION_DATABASE_URL: 'postgres://owner@h/db' }, 'MIGRATION_DATABASE_URL'],
    ['a migration URL that is not PostgreSQL', { DATABASE_URL: 'postgres://app@h/db', MIGRATION_DATABASE_URL: 'mysql://x' }, 'MIGRATION_DATABASE_URL'],
    ['PostgreSQL without an audit key (each instance would make its own)', { DATABASE_URL: 'postgres://app@h/db' }, 'AUDIT_KEY'],
    ['a protective marking too long for a page header', { PROTECTIVE_MARKING: 'OFFICIAL-SENSITIVE '.repeat(3) }, 'PROTECTIVE_MARKING'],
    ['a protective marking with a line break', { PROTECTIVE_MARKING: 'OFFICIAL\nSENSITIVE' }, 'PROTECTIVE_MARKING'],
    ['a protective marking with a character outside ASCII', { PROTECTIVE_MARKING: 'OFFICIAL–SENSITIVE' }, 'PROTECTIVE_MARKING'],
    ['a protective marking with a quote (it goes into file names)', { PROTECTIVE_MARKING: 'OFFICIAL"SENSITIVE' }, 'PROTECTIVE_MARKING'],
    ['a protective marking with a slash (it goes into file names)', { PROTECTIVE_MARKING: 'OFFICIAL/SENSITIVE' }, 'PROTECTIVE_MARKING'],
    ['a protective marking starting with punctuation', { PROTECTIVE_MARKING: '-OFFICIAL' }, 'PROTECTIVE_MARKING'],
    ['a metrics port that is not a number', { METRICS_PORT: 'nine' }, 'METRICS_PORT'],
    ['an unresolved Key Vault reference as the audit key', { AUDIT_KEY: '@Microsoft.KeyVault(VaultName=panelbot;SecretName=audit-key)' }, 'AUDIT_KEY'],
    ['a metrics port out of range', { METRICS_PORT: '70000' }, 'METRICS_PORT'],
    ['a metrics port equal to the bot\'s own', { PORT: '3978', METRICS_PORT: '3978' }, 'METRICS_PORT'],
    ['a metrics host without a metrics port (it would stay off)', { METRICS_HOST: '0.0.0.0' }, 'METRICS_HOST'],
    ['a metrics host with a space', { METRICS_PORT: '9464', METRICS_HOST: 'my host' }, 'METRICS_HOST'],
    ['a connection string without an instrumentation key', { APPLICATIONINSIGHTS_CONNECTION_STRING: 'IngestionEndpoint=https://uksouth-1.in.applicationinsights.azure.com/' }, 'APPLICATIONINSIGHTS_CONNECTION_STRING'],
    ['a connection string whose key is not a GUID', { APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=abc' }, 'APPLICATIONINSIGHTS_CONNECTION_STRING'],
    ['a pasted fragment that is not a connection string', { APPLICATIONINSIGHTS_CONNECTION_STRING: '00000000-0000-0000-0000-000000000000' }, 'APPLICATIONINSIGHTS_CONNECTION_STRING'],
  ])('refuses %s, naming the variable', (_name, env, variable) => {
    expect(problemsOf(env).some((p) => p.startsWith(`${variable}:`))).toBe(true);
  });

  it('keeps records 7 years unless told otherwise, and needs no audit key in local mode', () => {
    expect(loadConfig({})).toMatchObject({ retentionYears: 7, auditKey: null, migrationDatabaseUrl: null });
    expect(loadConfig({ RETENTION_YEARS: '6', DATABASE_URL: 'postgres://app@h/db', MIGRATION_DATABASE_URL: 'postgres://owner@h/db', AUDIT_KEY: 'k'.repeat(32) })).toMatchObject({ retentionYears: 6, migrationDatabaseUrl: 'postgres://owner@h/db' });
  });

  it('listens anywhere once authentication is on, and splits the allow-list', () => {
    const c = loadConfig({ ...withAppId, HOST: '0.0.0.0', ALLOWED_TENANT_IDS: ` ${TENANT_A}, ${TENANT_B} ` });
    expect(c).toMatchObject({ localMode: false, host: '0.0.0.0', appType: 'SingleTenant', allowedTenantIds: [TENANT_A, TENANT_B] });
  });

  // Regression: "," parsed to an empty list, and an empty list admitted every tenant.
  describe('HOME_TENANT_ID and PARTNER_TENANT_IDS (issue 20)', () => {
    const COUNCIL = 'c0c0c0c0-1111-4222-8333-444455556666';
    it('keeps the home tenant and the council tenants, lower-cased', () => {
      const c = loadConfig({ ...withAppId, ALLOWED_TENANT_IDS: TENANT_A, HOME_TENANT_ID: TENANT_A.toUpperCase(), PARTNER_TENANT_IDS: COUNCIL.toUpperCase() });
      expect(c).toMatchObject({ homeTenantId: TENANT_A, partnerTenantIds: [COUNCIL], allowedTenantIds: [TENANT_A] });
      expect(loadConfig({})).toMatchObject({ homeTenantId: null, partnerTenantIds: [] });
    });
    it('needs the home tenant beside council tenants, and refuses a council tenant that is also allowed or home', () => {
      expect(problemsOf({ PARTNER_TENANT_IDS: COUNCIL })).toEqual([expect.stringMatching(/^HOME_TENANT_ID: is required with PARTNER_TENANT_IDS/)]);
      expect(problemsOf({ ...withAppId, ALLOWED_TENANT_IDS: `${TENANT_A},${COUNCIL}`, HOME_TENANT_ID: TENANT_A, PARTNER_TENANT_IDS: COUNCIL })).toEqual([
        `PARTNER_TENANT_IDS: "${COUNCIL}" is also the home tenant or in ALLOWED_TENANT_IDS: a council tenant is listed once, in PARTNER_TENANT_IDS`,
      ]);
      expect(problemsOf({ ...withAppId, ALLOWED_TENANT_IDS: TENANT_B, HOME_TENANT_ID: TENANT_A })).toEqual(['HOME_TENANT_ID: must be one of ALLOWED_TENANT_IDS']);
      expect(problemsOf({ HOME_TENANT_ID: 'not-a-guid' })).toEqual(['HOME_TENANT_ID: must be a tenant id (a GUID)']);
    });
  });

  describe('ALLOWED_TENANT_IDS', () => {
    it.each<[string, string]>([
      ['a lone comma', ','],
      ['commas and spaces', ' , '],
      ['an empty entry between two', `${TENANT_A},,${TENANT_B}`],
      ['a trailing comma', `${TENANT_A},`],
      ['an entry that is not a GUID', `${TENANT_A},contoso.onmicrosoft.com`],
      ['a GUID without its hyphens', TENANT_A.replace(/-/g, '')],
    ])('refuses %s, naming the variable, with or without an app id', (_name, value) => {
      for (const env of [withAppId, {}]) {
        expect(problemsOf({ ...env, ALLOWED_TENANT_IDS: value }).filter((p) => p.startsWith('ALLOWED_TENANT_IDS:'))).toHaveLength(1);
      }
    });

    it.each(['', '   '])('refuses an empty list when an app id is set (%j)', (value) => {
      expect(problemsOf({ ...withAppId, ALLOWED_TENANT_IDS: value }).some((p) => p.startsWith('ALLOWED_TENANT_IDS:'))).toBe(true);
    });

    it('accepts one GUID', () => {
      expect(loadConfig({ ...withAppId, ALLOWED_TENANT_IDS: TENANT_A }).allowedTenantIds).toEqual([TENANT_A]);
    });

    it('accepts several, stored lower-cased', () => {
      const c = loadConfig({ ...withAppId, ALLOWED_TENANT_IDS: `${TENANT_A.toUpperCase()} ,${TENANT_B}` });
      expect(c.allowedTenantIds).toEqual([TENANT_A, TENANT_B]);
    });

    it('is empty in local mode when unset (local mode admits every tenant)', () => {
      expect(loadConfig({}).allowedTenantIds).toEqual([]);
    });
  });

  it('marks documents OFFICIAL-SENSITIVE unless told otherwise, trimming what it is given', () => {
    expect(loadConfig({}).protectiveMarking).toBe('OFFICIAL-SENSITIVE');
    expect(loadConfig({ PROTECTIVE_MARKING: '   ' }).protectiveMarking).toBe('OFFICIAL-SENSITIVE');
    expect(loadConfig({ PROTECTIVE_MARKING: ' OFFICIAL ' }).protectiveMarking).toBe('OFFICIAL');
    expect(loadConfig({ PROTECTIVE_MARKING: 'OFFICIAL-SENSITIVE PERSONAL' }).protectiveMarking).toBe('OFFICIAL-SENSITIVE PERSONAL');
  });

  it('serves metrics only when METRICS_PORT is set, on loopback unless METRICS_HOST says otherwise', () => {
    expect(loadConfig({})).toMatchObject({ metrics: null, appInsightsConnectionString: null });
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ port: 9464, host: '0.0.0.0' });
    expect(loadConfig({ PORT: '0', METRICS_PORT: '0' }).metrics).toEqual({ port: 0, host: '127.0.0.1' });
    const cs = 'InstrumentationKey=3f2504e0-4f89-41d3-9a0c-0305e82c3301;IngestionEndpoint=https://uksouth-1.in.applicationinsights.azure.com/;ApplicationId=x';
    expect(loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: ` ${cs} ` }).appInsightsConnectionString).toBe(cs);
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
