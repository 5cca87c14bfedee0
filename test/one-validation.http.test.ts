import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
// Not exported from the package's index; the deep path is the same module instance botframework-connector uses.
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../bot/config.js';
import { startHttpServer, type RunningServer } from '../bot/http.js';
import { createTeamsApp } from '../bot/teams-app.js';
import { silentLog } from '../scheduler/log.js';
import { FakeConnector, teamsMessage } from './support/fake-connector.js';
import { cardAction, GARETH, personalMessage } from './support/teams-activities.js';
import { connectorClaims, signingKey, signToken, TEST_APP_ID, TEST_ISSUER, TestOpenIdServer } from './support/test-auth.js';

const TENANT = 'd4d4d4d4-0000-4000-8000-00000000000d';
const ELSEWHERE = 'e5e5e5e5-0000-4000-8000-00000000000e';

// Regression: bot/auth.ts validated each activity's JWT, then CloudAdapter.process validated it again.
describe('one token validation per activity', () => {
  const key = signingKey('teams-key');
  const openId = new TestOpenIdServer([{ key, endorsements: ['msteams'] }]);
  const connector = new FakeConnector();
  let server: RunningServer | undefined;
  const checks = () => ({
    requests: vi.spyOn(ConfigurationBotFrameworkAuthentication.prototype, 'authenticateRequest'),
    tokens: vi.spyOn(JwtTokenExtractor.prototype, 'getIdentity'),
  });

  async function start(env: NodeJS.ProcessEnv): Promise<string> {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env });
    const { app, adapter, authenticate } = createTeamsApp({ config, log: silentLog, authOverrides: { openIdMetadataUrl: openId.metadataUrl, tokenIssuer: TEST_ISSUER } });
    server = await startHttpServer({ config, log: silentLog, adapter, app, authenticate, health: async () => true });
    return server.url;
  }
  const post = async (url: string, activity: object, authorization?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
    const res = await fetch(`${url}/api/messages`, { method: 'POST', headers, body: JSON.stringify(activity) });
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type'), body: text ? JSON.parse(text) : null };
  };
  const inTenant = <T extends { conversation: object; channelData: object }>(a: T, tenant: string) =>
    ({ ...a, conversation: { ...a.conversation, tenantId: tenant }, channelData: { ...a.channelData, tenant: { id: tenant } } });

  beforeAll(async () => {
    // botframework-connector prints every refused token's key to the console.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await openId.start();
    await connector.start();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await server?.close();
    server = undefined;
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await connector.stop();
    await openId.stop();
  });

  describe('with an app id', () => {
    const env = { MicrosoftAppId: TEST_APP_ID, AUDIT_KEY: 'test-audit-key-for-the-suite-only-0123456789', MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT, ALLOWED_TENANT_IDS: TENANT };
    const bearer = () => `Bearer ${signToken(connectorClaims(connector.url), key)}`;

    it('validates a signed card press once, and answers its invoke response as JSON', async () => {
      const url = await start(env);
      const { requests, tokens } = checks();
      const r = await post(url, inTenant(cardAction(connector.url, GARETH, 'noSuchVerb', {}), TENANT), bearer());
      expect([requests.mock.calls.length, tokens.mock.calls.length]).toEqual([1, 1]);
      expect(r.status).toBe(200);
      expect(r.contentType).toMatch(/^application\/json/);
      expect(r.body.value).toMatch(/isn't one I know/);
    });

    it('validates a signed message once, and answers 200 with no body', async () => {
      const url = await start(env);
      const { requests, tokens } = checks();
      // From another tenant, so the turn ends without sending a reply (which would need a real Entra token).
      const r = await post(url, inTenant(personalMessage(connector.url, GARETH, 'help'), ELSEWHERE), bearer());
      expect([requests.mock.calls.length, tokens.mock.calls.length]).toEqual([1, 1]);
      expect([r.status, r.body]).toEqual([200, null]);
    });

    it('validates a refused token once, and runs no turn', async () => {
      const url = await start(env);
      const { requests, tokens } = checks();
      const r = await post(url, inTenant(cardAction(connector.url, GARETH, 'noSuchVerb', {}), TENANT), `Bearer ${signToken(connectorClaims(connector.url), signingKey('teams-key'))}`);
      expect(r).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
      expect([requests.mock.calls.length, tokens.mock.calls.length]).toEqual([1, 1]);
    });
  });

  it('in local mode authenticates each activity once, with no token to check', async () => {
    const url = await start({});
    const { requests, tokens } = checks();
    const before = connector.posts().length;
    expect((await post(url, teamsMessage(connector.url, 'help'))).status).toBe(200);
    // The turn posts its reply before the activity's POST is answered.
    expect(connector.posts().length).toBe(before + 1);
    expect((await post(url, cardAction(connector.url, GARETH, 'noSuchVerb', {}))).body.value).toMatch(/isn't one I know/);
    expect([requests.mock.calls.length, tokens.mock.calls.length]).toEqual([2, 0]);
  });
});
