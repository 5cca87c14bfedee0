import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditKey, type AuditKey } from '../domain/audit-chain.js';

/**
 * Local mode's audit key: read from `audit.key` in the data folder, or made there (readable by its owner only) on
 * first use. It lies beside the SQLite file, so it protects nothing against whoever can read that folder:
 * production sets AUDIT_KEY from a secret store instead, which the config requires outside local mode.
 */
export function localAuditKey(dataDir: string): { key: AuditKey; created: boolean; path: string } {
  const path = join(dataDir, 'audit.key');
  if (existsSync(path)) return { key: auditKey(readFileSync(path, 'utf8').trim()), created: false, path };
  mkdirSync(dataDir, { recursive: true });
  const text = randomBytes(32).toString('base64url');
  // Written whole under another name, then linked into place: two processes starting together never each keep
  // their own key, and neither reads a half-written file. The loser reads the winner's.
  const draft = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  writeFileSync(draft, `${text}\n`, { mode: 0o600 });
  try {
    linkSync(draft, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { key: auditKey(readFileSync(path, 'utf8').trim()), created: false, path };
    throw err;
  } finally {
    rmSync(draft, { force: true });
  }
  return { key: auditKey(text), created: true, path };
}
