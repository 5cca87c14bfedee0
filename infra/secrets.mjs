// The provision step's secret maker (m365agents.yml runs it before arm/deploy). The toolkit reads `::set-teamsfx-env`
// lines from stdout and keeps SECRET_* values, encrypted, in env/.env.<env>.user.
// - SECRET_POSTGRES_ADMIN_PASSWORD: made when empty. Losing it is harmless: the next provision sets a new one on the
//   server and in Key Vault's database-url together.
// - SECRET_AUDIT_KEY: made only on the first provision. After it, Key Vault holds the key (AUDIT_KEY_SECRET_URI is
//   written to env/.env.<env> by arm/deploy) and infra/azure.bicep leaves that secret alone when this is empty, so a
//   lost .user file never replaces the audit chain's key (which would make `panel-bot audit verify` fail).
import { randomBytes } from 'node:crypto';
import process from 'node:process';

const say = (key, value) => process.stdout.write(`::set-teamsfx-env ${key}=${value}\n`);
const fresh = (bytes) => randomBytes(bytes).toString('base64url');

if (!process.env.SECRET_POSTGRES_ADMIN_PASSWORD) say('SECRET_POSTGRES_ADMIN_PASSWORD', `Pg1-${fresh(24)}`);
if (!process.env.SECRET_AUDIT_KEY && !process.env.AUDIT_KEY_SECRET_URI) say('SECRET_AUDIT_KEY', fresh(32));
