import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, ensureBuilt, loginWithMfa, startStack, tempHome, type Stack } from './harness.js';
import { TmuxPane } from './tmux.js';
import { apiCall } from '../support/api-call.js';

/**
 * Issue 18 on a real terminal: tables fitted to the pane's width (and whole, tab-separated values
 * when stdout is piped), Ctrl-C at the MFA prompt, and the summaries of what a job did.
 */
let stack: Stack;
let home: string;
const panes: TmuxPane[] = [];
const socket = (name: string) => `garminsync-e2e-${process.pid}-${name}`;

beforeAll(async () => {
  await ensureBuilt();
  stack = await startStack({ activities: 30, days: 3, workouts: 2, latencyMs: 5 });
  home = await tempHome();
}, 120_000);
afterAll(async () => {
  for (const p of panes) await p.kill();
  await stack?.close();
});

/** The binary in a pane with a clean environment; `args` is a shell fragment (redirections allowed). */
function paneCommand(args: string, env = ''): string {
  const base = `env -i PATH="${process.env.PATH}" HOME="${home}" XDG_CONFIG_HOME="${home}" GARMINSYNC_KEYRING=off GARMINSYNC_SERVER="${stack.url}" TERM=xterm-256color ${env}`;
  return `${base} "${process.execPath}" "${BIN}" ${args}; echo "EXIT=$?"; sleep 120`;
}

async function inPane(name: string, args: string, opts: { columns?: number; env?: string; timeoutMs?: number } = {}): Promise<string> {
  const pane = await TmuxPane.start(socket(name), paneCommand(args, opts.env), { columns: opts.columns ?? 160, rows: 50 });
  panes.push(pane);
  const screen = await pane.waitFor(/EXIT=\d+/, opts.timeoutMs ?? 60_000);
  await pane.kill();
  return screen;
}

/** The lines the command wrote (capture-pane -J joins wrapped lines, so a line wider than the pane shows as such). */
const outputLines = (screen: string) =>
  screen
    .slice(0, screen.indexOf('EXIT='))
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean);

