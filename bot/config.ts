import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';

/** The validated, frozen environment. Only this module reads `process.env` (house rule 8). */
export interface AppConfig {
  port: number;
  host: string;
  appId: string;
  appPassword: string;
  appTenantId: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  allowedTenantIds: string[];
  /**
   * The force deployment's own Entra tenant: a person in the forces and panels file without a `tenantId` is of this
   * tenant (identity is tenant and object id). Null when unset: such a person is then matched on object id alone.
   */
  homeTenantId: string | null;
  /** Council tenants whose people may act only as the chairs the file names for them (never any other role). */
  partnerTenantIds: string[];
  databaseUrl: string | null;
  dataDir: string;
  panelsConfig: string;
  publicBaseUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Seconds between scheduler passes. */
  tickSeconds: number;
  /** Working days before a meeting: the nomination card, the reminder, the personal escalation. */
  nominationTimings: { leadWorkingDays: number; reminderWorkingDays: number; escalationWorkingDays: number };
  /** Local mode: no app id, no token validation, loopback only. */
  localMode: boolean;
  /** The audit chain's secret; null in local mode without one (a key is then kept in dataDir). */
  auditKey: string | null;
  /** A PostgreSQL owner role that runs migrations, so databaseUrl's role needs only the app's grants. */
  migrationDatabaseUrl: string | null;
  /** How many years meetings and their records are kept after they end. */
  retentionYears: number;
  /** The marking on every review document page, the review card and export file names (e.g. OFFICIAL-SENSITIVE). */
  protectiveMarking: string;
  /** Where Prometheus reads /metrics: a port of its own, or null (off). */
  metrics: { port: number; host: string } | null;
  /** Application Insights' connection string: OpenTelemetry exports to Azure Monitor when set. */
  appInsightsConnectionString: string | null;
}

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Comma-separated Entra tenant ids, lower-cased. An empty entry or a non-GUID refuses the whole list: a slip
 * like "," must not turn into an empty list, which would admit every tenant.
 */
