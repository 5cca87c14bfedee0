import { existsSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ENV_KEYS } from '../bot/config.js';

// Issue 21: the deployment files, checked as far as this machine can without a container engine, Azure or the
// Agents Toolkit CLI (446 MB, and its keytar dependency compiles against libsecret at install): the Dockerfile's
// rules, compose.yaml's shape, and the toolkit project against the toolkit's own schema (infra/m365agents.schema.v1.11.json,
// copied from @microsoft/m365agentstoolkit-cli 1.1.17), with every file and variable it names accounted for.

const ROOT = new URL('../', import.meta.url).pathname;
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');
const exists = (path: string) => existsSync(`${ROOT}${path.replace(/^\.\//, '')}`);

interface Instruction {
  op: string;
  args: string;
  stage: number;
}

/** The Dockerfile's instructions, continuation lines joined, comments dropped, each with the index of its stage. */
function dockerfile(): { instructions: Instruction[]; args: Record<string, string> } {
  const lines = read('Dockerfile').replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  let stage = -1;
  const args: Record<string, string> = {};
  const instructions = lines.map((line) => {
    const [, op = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === 'FROM') stage += 1;
    if (op.toUpperCase() === 'ARG' && stage === -1) Object.assign(args, Object.fromEntries([rest.split('=')]));
    return { op: op.toUpperCase(), args: rest, stage };
  });
  return { instructions, args };
}

/** `${{NAME}}` placeholders in a toolkit file. */
const placeholders = (text: string) => [...text.matchAll(/\$\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!);
/** `KEY=` lines of a dotenv file. */
const dotenvKeys = (path: string) => read(path).split('\n').filter((l) => /^\w+=/.test(l)).map((l) => l.split('=')[0]!);

describe('the Dockerfile', () => {
  const { instructions, args } = dockerfile();
  const last = Math.max(...instructions.map((i) => i.stage));
  const final = instructions.filter((i) => i.stage === last);
  const has = (list: Instruction[], op: string, pattern: RegExp) => list.some((i) => i.op === op && pattern.test(i.args));

  it('builds in stages from Debian slim Node 20 or later', () => {
    expect(last).toBeGreaterThanOrEqual(2);
    const image = args['NODE_IMAGE'] ?? '';
    expect(image).toMatch(/^node:(\d+)[\d.]*-(bookworm|trixie)-slim$/);
    expect(Number(/^node:(\d+)/.exec(image)![1])).toBeGreaterThanOrEqual(20);
    expect(instructions.filter((i) => i.op === 'FROM').every((i) => /^\$\{NODE_IMAGE\}( AS \w[\w-]*)?$/i.test(i.args) || /^\w[\w-]* AS /i.test(i.args))).toBe(true);
  });

  it('installs production dependencies with npm ci --omit=dev and runs only compiled output as a non-root user', () => {
    expect(has(instructions, 'RUN', /npm ci --omit=dev/)).toBe(true);
    expect(has(instructions, 'RUN', /npm run build/)).toBe(true);
    const copies = final.filter((i) => i.op === 'COPY').map((i) => i.args);
    expect(copies).toContain('--from=deps /app/node_modules node_modules');
    expect(copies).toContain('--from=build /app/dist dist');
    // No TypeScript source in the image that runs.
    for (const source of ['bot', 'cards', 'scheduler', 'test', 'scripts', '.']) expect(copies.some((c) => c.split(' ')[0] === source)).toBe(false);
    const user = final.filter((i) => i.op === 'USER').map((i) => i.args);
    expect(user.length).toBe(1);
    expect(user[0]).not.toMatch(/^(root|0)(:|$)/);
    expect(final.findIndex((i) => i.op === 'USER')).toBeLessThan(final.findIndex((i) => i.op === 'CMD'));
  });

  it('checks /healthz, and runs node as PID 1 so SIGTERM reaches the bot', () => {
    expect(has(final, 'HEALTHCHECK', /\/healthz/)).toBe(true);
    expect(has(final, 'STOPSIGNAL', /^SIGTERM$/)).toBe(true);
    const cmd = final.find((i) => i.op === 'CMD')!.args;
    // Exec form (a JSON array): no shell between Docker and node to swallow the signal.
    const argv = JSON.parse(cmd) as string[];
    expect(argv[0]).toBe('node');
    expect(argv.at(-1)).toBe('dist/bot/main.js');
    expect(final.some((i) => i.op === 'ENTRYPOINT')).toBe(false);
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    const ignored = read('.dockerignore').split('\n').filter((l) => l && !l.startsWith('#'));
    for (const must of ['node_modules/', 'dist/', '.env', 'data/', 'test/']) expect(ignored).toContain(must);
    const sources = instructions.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from')).flatMap((i) => i.args.split(' ').slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const s of sources) {
      expect(exists(s), s).toBe(true);
      expect(ignored.some((p) => p.replace(/\/$/, '') === s.replace(/\/$/, '')), s).toBe(false);
    }
  });
});

