import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLog, type Log } from '../scheduler/log.js';
import { storeOptions } from '../scheduler/store/open-store.js';
import type { FakeConnector } from './support/fake-connector.js';
import { dumpStore } from './support/store-dump.js';
import { cardAction, GARETH, personalMessage } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { connectorClaims, hmacToken, signingKey, signToken, TEST_APP_ID, TEST_ISSUER, TestOpenIdServer, unsignedToken, type Claims } from './support/test-auth.js';

const NOW = '2027-04-01T08:00:00.000Z';
// ALLOWED_TENANT_IDS takes GUIDs only; every activity below is put in this tenant (or another on purpose).
const TENANT = 'd4d4d4d4-0000-4000-8000-00000000000d';
const EMULATOR_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';

describe('authentication and tenancy with an app id set, over real HTTP', () => {
  const teamsKey = signingKey('teams-key');
  const skypeKey = signingKey('skype-only-key');
  const attackerKey = signingKey('teams-key'); // same kid as the real key, different private key
  const openId = new TestOpenIdServer([
    { key: teamsKey, endorsements: ['msteams'] },
    { key: skypeKey, endorsements: ['skype'] },
  ]);
  const warnings: Array<{ obj: object; msg?: string }> = [];
  const log: Log = { ...silentLog, warn: (obj, msg) => void warnings.push({ obj, ...(msg ? { msg } : {}) }), child: () => log };
  let dir: string;
  let connector: FakeConnector;
  let send: TestBot['post'];
  let stop: TestBot['stop'];

  const env = {
    MicrosoftAppId: TEST_APP_ID,
    AUDIT_KEY: 'test-audit-key-for-the-suite-only-0123456789',
    MicrosoftAppPassword: 'not-a-real-secret',
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppTenantId: TENANT,
    ALLOWED_TENANT_IDS: TENANT,
  };
  const post = (activity: object, authorization?: string) => send(activity, authorization ? { authorization } : {});
  const press = (tenant = TENANT) => {
    const a = cardAction(connector.url, GARETH, 'noSuchVerb', {});
    return { ...a, conversation: { ...a.conversation, tenantId: tenant }, channelData: { ...a.channelData, tenant: { id: tenant } } };
  };
  const bearer = (claims: Claims, key = teamsKey) => `Bearer ${signToken(claims, key)}`;
  const claims = (over: Claims = {}) => ({ ...connectorClaims(connector.url), ...over });
  const dump = () => dumpStore(storeOptions(null, dir));

  beforeAll(async () => {
    // botframework-connector prints every refused token's key to the console; the bot's own log is what the tests read.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await openId.start();
    ({ connector, dir, post: send, stop } = await startTestBot({
      now: () => NOW,
      env,
      log,
      options: { authOverrides: { openIdMetadataUrl: openId.metadataUrl, tokenIssuer: TEST_ISSUER } },
    }));
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await stop();
    await openId.stop();
  });
  beforeEach(() => void (warnings.length = 0));

  it('accepts an activity signed by the OpenID document’s key, fetched from the loopback server', async () => {
    const r = await post(press(), bearer(claims()));
    expect(r.status).toBe(200);
    expect(r.body.value).toMatch(/isn't one I know/);
    expect(openId.hits.keys).toBeGreaterThan(0);
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each<[string, () => string | undefined]>([
    ['no Authorization header', () => undefined],
    ['a token that is not a JWT', () => 'Bearer not.a.jwt'],
    ['a scheme other than Bearer', () => `Basic ${signToken(claims(), teamsKey)}`],
    ['a token forged with another key under the real key id', () => bearer(claims(), attackerKey)],
    ['an unsigned token (alg none)', () => `Bearer ${unsignedToken(claims(), teamsKey.kid)}`],
    ['an HS256 token keyed with the public key', () => `Bearer ${hmacToken(claims(), teamsKey)}`],
    ['an expired token', () => bearer(claims({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 }))],
    ['a token not valid yet', () => bearer(claims({ nbf: now() + 3600 }))],
    ['a token for another bot (wrong audience)', () => bearer(claims({ aud: '11111111-2222-4333-8444-555555555555' }))],
    ['a token from another issuer', () => bearer(claims({ iss: 'https://login.attacker.example' }))],
    ['a forged token with the Emulator’s issuer', () => bearer(claims({ iss: EMULATOR_ISSUER, ver: '1.0', appid: TEST_APP_ID }), attackerKey)],
    ['a token for another service URL', () => bearer(claims({ serviceurl: 'https://smba.attacker.example/' }))],
    ['a token signed by a key unknown to the document', () => bearer(claims(), signingKey('unknown-key'))],
    ['a token signed by a key endorsed only for another channel', () => bearer(claims(), skypeKey)],
  ])('refuses %s with 401, runs nothing and changes nothing', async (_name, authorization) => {
    const before = await dump();
    const calls = connector.calls.length;
    const r = await post(press(), authorization());
    expect(r).toEqual({ status: 401, body: { error: 'unauthorized' } });
    expect(warnings.some((w) => w.msg === 'activity refused: token not accepted')).toBe(true);
    expect(await dump()).toEqual(before);
    expect(connector.calls.length).toBe(calls);
  });

  it('refuses a signed card action from a tenant outside the allow-list with 403, and logs it', async () => {
    const before = await dump();
    const r = await post(press('tenant-elsewhere'), bearer(claims()));
    expect(r.status).toBe(403);
    expect(warnings).toContainEqual({ obj: expect.objectContaining({ tenant: 'tenant-elsewhere' }), msg: 'activity from a tenant outside ALLOWED_TENANT_IDS refused' });
    expect(await dump()).toEqual(before);
  });

  it('ends a signed message from another tenant (or none) unanswered, and logs it', async () => {
    const before = await dump();
    const calls = connector.calls.length;
    const m = personalMessage(connector.url, GARETH, 'help');
    const elsewhere = { ...m, conversation: { ...m.conversation, tenantId: 'tenant-elsewhere' }, channelData: { tenant: { id: 'tenant-elsewhere' } } };
    const none = { ...m, conversation: { id: m.conversation.id, conversationType: 'personal' }, channelData: {} };
    for (const activity of [elsewhere, none]) expect((await post(activity, bearer(claims()))).status).toBe(200);
    expect(warnings.filter((w) => w.msg === 'activity from a tenant outside ALLOWED_TENANT_IDS refused').map((w) => (w.obj as { tenant: unknown }).tenant)).toEqual(['tenant-elsewhere', null]);
    expect(await dump()).toEqual(before);
    expect(connector.calls.length).toBe(calls);
  });
});
