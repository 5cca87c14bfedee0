import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: far past guessing, and safe in a URL path. */
export const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The stored form of a link token. */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** 256 random bits, base64url: a link's seed, or (tests, benchmarks) a token stored only as its hash. */
export const newToken = (): string => randomBytes(32).toString('base64url');