describe('compose.yaml', () => {
  const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, any> };
  const bots = Object.entries(compose.services).filter(([, s]) => s.build === '.');

  it('runs PostgreSQL 16 and two bot instances from this Dockerfile, each with the database and its metrics port', () => {
    expect(compose.services['db'].image).toMatch(/^postgres:16/);
    expect(bots.map(([name]) => name)).toEqual(['bot-1', 'bot-2']);
    for (const [, bot] of bots) {
      expect(bot.environment.DATABASE_URL).toMatch(/@db:5432\//);
      expect(bot.environment.METRICS_PORT).toBe(9464);
      expect(bot.ports).toBeUndefined();
      // Every variable it sets is one the bot reads (a misspelt name would be ignored silently).
      expect(Object.keys(bot.environment).filter((k) => !ENV_KEYS.includes(k))).toEqual([]);
    }
  });

  it('puts both instances behind one published port, through a proxy whose config is in the repository', () => {
    const published = Object.entries(compose.services).filter(([, s]) => s.ports && !s.profiles);
    expect(published.map(([name]) => name)).toEqual(['proxy']);
    const mount = (compose.services['proxy'].volumes as string[])[0]!.split(':')[0]!;
    expect(exists(mount)).toBe(true);
    const cfg = read(mount.replace(/^\.\//, ''));
    for (const [name] of bots) expect(cfg).toMatch(new RegExp(`server ${name} ${name}:3978`));
    expect(cfg).toMatch(/option httpchk GET \/healthz/);
    expect(cfg).toMatch(/bind :8080/);
  });
});

describe('the Agents Toolkit project', () => {
  const schema = JSON.parse(read('infra/m365agents.schema.v1.11.json')) as object;
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  const bicep = read('infra/azure.bicep');
  const bicepParams = [...bicep.matchAll(/^param (\w+) \w+( = .*)?$/gm)].map((m) => ({ name: m[1]!, required: !m[2] }));
  const bicepOutputs = [...bicep.matchAll(/^output (\w+) /gm)].map((m) => m[1]!);
  const madeBySecretsScript = [...read('infra/secrets.mjs').matchAll(/say\('(\w+)'/g)].map((m) => m[1]!);
  const BUILT_IN = ['TEAMSFX_ENV', 'AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME'];

  it.each([
    ['m365agents.yml', 'env/.env.dev.sample'],
    ['m365agents.local.yml', 'env/.env.local.sample'],
  ])('%s matches the toolkit schema it names, and every file and variable it uses is accounted for', (file, envSample) => {
    const text = read(file);
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=https://aka.ms/m365-agents-toolkits/v1.11/yaml.schema.json');
    const project = parse(text) as Record<string, any>;
    expect(project.version).toBe('v1.11');
    expect(validate(project), JSON.stringify(validate.errors, null, 1)).toBe(true);

    const actions = ['provision', 'deploy', 'publish'].flatMap((stage) => (project[stage] ?? []) as Array<Record<string, any>>);
    const written = actions.flatMap((a) => Object.values(a.writeToEnvironmentFile ?? {}) as string[]);
    const templates = actions.filter((a) => a.uses === 'arm/deploy').flatMap((a) => a.with.templates as Array<{ path: string; parameters: string }>);
    const known = new Set([...BUILT_IN, ...written, ...dotenvKeys(envSample), ...madeBySecretsScript, ...(templates.length ? bicepOutputs : [])]);
    const used = [...placeholders(text), ...templates.flatMap((t) => placeholders(read(t.parameters.replace(/^\.\//, ''))))];
    expect([...new Set(used)].filter((v) => !known.has(v))).toEqual([]);

    const files = [
      ...templates.flatMap((t) => [t.path, t.parameters]),
      ...actions.map((a) => a.with?.ignoreFile).filter(Boolean),
      ...actions.filter((a) => a.uses === 'script').map((a) => String(a.with.run).replace(/^node /, '')),
    ];
    for (const f of files) expect(exists(f), f).toBe(true);
    // The app package the Teams actions upload is the one `npm run package` writes.
    const packages = actions.map((a) => a.with?.appPackagePath).filter(Boolean);
    expect(new Set(packages)).toEqual(new Set(['./build/appPackage.zip']));
    expect(actions.some((a) => a.uses === 'cli/runNpmCommand' && a.with.args === 'run package')).toBe(true);
    expect(read('manifest/package-app.ts')).toContain("outFile = 'build/appPackage.zip'");
  });

  it('provisions from infra/azure.bicep with every parameter it needs and none it does not know', () => {
    const given = Object.keys((JSON.parse(read('infra/azure.parameters.json')) as { parameters: object }).parameters);
    expect(given.filter((p) => !bicepParams.some((b) => b.name === p))).toEqual([]);
    expect(bicepParams.filter((b) => b.required && !given.includes(b.name)).map((b) => b.name)).toEqual([]);
    for (const resource of ['Microsoft.Web/sites', 'Microsoft.DBforPostgreSQL/flexibleServers', 'Microsoft.KeyVault/vaults', 'Microsoft.BotService/botServices', 'Microsoft.Insights/components']) {
      expect(bicep).toContain(`'${resource}@`);
    }
    expect(bicep).toMatch(/version: '16'/);
  });

  it('gives the app only settings the bot reads (or App Service does), its secrets through Key Vault, and starts the compiled build', () => {
    const settings = [...bicep.matchAll(/\{ name: '(\w+)', value: (.*) \}/g)].map((m) => ({ name: m[1]!, value: m[2]! }));
    const appService = ['SCM_DO_BUILD_DURING_DEPLOYMENT', 'CUSTOM_BUILD_COMMAND'];
    expect(settings.map((s) => s.name).filter((n) => !ENV_KEYS.includes(n) && !appService.includes(n))).toEqual([]);
    for (const secret of ['MicrosoftAppPassword', 'AUDIT_KEY', 'DATABASE_URL']) {
      expect(settings.find((s) => s.name === secret)?.value, secret).toMatch(/^'@Microsoft\.KeyVault\(VaultName=\$\{vaultName\};SecretName=[a-z-]+\)'$/);
    }
    expect(bicep).toContain("appCommandLine: 'node --disable-warning=DEP0111 dist/bot/main.js'");
    expect(bicep).toContain("healthCheckPath: '/healthz'");
  });

  it('uploads the build and the lock file to App Service, and no sources or node_modules', () => {
    const ignore = read('deploy/webappignore').split('\n').filter((l) => l && !l.startsWith('#'));
    for (const kept of ['/dist/', '/bin/', '/config/', '/package.json', '/package-lock.json', '/.npmrc']) expect(ignore).not.toContain(kept);
    for (const dropped of ['/node_modules/', '/bot/', '/scheduler/', '/cards/', '/test/', '/env/', '/.env']) expect(ignore).toContain(dropped);
    // Anchored, so excluding the bot's sources never drops dist/bot/.
    expect(ignore.filter((p) => /^[a-z]/.test(p))).toEqual([]);
  });
});