describe('on a real terminal (tmux), issue 18', () => {
  it(
    'tables fit the terminal width with short job ids; piped, rows are tab-separated, whole and without a header (18.7)',
    {
      timeout: 180_000,
    },
    async () => {
      await loginWithMfa(stack, home);
      const synced = await cli(['sync', 'start', '--type', 'all', '--wait'], { home, server: stack.url, timeoutMs: 90_000 });
      expect(synced.code).toBe(0);
      const jobs = (
        JSON.parse((await cli(['sync', 'list', '--json'], { home, server: stack.url })).stdout) as { items: { job_id: string }[] }
      ).items;
      const activities = (
        JSON.parse((await cli(['activities', 'list', '--limit', '100', '--json'], { home, server: stack.url })).stdout) as {
          items: { activity_id: string; name: string | null }[];
        }
      ).items;
      expect(jobs).toHaveLength(3);
      expect(activities).toHaveLength(30);
      const longest = Math.max(...activities.map((a) => (a.name ?? '').length));

      for (const columns of [80, 120]) {
        const list = outputLines(await inPane(`acts-${columns}`, 'activities list --limit 100', { columns }));
        expect(list[0]).toMatch(/^ID\s+/);
        const rows = list.filter((l) => /^\d{6,}\s/.test(l));
        expect(rows).toHaveLength(30);
        for (const l of list) expect(l.length, l).toBeLessThanOrEqual(columns);
        // Names are cut with … only where the pane is too narrow for the longest one.
        if (columns === 80) expect(rows.some((l) => l.endsWith('…'))).toBe(true);
        if (columns === 120 && longest < 40) expect(rows.some((l) => l.endsWith('…'))).toBe(false);

        const sync = outputLines(await inPane(`jobs-${columns}`, 'sync list', { columns }));
        expect(sync[0]).toMatch(/^JOB\s+TYPE\s+STATUS/);
        for (const l of sync) expect(l.length, l).toBeLessThanOrEqual(columns);
        const shown = sync.slice(1, 4).map((l) => l.split(/\s+/)[0]!);
        // Short unique prefixes, never the 36-character UUID, each one a prefix of a real job id…
        for (const id of shown) {
          expect(id.length).toBeGreaterThanOrEqual(8);
          expect(id.length).toBeLessThan(36);
          expect(jobs.filter((j) => j.job_id.startsWith(id))).toHaveLength(1);
        }
        // …which the commands taking a job id accept back.
        const status = await cli(['sync', 'status', shown[0]!, '--json'], { home, server: stack.url });
        expect((JSON.parse(status.stdout) as { job_id: string }).job_id.startsWith(shown[0]!)).toBe(true);
      }

      // stdout piped (stderr still the terminal): tab-separated, no header, whole ids and names, ISO times.
      const file = join(home, 'piped.tsv');
      // Each pane's env only reaches its one command: two panes, appending to one file.
      for (const args of ['sync list', 'activities list --limit 100']) {
        const piped = await inPane(`piped-${args.split(' ')[0]}`, `${args} >> "${file}"`, { columns: 80 });
        expect(piped).toContain('EXIT=0');
      }
      const tsv = (await readFile(file, 'utf8')).trimEnd().split('\n');
      expect(tsv).toHaveLength(3 + 30);
      expect(tsv.some((l) => /^(JOB|ID)\t/.test(l))).toBe(false);
      const jobRows = tsv.slice(0, 3).map((l) => l.split('\t'));
      expect(jobRows.map((r) => r[0]).sort()).toEqual(jobs.map((j) => j.job_id).sort());
      for (const r of jobRows) expect(r[5]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      const actRows = tsv.slice(3).map((l) => l.split('\t'));
      expect(actRows.map((r) => r[0])).toEqual(activities.map((a) => a.activity_id));
      for (const [i, r] of actRows.entries()) expect(r).toContain(activities[i]!.name ?? '-');
      expect(Math.max(...tsv.map((l) => l.length))).toBeGreaterThan(80); // wider than the pane: nothing was cut
      expect(tsv.join('\n')).not.toContain('…');
    },
  );

  it('times are local (TZ) in one format by default and UTC with --utc', { timeout: 60_000 }, async () => {
    const jobs = (
      JSON.parse((await cli(['sync', 'list', '--json'], { home, server: stack.url })).stdout) as {
        items: { job_id: string; start_time: string }[];
      }
    ).items;
    const job = jobs[0]!;
    const utc = new Date(job.start_time);
    const kolkata = new Date(utc.getTime() + 5.5 * 3_600_000); // Asia/Kolkata: UTC+05:30, no daylight saving
    const fmt = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');
    const local = await inPane('tz', `sync status ${job.job_id}`, { env: 'TZ=Asia/Kolkata' });
    expect(local).toMatch(new RegExp(`^Started:\\s+${fmt(kolkata)} \\(`, 'm'));
    const inUtc = await inPane('utc', `--utc sync status ${job.job_id}`, { env: 'TZ=Asia/Kolkata' });
    expect(inUtc).toMatch(new RegExp(`^Started:\\s+${fmt(utc)} UTC \\(`, 'm'));
    // The list uses the same format.
    const list = await inPane('tz-list', 'sync list', { env: 'TZ=Asia/Kolkata' });
    expect(list).toMatch(new RegExp(`\\s${fmt(new Date(new Date(jobs[0]!.start_time).getTime() + 5.5 * 3_600_000))} \\(`));
  });

  it(
    'Ctrl-C at the MFA prompt prints the challenge id and the command that finishes the login (18.11); that command works',
    {
      timeout: 90_000,
    },
    async () => {
      const mfaHome = await tempHome();
      const env = `env -i PATH="${process.env.PATH}" HOME="${mfaHome}" XDG_CONFIG_HOME="${mfaHome}" GARMINSYNC_KEYRING=off GARMINSYNC_SERVER="${stack.url}" TERM=xterm-256color`;
      const pane = await TmuxPane.start(socket('mfa'), `${env} "${process.execPath}" "${BIN}" auth login; echo "EXIT=$?"; sleep 120`);
      panes.push(pane);
      await pane.waitFor(/Garmin e-mail/);
      await pane.type('demo@example.com');
      await pane.waitFor(/Garmin password/);
      await pane.type('demo-password');
      await pane.waitFor(/MFA code/);
      await pane.press('C-c');
      const screen = await pane.waitFor(/EXIT=\d+/);
      await pane.kill();
      expect(screen).toContain('EXIT=130');
      expect(screen).not.toContain('demo-password');
      const resume = /^ {2}(garminsync auth mfa --challenge (\S+) --code <code>.*)$/m.exec(screen);
      expect(resume, screen).not.toBeNull();
      expect(screen).toContain(`The challenge ${resume![2]} stays open until`);
      // The printed command, with the code Garmin sent, finishes the login.
      const args = resume![1]!.replace('<code>', stack.emu.lastMfaCode('demo@example.com')!).split(' ').slice(1);
      const done = await cli(args, { home: mfaHome, server: stack.url });
      expect(done.stderr).toContain('Logged in as demo@example.com');
      expect(done.code).toBe(0);
    },
  );

  it(
    'a sync with failed items exits 9 and says what this job did; watching it days later adds resumed items and "ended 3 days ago" (18.4)',
    {
      timeout: 120_000,
    },
    async () => {
      const ids = stack.emu.addActivities('demo@example.com', 4);
      stack.emu.setFaults({ corruptFitIds: [ids[0]!, ids[1]!] });
      let screen: string;
      try {
        screen = await inPane('failed', 'sync start --type activities --wait');
      } finally {
        stack.emu.setFaults({ corruptFitIds: [] });
      }
      expect(screen).toContain('EXIT=9');
      const summary =
        /^Synced 2 activities \(2 failed\) in \d+ s\. Next: garminsync sync status (\S+) \(which failed\), garminsync sync retry --failed (\S+)$/m.exec(
          screen,
        );
      expect(summary, screen).not.toBeNull();
      const id = summary![1]!;
      expect(summary![2]).toBe(id);

      // The same job as its row would be after a worker died mid-way and it ended three days ago:
      // 1 of its items written by the earlier attempt, 1 by this one, 2 failed.
      const now = Date.now();
      await stack.service.db
        .updateTable('sync_jobs')
        .set({ resumed_items: 1, start_time: now - 3 * 86_400_000 - 65_000, end_time: now - 3 * 86_400_000 })
        .where('job_id', '=', id)
        .execute();
      const watched = await inPane('watch-old', `sync watch ${id.slice(0, 8)}`);
      expect(watched).toContain('EXIT=9');
      expect(watched).toMatch(/^Synced 1 activity \(1 resumed from an earlier attempt, 2 failed\) in 1:05, ended 3 days ago\. Next: /m);

      const retry = await inPane('retry', `sync retry --failed ${id.slice(0, 8)} --wait`);
      expect(retry).toContain('EXIT=0');
      expect(retry).toMatch(/^Synced 2 activities in \d+ s\. Next: garminsync activities list$/m);
    },
  );

  it(
    '`garminsync server` in the foreground: readable log lines on the terminal, JSON with --log-format json or into a file; secrets redacted in both (18.10)',
    {
      timeout: 120_000,
    },
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'garminsync-e2e-logs-'));
      try {
        const server = (name: string, args: string) =>
          TmuxPane.start(
            socket(name),
            `env -i PATH="${process.env.PATH}" HOME="${home}" TERM=xterm-256color NO_COLOR=1 "${process.execPath}" "${BIN}" server --port 0 --data-dir "${dataDir}/${name}" --garmin-url "${stack.emu.url}" --log-level trace ${args}; echo "EXIT=$?"; sleep 120`,
          );
        /** Starts a server in a pane, logs in with a password and uses the tokens, stops it with Ctrl-C; returns the screen. */
        const journey = async (name: string, args: string) => {
          const pane = await server(name, args);
          panes.push(pane);
          const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(await pane.waitFor(/listening on http/, 30_000))![1]!;
          const login = await apiCall(url, 'POST', '/auth/login', { body: { username: 'nomfa@example.com', password: 'demo-password' } });
          expect(login.status).toBe(200);
          const tokens = login.body as { access_token: string; refresh_token: string };
          expect((await apiCall(url, 'GET', '/auth/session', { token: tokens.access_token })).status).toBe(200);
          expect((await apiCall(url, 'POST', '/auth/refresh', { body: { refresh_token: tokens.refresh_token } })).status).toBe(200);
          await pane.press('C-c');
          const screen = await pane.waitFor(/EXIT=\d+/, 30_000);
          await pane.kill();
          expect(screen).toContain('EXIT=0');
          return { screen, secrets: ['demo-password', tokens.access_token, tokens.refresh_token] };
        };
        const clean = (text: string, secrets: string[]) => {
          for (const secret of secrets) expect(text).not.toContain(secret);
        };

        // Four servers, each on its own data dir, pane and port, started side by side: most of a
        // journey is a process starting and stopping.
        const file = join(dataDir, 'server.log');
        const prettyFile = join(dataDir, 'server-pretty.log');
        const [tty, json, piped, pretty] = await Promise.all([
          journey('srv-tty', ''),
          journey('srv-json', '--log-format json'),
          journey('srv-file', `2> "${file}"`),
          journey('srv-pretty', `--log-format pretty 2> "${prettyFile}"`),
        ]);

        // On the terminal: readable lines, not JSON.
        expect(tty.screen).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] INFO: started \{"url":"http:\/\/127\.0\.0\.1:\d+"/m);
        expect(tty.screen).toMatch(/\[[^\]]+\] INFO: shutting down \{"signal":"SIGINT"\}$/m);
        expect(tty.screen).not.toMatch(/^\{"level"/m);
        clean(tty.screen, tty.secrets);

        // --log-format json on the terminal: JSON lines.
        expect(json.screen).toMatch(/^\{"level":30,"time":\d+,"pid":\d+,.*"msg":"started"\}$/m);
        expect(json.screen).not.toMatch(/\] INFO: /);
        clean(json.screen, json.secrets);

        // stderr into a file (no terminal): JSON, every line of the whole run, secrets redacted.
        const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
        const parsed = lines.map((l) => JSON.parse(l) as { msg: string });
        expect(parsed.map((l) => l.msg)).toEqual(expect.arrayContaining(['started', 'shutting down', 'request completed']));
        clean(lines.join('\n'), piped.secrets);
        // The same run with readable lines forced into a file: also complete, also redacted.
        const text = await readFile(prettyFile, 'utf8');
        expect(text).toMatch(/\] INFO: request completed /);
        expect(text).not.toContain('\u001b[');
        clean(text, pretty.secrets);
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  );
});