const tenantList = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .transform((raw, ctx) => {
      const entries = raw.split(',').map((s) => s.trim());
      const bad = entries.map((e, i) => (e === '' ? `entry ${i + 1} is empty` : GUID.test(e) ? null : `"${e}" is not a tenant id (a GUID)`));
      const problems = bad.filter((p): p is string => p !== null);
      if (problems.length > 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${problems.join('; ')}; give comma-separated tenant GUIDs` });
      return entries.map((e) => e.toLowerCase());
    })
    .optional(),
);

/** The longest marking accepted: it stands in every page's header and footer and in file names. */
export const MARKING_MAX = 40;

/**
 * A protective marking as the Government Security Classifications write them (`OFFICIAL-SENSITIVE`, `OFFICIAL`):
 * printable ASCII (it goes into file names and HTTP headers, which carry nothing else safely), short, and without
 * the quotes, slashes and backslashes a file name or a Content-Disposition header would trip on.
 */
const marking = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .trim()
    .max(MARKING_MAX, `must be at most ${MARKING_MAX} characters (it stands in every page's header and footer)`)
    .regex(/^[A-Za-z0-9][ -~]*$/, 'must be printable ASCII starting with a letter or digit (it goes into file names and headers)')
    .refine((v) => !/["\\/]/.test(v), 'must not contain quotes, slashes or backslashes (it goes into file names)')
    .default('OFFICIAL-SENSITIVE'),
);

/**
 * An Application Insights connection string as the portal shows it: `Key=value` pairs separated by `;`, with an
 * `InstrumentationKey` that is a GUID. Checked here so a pasted fragment stops start-up instead of exporting nowhere.
 */
const connectionString = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .trim()
    .refine((v) => v.split(';').filter(Boolean).every((pair) => /^[A-Za-z]+=\S+$/.test(pair)), 'must be `Key=value` pairs separated by `;`, as the Application Insights resource shows it')
    .refine((v) => /(^|;)InstrumentationKey=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(;|$)/i.test(v), 'must contain InstrumentationKey=<GUID>')
    .optional(),
);

const workingDays = (fallback: number) => z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(60).default(fallback));

const envSchema = z
  .object({
    PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3978)),
    HOST: z.preprocess(emptyToUndefined, z.string().trim().default('127.0.0.1')),
    MicrosoftAppId: optionalString,
    MicrosoftAppPassword: optionalString,
    MicrosoftAppTenantId: optionalString,
    MicrosoftAppType: z.preprocess(
      emptyToUndefined,
      z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
    ),
    ALLOWED_TENANT_IDS: tenantList,
    HOME_TENANT_ID: z.preprocess(emptyToUndefined, z.string().trim().regex(GUID, 'must be a tenant id (a GUID)').transform((s) => s.toLowerCase()).optional()),
    PARTNER_TENANT_IDS: tenantList,
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
        .optional(),
    ),
    MIGRATION_DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
        .optional(),
    ),
    AUDIT_KEY: z.preprocess(
      emptyToUndefined,
      z.string()
        // App Service passes a Key Vault reference it could not resolve as its own text: never a key.
        .refine((v) => !v.startsWith('@Microsoft.KeyVault('), 'is a Key Vault reference App Service could not resolve: check the app\'s identity and the vault\'s access')
        .pipe(z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)'))
        .optional(),
    ),
    RETENTION_YEARS: z.preprocess(
      emptyToUndefined,
      z.coerce.number().int('must be a whole number of years').min(2, 'must be at least 2 (the review compares a year with the one before)').max(100).default(7),
    ),
    PROTECTIVE_MARKING: marking,
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
    PANELS_CONFIG: z.preprocess(emptyToUndefined, z.string().default('./config/panels.sample.yaml')),
    PUBLIC_BASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .url()
        .regex(/^https?:\/\//, 'must start with http:// or https://')
        .default('http://127.0.0.1:3978'),
    ),
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
    SCHEDULER_TICK_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(3600).default(60)),
    NOMINATION_LEAD_WORKING_DAYS: workingDays(10),
    NOMINATION_REMINDER_WORKING_DAYS: workingDays(5),
    NOMINATION_ESCALATION_WORKING_DAYS: workingDays(2),
    METRICS_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int('must be a whole port number').min(0).max(65535).optional()),
    METRICS_HOST: z.preprocess(emptyToUndefined, z.string().trim().regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or an IP address').optional()),
    APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString,
  })
  .superRefine((env, ctx) => {
    if (env.MicrosoftAppId && !env.ALLOWED_TENANT_IDS) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['ALLOWED_TENANT_IDS'],
        message: 'is required when MicrosoftAppId is set (the tenants whose activities are accepted)',
      });
    }
    const allowed = env.ALLOWED_TENANT_IDS ?? [];
    if (env.PARTNER_TENANT_IDS && !env.HOME_TENANT_ID) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['HOME_TENANT_ID'], message: "is required with PARTNER_TENANT_IDS: the file's people without a tenantId are of this tenant, never a council's" });
    }
    for (const t of env.PARTNER_TENANT_IDS ?? []) {
      if (t === env.HOME_TENANT_ID || allowed.includes(t)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['PARTNER_TENANT_IDS'], message: `"${t}" is also the home tenant or in ALLOWED_TENANT_IDS: a council tenant is listed once, in PARTNER_TENANT_IDS` });
      }
    }
    if (env.MicrosoftAppId && env.HOME_TENANT_ID && env.ALLOWED_TENANT_IDS && !allowed.includes(env.HOME_TENANT_ID)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['HOME_TENANT_ID'], message: 'must be one of ALLOWED_TENANT_IDS' });
    }
    if (!env.MicrosoftAppId && !isLoopback(env.HOST)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['HOST'],
        message: `local mode (no MicrosoftAppId) listens on a loopback address only, not "${env.HOST}"`,
      });
    }
    if (!(env.NOMINATION_LEAD_WORKING_DAYS >= env.NOMINATION_REMINDER_WORKING_DAYS && env.NOMINATION_REMINDER_WORKING_DAYS >= env.NOMINATION_ESCALATION_WORKING_DAYS)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['NOMINATION_REMINDER_WORKING_DAYS'],
        message: 'the card must go before the reminder, and the reminder before the escalation (lead ≥ reminder ≥ escalation)',
      });
    }
    if (env.MicrosoftAppId && !env.AUDIT_KEY) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['AUDIT_KEY'],
        message: 'is required when MicrosoftAppId is set (the audit chain\'s secret, kept apart from the database)',
      });
    }
    if (env.DATABASE_URL && !env.AUDIT_KEY) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['AUDIT_KEY'],
        message: 'is required with DATABASE_URL: every instance must write the chain with the same key, and a key kept in DATA_DIR is one machine\'s',
      });
    }
    if (env.MIGRATION_DATABASE_URL && !env.DATABASE_URL) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['MIGRATION_DATABASE_URL'], message: 'needs DATABASE_URL (the app role the migrations grant to)' });
    }
    if (env.METRICS_HOST && env.METRICS_PORT === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['METRICS_HOST'], message: 'is set but METRICS_PORT is not, so /metrics would stay off: set METRICS_PORT too' });
    }
    if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['METRICS_PORT'], message: `must differ from PORT (${env.PORT}): metrics are served on a port of their own` });
    }
    if (env.MicrosoftAppId && env.MicrosoftAppType === 'SingleTenant' && !env.MicrosoftAppTenantId) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['MicrosoftAppTenantId'],
        message: 'is required when MicrosoftAppType is SingleTenant',
      });
    }
  });

