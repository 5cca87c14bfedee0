import { runCli } from '../../bot/cli/cli.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `panel-bot` in process with the environment `env()` gives at the time, collecting what it prints. */
export const cliRunner = (env: () => NodeJS.ProcessEnv) => async (...argv: string[]): Promise<CliRun> => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s) }, env());
  return { code, out: out.join('\n'), err: err.join('\n') };
};
