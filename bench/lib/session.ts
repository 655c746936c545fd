// A fresh service (empty data dir) with a logged-in CLI: the state a new user starts a backfill in.
import { ACCOUNT } from './emulator.js';
import { cliEnv, cliLogin } from './cli.js';
import { tempDir } from './paths.js';
import { startServiceChild, type ServiceChild } from './service.js';

export interface Session {
  service: ServiceChild;
  env: NodeJS.ProcessEnv;
  configDir: string;
}

export async function freshSession(
  garminUrl: string,
  flags: string[] = [],
  env: NodeJS.ProcessEnv = {},
  nodeFlags: string[] = [],
): Promise<Session> {
  const service = await startServiceChild({ garminUrl, flags, env, nodeFlags });
  try {
    const configDir = await tempDir('config');
    const e = cliEnv(service.url, configDir);
    await cliLogin(e, ACCOUNT.email, ACCOUNT.password);
    return { service, env: e, configDir };
  } catch (err) {
    await service.stop();
    throw err;
  }
}