/** Every variable the bot reads; env.sample documents each (a test keeps the two in step). */
export const ENV_KEYS = Object.keys(envSchema.innerType().shape);

/** Loads `.env` into process.env when the file exists; variables already set win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<AppConfig> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const e = parsed.data;
  const appId = e.MicrosoftAppId ?? '';
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    appId,
    appPassword: e.MicrosoftAppPassword ?? '',
    appTenantId: e.MicrosoftAppTenantId ?? '',
    // SingleTenant refuses to start without an app id, so local mode runs as MultiTenant with no credentials.
    appType: appId ? (e.MicrosoftAppType ?? 'SingleTenant') : 'MultiTenant',
    allowedTenantIds: e.ALLOWED_TENANT_IDS ?? [],
    homeTenantId: e.HOME_TENANT_ID ?? null,
    partnerTenantIds: e.PARTNER_TENANT_IDS ?? [],
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: e.DATA_DIR,
    panelsConfig: e.PANELS_CONFIG,
    publicBaseUrl: e.PUBLIC_BASE_URL.replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    tickSeconds: e.SCHEDULER_TICK_SECONDS,
    nominationTimings: {
      leadWorkingDays: e.NOMINATION_LEAD_WORKING_DAYS,
      reminderWorkingDays: e.NOMINATION_REMINDER_WORKING_DAYS,
      escalationWorkingDays: e.NOMINATION_ESCALATION_WORKING_DAYS,
    },
    localMode: appId === '',
    auditKey: e.AUDIT_KEY ?? null,
    migrationDatabaseUrl: e.MIGRATION_DATABASE_URL ?? null,
    retentionYears: e.RETENTION_YEARS,
    protectiveMarking: e.PROTECTIVE_MARKING,
    // Loopback unless told: the figures carry no personal data, but who may read them is the operator's choice.
    metrics: e.METRICS_PORT === undefined ? null : { port: e.METRICS_PORT, host: e.METRICS_HOST ?? '127.0.0.1' },
    appInsightsConnectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING ?? null,
  });
}
