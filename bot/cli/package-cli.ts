import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { loadConfig, loadDotEnv, type AppConfig } from '../config.js';
import { PLACEHOLDER_APP_ID, buildPackage, checkIcons, fillManifest, validateManifest } from '../../manifest/package-app.js';

// The entry point of `npm run package`: fill the manifest from the environment, validate it offline,
// check the icons, then write build/appPackage.zip. Exit 1 with every problem listed.

const manifestDir = new URL('../manifest/', import.meta.url);
const packageJson = z.object({ version: z.string().min(1) });

function fail(title: string, problems: string[]): never {
  process.stderr.write(`${title}:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}

function readConfig(): Readonly<AppConfig> {
  try {
    return loadConfig();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = readConfig();
  if (!config.appId) {
    process.stderr.write(
      `warning: MicrosoftAppId is not set; the package uses the placeholder id ${PLACEHOLDER_APP_ID}. ` +
        'Set MicrosoftAppId to the bot\'s Entra ID app id before uploading the package to Teams.\n',
    );
  }
  const { version } = packageJson.parse(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')));
  const manifest = fillManifest(readFileSync(new URL('manifest.json', manifestDir), 'utf8'), {
    appId: config.appId || PLACEHOLDER_APP_ID,
    version,
    baseUrl: config.publicBaseUrl,
  });
  const schemaErrors = await validateManifest(manifest);
  if (schemaErrors.length > 0) fail('manifest.json does not match its schema', schemaErrors);
  const colorPng = readFileSync(new URL('color.png', manifestDir));
  const outlinePng = readFileSync(new URL('outline.png', manifestDir));
  const iconProblems = checkIcons(colorPng, outlinePng);
  if (iconProblems.length > 0) fail('the icons do not fit Teams', iconProblems);
  process.stdout.write(`${buildPackage({ manifest, colorPng, outlinePng })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`packaging failed: ${(err as Error).message}\n`);
  process.exit(1);
});
