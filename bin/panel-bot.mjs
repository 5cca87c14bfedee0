#!/usr/bin/env node
// The `panel-bot` command: loads the TypeScript sources through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { cliMain } = await import('../bot/cli/cli.ts');
await cliMain();
