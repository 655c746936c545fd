import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, ensureBuilt, startStack, tempHome, type Stack } from './harness.js';
import { TmuxPane } from './tmux.js';

let stack: Stack;
let home: string;
const panes: TmuxPane[] = [];

beforeAll(async () => {
  await ensureBuilt();
  stack = await startStack({ activities: 40, days: 7, workouts: 3, latencyMs: 20 });
  home = await tempHome();
}, 120_000);
afterAll(async () => {
  for (const p of panes) await p.kill();
  await stack?.close();
});

/** The shell command for a pane: the binary with a clean environment; the pane stays to be read. */
function paneCommand(args: string): string {
  const env = `env -i PATH="${process.env.PATH}" HOME="${home}" XDG_CONFIG_HOME="${home}" GARMINSYNC_KEYRING=off GARMINSYNC_SERVER="${stack.url}" TERM=xterm-256color`;
  return `${env} "${process.execPath}" "${BIN}" ${args}; echo "EXIT=$?"; sleep 120`;
}

describe('on a real terminal (tmux)', () => {
  it(
    'interactive login masks the password, re-asks a wrong MFA code, and sync --wait draws the progress bar',
    { timeout: 120_000 },
    async () => {
      expect(await TmuxPane.available()).toBe(true);
      const socket = `garminsync-e2e-${process.pid}`;
      const login = await TmuxPane.start(socket, paneCommand('auth login'));
      panes.push(login);
      await login.waitFor(/Garmin e-mail/);
      await login.type('demo@example.com');
      await login.waitFor(/Garmin password/);
      await login.type('demo-password');
      const asked = await login.waitFor(/MFA code/);
      expect(asked).not.toContain('demo-password');
      expect(asked).toMatch(/Garmin password:?\s*\*{13}/); // masked, one star per character

      const code = stack.emu.lastMfaCode('demo@example.com')!;
      await login.type(code === '000000' ? '111111' : '000000');
      await login.waitFor(/not correct.*type it again/);
      await login.type(code);
      const done = await login.waitFor(/EXIT=\d+/);
      expect(done).toContain('EXIT=0');
      expect(done).toContain('Logged in as demo@example.com');
      expect(done).not.toContain('demo-password');
      await login.kill();

      const sync = await TmuxPane.start(`${socket}-sync`, paneCommand('sync start --type all --wait'));
      panes.push(sync);
      const synced = await sync.waitFor(/EXIT=\d+/, 60_000);
      expect(synced).toContain('EXIT=0');
      // The bar: the three types side by side, filled, at 100%.
      expect(synced).toMatch(/activities █+\s+100% 40\/40 │ health █+\s+100% \d+\/\d+ │ workouts █+\s+100% 3\/3/);
      expect(synced).toMatch(/Synced 40 activities, \d+ health days and 3 workouts in/);
      await sync.kill();
    },
  );

  it('Ctrl-C while a sync is followed detaches: exit 130, and the job goes on', async () => {
    stack.emu.setFaults({ latencyMs: 300 });
    try {
      const pane = await TmuxPane.start(`garminsync-e2e-${process.pid}-ctrlc`, paneCommand('sync start --type activities --full --wait'));
      panes.push(pane);
      await pane.waitFor(/activities [█░]+\s+\d+%/, 30_000);
      await pane.press('C-c');
      const screen = await pane.waitFor(/EXIT=\d+/);
      expect(screen).toContain('EXIT=130');
      const id = /garminsync sync watch ([0-9a-f-]{36})/.exec(screen)?.[1];
      expect(screen).toContain('Detached; the job goes on.');
      expect(id).toBeDefined();
      // The job was not cancelled by the detach: it is still running or has completed since.
      const status = await cliStatus(id!);
      expect(['pending', 'running', 'completed']).toContain(status); // pending: no worker claimed it yet on a busy machine
      await pane.kill();
    } finally {
      stack.emu.setFaults({ latencyMs: 20 });
    }
  });
});

async function cliStatus(jobId: string): Promise<string> {
  const r = await cli(['sync', 'status', jobId, '--json'], { home, server: stack.url });
  return (JSON.parse(r.stdout) as { status: string }).status;
}
