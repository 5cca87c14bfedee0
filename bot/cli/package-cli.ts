import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { loadDotEnv } from '../config.js';
import { PLACEHOLDER_APP_ID, buildPackage, checkIcons, fillManifest, validateManifest } from '../../manifest/package-app.js';
import { loadConfigOr, refuse, runMain, type CliIo } from './io.js';

// The entry point of `npm run package`: fill the manifest from the environment, validate it offline,
// check the icons, then write build/appPackage.zip. Exit 1 with every problem listed.

const manifestDir = new URL('../../manifest/', import.meta.url);
const packageJson = z.object({ version: z.string().min(1) });

/** A refusal with its problems listed under it, as a configuration error lists them. */
const fail = (io: CliIo, title: string, problems: string[]) => refuse(io, `${title}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);

async function packageApp(io: CliIo): Promise<number> {
  loadDotEnv();
  const config = loadConfigOr(io);
  if (!config) return 1;
  if (!config.appId) {
    io.err(
      `warning: MicrosoftAppId is not set; the package uses the placeholder id ${PLACEHOLDER_APP_ID}. ` +
        'Set MicrosoftAppId to the bot\'s Entra ID app id before uploading the package to Teams.',
    );
  }
  const { version } = packageJson.parse(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')));
  const manifest = fillManifest(readFileSync(new URL('manifest.json', manifestDir), 'utf8'), {
    appId: config.appId || PLACEHOLDER_APP_ID,
    version,
    baseUrl: config.publicBaseUrl,
  });
  const schemaErrors = await validateManifest(manifest);
  if (schemaErrors.length > 0) return fail(io, 'manifest.json does not match its schema', schemaErrors);
  const colorPng = readFileSync(new URL('color.png', manifestDir));
  const outlinePng = readFileSync(new URL('outline.png', manifestDir));
  const iconProblems = checkIcons(colorPng, outlinePng);
  if (iconProblems.length > 0) return fail(io, 'the icons do not fit Teams', iconProblems);
  io.out(buildPackage({ manifest, colorPng, outlinePng }));
  return 0;
}

void runMain(packageApp);
