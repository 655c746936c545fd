import { execFile } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HEALTH_METRICS } from '../../../core/index.js';
import { useFakeCli } from '../../testing/fake-cli.js';
import { run } from '../../testing/run.js';

const exec = promisify(execFile);
const BIN = resolve('bin/garminsync.js'); // the built binary (npm run build), as the shell calls it at TAB

const fake = useFakeCli();

/** What bash offers at TAB after `words` (the last one is being typed), with the real script and binary. */
async function tab(script: string, words: string[]): Promise<string[]> {
  const dir = join(fake.home, 'bin');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'garminsync'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  await chmod(join(dir, 'garminsync'), 0o755);
  await writeFile(join(fake.home, 'completion.bash'), script);
  const line = ['garminsync', ...words].map((w) => `'${w}'`).join(' ');
  const { stdout } = await exec(
    'bash',
    [
      '-c',
      `source "${join(fake.home, 'completion.bash')}"; COMP_WORDS=(${line}); COMP_CWORD=${words.length}; _garminsync; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    {
      env: {
        PATH: `${dir}:${process.env.PATH}`,
        XDG_CONFIG_HOME: fake.home,
        HOME: fake.home,
        GARMINSYNC_SERVER: fake.svc.url,
        GARMINSYNC_KEYRING: 'off',
      },
    },
  );
  return stdout.split('\n').filter(Boolean);
}

describe('shell completion (issue 18.9)', () => {
  it('bash completes flag values (types, statuses, metrics, formats) and job ids asked from the service', async () => {
    const script = (await run(['completion', 'bash'], { home: fake.home })).stdout;
    expect(await tab(script, ['sync', 'start', '--type', ''])).toEqual(['activities', 'health', 'workouts', 'all']);
    expect(await tab(script, ['sync', 'start', '-t', 'he'])).toEqual(['health']);
    expect(await tab(script, ['sync', 'list', '--status', 'c'])).toEqual(['completed', 'cancelled']);
    expect(await tab(script, ['health', 'show', '2026-11-01', '--metric', ''])).toEqual([...HEALTH_METRICS]);
    expect(await tab(script, ['export', 'out', '--formats', 'g'])).toEqual(['gpx']);
    expect(await tab(script, ['config', 'get', ''])).toEqual(['server', 'credential_backend', 'color']);
    expect(await tab(script, ['sync', 'start', '--w'])).toEqual(['--wait']);
    // Not logged in: the service cannot be asked, and nothing (no error text) lands on the line.
    expect(await tab(script, ['sync', 'status', ''])).toEqual([]);
    await run(['auth', 'login', '-u', 'nomfa@example.com', '--password-stdin'], {
      home: fake.home,
      server: fake.svc.url,
      stdin: 'demo-password',
    });
    const job = JSON.parse((await run(['sync', 'start', '--type', 'health', '--json'], { home: fake.home, server: fake.svc.url })).stdout)
      .jobs[0].job_id;
    expect(await tab(script, ['sync', 'watch', ''])).toEqual([job]);
    expect(await tab(script, ['sync', 'retry', '--wait', 'cdcb'])).toEqual([job]);
    expect(await tab(script, ['activities', 'list', '--sport', ''])).toEqual(['running']);
  }, 60_000);

  it('fish and zsh scripts carry the same values', async () => {
    const fish = (await run(['completion', 'fish'], { home: fake.home })).stdout;
    expect(fish).toContain("-l type -s t -x -a 'activities health workouts all'");
    expect(fish).toContain("-a '(garminsync completion --values job-ids 2>/dev/null)'");
    const zsh = (await run(['completion', 'zsh'], { home: fake.home })).stdout;
    expect(zsh).toMatch(/^#compdef garminsync/);
    expect(zsh).toContain("'sync start --type'|'sync start -t') COMPREPLY");
  });
});
