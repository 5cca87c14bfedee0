import { auditKey, type AuditKey } from '../scheduler/domain/audit-chain.js';
import type { Log } from '../scheduler/log.js';
import { localAuditKey } from '../scheduler/store/local-key.js';
import { storeOptions, type StoreOptions } from '../scheduler/store/open-store.js';
import type { AppConfig } from './config.js';

/**
 * The audit chain's key: AUDIT_KEY, or in local mode (where the config allows it unset) the one kept in DATA_DIR,
 * made on first use. Said loudly: a key beside the database protects nothing against whoever can read both.
 */
export function auditKeyFor(config: Readonly<AppConfig>, log: Pick<Log, 'warn'> | null): AuditKey {
  if (config.auditKey) return auditKey(config.auditKey);
  const local = localAuditKey(config.dataDir);
  log?.warn(
    { path: local.path, created: local.created },
    `AUDIT_KEY is not set: the audit chain is keyed with ${local.path}${local.created ? ' (made now)' : ''}. That is for local use only; in production set AUDIT_KEY from a secret store, apart from the database.`,
  );
  return local.key;
}

/** Where the configured store is, with its key: what the bot and every command open. */
export function configuredStore(config: Readonly<AppConfig>, log: Pick<Log, 'warn'> | null): StoreOptions {
  return storeOptions(config.databaseUrl, config.dataDir, auditKeyFor(config, log), config.migrationDatabaseUrl);
}
