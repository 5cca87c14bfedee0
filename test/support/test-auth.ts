import { createHmac, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The issuer the test OpenID document speaks for (what the Bot Connector's tokens carry in production). */
export const TEST_ISSUER = 'https://api.botframework.test';
export const TEST_APP_ID = '00000000-0000-4000-8000-00000000b07a';

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: { kty: string; n: string; e: string };
}

/** A fresh RSA key; `kid` names it in the JWKS and in the tokens it signs. */
export function signingKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
  return { kid, privateKey, publicJwk: { kty: jwk.kty, n: jwk.n, e: jwk.e } };
}

export type Claims = Record<string, unknown>;

/** The claims the Bot Connector puts in a token for an activity it posts to the bot, valid for an hour from `nowSec`. */
export function connectorClaims(serviceUrl: string, nowSec = Math.floor(Date.now() / 1000)): Claims {
  return { iss: TEST_ISSUER, aud: TEST_APP_ID, serviceurl: serviceUrl, nbf: nowSec - 60, iat: nowSec - 60, exp: nowSec + 3600 };
}

/** An RS256 JWT signed with `key` (its kid in the header, unless `kid` says otherwise). */
export function signToken(claims: Claims, key: SigningKey, kid = key.kid): string {
  const head = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }))}.${b64url(JSON.stringify(claims))}`;
  return `${head}.${b64url(createSign('RSA-SHA256').update(head).sign(key.privateKey))}`;
}

/** An `alg: none` token: claims with no signature at all. */
export function unsignedToken(claims: Claims, kid: string): string {
  return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT', kid }))}.${b64url(JSON.stringify(claims))}.`;
}

/** An HS256 token keyed with the public modulus: the classic algorithm-confusion forgery. */
export function hmacToken(claims: Claims, key: SigningKey): string {
  const head = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: key.kid }))}.${b64url(JSON.stringify(claims))}`;
  return `${head}.${createHmac('sha256', key.publicJwk.n).update(head).digest('base64url')}`;
}

/** A loopback OpenID provider: `/.well-known/openid-configuration` and `/keys`, as login.botframework.com serves them. */
export class TestOpenIdServer {
  private server: Server | null = null;
  url = '';
  /** How often each document was fetched, so a test can show the validator really used this server. */
  readonly hits = { config: 0, keys: 0 };

  constructor(private readonly keys: Array<{ key: SigningKey; endorsements: string[] }>) {}

  get metadataUrl(): string {
    return `${this.url}/.well-known/openid-configuration`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const json = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/.well-known/openid-configuration') {
        this.hits.config++;
        return json({ issuer: TEST_ISSUER, jwks_uri: `${this.url}/keys`, id_token_signing_alg_values_supported: ['RS256'] });
      }
      if (req.url === '/keys') {
        this.hits.keys++;
        return json({ keys: this.keys.map(({ key, endorsements }) => ({ ...key.publicJwk, use: 'sig', kid: key.kid, endorsements })) });
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }
}
