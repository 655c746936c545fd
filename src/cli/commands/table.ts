import type { CommandModule } from './types.js';

/** One verb of a noun: its summary for help listings and how to load it (lazily). */
export interface VerbEntry {
  name: string;
  summary: string;
  load: () => Promise<CommandModule>;
}

export interface NounEntry {
  name: string;
  summary: string;
  verbs: VerbEntry[];
}

/**
 * The command table (style.md: changesets' lazily loaded commands). Only the module of the verb
 * being run is imported, so start-up stays fast and `--version` never gets here at all.
 */
export const COMMAND_TABLE: readonly NounEntry[] = [
  {
    name: 'auth',
    summary: 'Log in to the sync service with your Garmin account (with MFA) and manage the session',
    verbs: [
      { name: 'login', summary: 'Log in with your Garmin e-mail and password (and MFA code)', load: () => import('./auth/login.js') },
      { name: 'mfa', summary: 'Finish a login that needs an MFA code', load: () => import('./auth/mfa.js') },
      {
        name: 'status',
        summary: 'Show the session, where credentials are stored and when tokens expire',
        load: () => import('./auth/status.js'),
      },
      { name: 'logout', summary: 'Revoke the session and delete the stored credentials', load: () => import('./auth/logout.js') },
      { name: 'refresh', summary: 'Refresh the access token now', load: () => import('./auth/refresh.js') },
      { name: 'token', summary: 'Print a valid access token (for scripts)', load: () => import('./auth/token.js') },
      {
        name: 'import',
        summary: 'Send a saved Garmin token file to the service (login escape hatch)',
        load: () => import('./auth/import.js'),
      },
    ],
  },
  {
    name: 'sync',
    summary: 'Start, follow and steer sync jobs',
    verbs: [
      { name: 'start', summary: 'Start syncing activities, health, workouts or all', load: () => import('./sync/start.js') },
      { name: 'status', summary: 'Show one job, or the latest job of each type', load: () => import('./sync/status.js') },
      { name: 'list', summary: 'List sync jobs, newest first', load: () => import('./sync/list.js') },
      { name: 'watch', summary: 'Follow a job until it ends (Ctrl-C detaches)', load: () => import('./sync/watch.js') },
      { name: 'cancel', summary: 'Cancel a pending or running job', load: () => import('./sync/cancel.js') },
      { name: 'retry', summary: 'Start a failed or cancelled job again', load: () => import('./sync/retry.js') },
      { name: 'schedule', summary: 'Let the service sync on a schedule (set, show, clear)', load: () => import('./sync/schedule.js') },
    ],
  },
  {
    name: 'activities',
    summary: 'Browse and download what was synced',
    verbs: [
      { name: 'list', summary: 'List synced activities, newest first', load: () => import('./activities/list.js') },
      { name: 'show', summary: 'Show one activity', load: () => import('./activities/show.js') },
      {
        name: 'download',
        summary: "Download one activity's original FIT file (export DIR mirrors them all)",
        load: () => import('./activities/download.js'),
      },
    ],
  },
  {
    name: 'health',
    summary: 'Browse synced health days (steps, sleep, HRV, stress, body battery, weight, …)',
    verbs: [
      {
        name: 'list',
        summary: 'One row per synced day: steps, resting HR, sleep, HRV, stress, body battery, weight',
        load: () => import('./health/list.js'),
      },
      { name: 'show', summary: 'Every health family stored for one day (or one, with its data)', load: () => import('./health/show.js') },
    ],
  },
  {
    name: 'workouts',
    summary: 'Browse and download synced workout definitions',
    verbs: [
      { name: 'list', summary: 'List synced workouts by name', load: () => import('./workouts/list.js') },
      { name: 'show', summary: 'Show one workout', load: () => import('./workouts/show.js') },
      { name: 'download', summary: "Download a workout's FIT file", load: () => import('./workouts/download.js') },
    ],
  },
  {
    name: 'import',
    summary: 'Import Garmin\'s own data export (the "Export Your Data" archive)',
    verbs: [
      { name: 'archive', summary: 'Upload an account-export ZIP and import its history', load: () => import('./sync/import-archive.js') },
    ],
  },
  {
    name: 'config',
    summary: 'Read and change settings',
    verbs: [
      { name: 'get', summary: 'Show one setting or all of them', load: () => import('./config/get.js') },
      { name: 'set', summary: 'Change a setting', load: () => import('./config/set.js') },
    ],
  },
];

/** Commands with no verbs. `server` and `emulator` run other entry points, launched via bin/. */
export const LEAF_COMMANDS = {
  export: {
    summary: 'Mirror everything synced into a folder: FIT, GPX, CSV, JSON (incremental)',
    load: () => import('./export/export.js'),
  },
  coverage: {
    summary: 'Which health days are present, empty, missing, failed or partial (calendar on a terminal)',
    load: () => import('./coverage/coverage.js'),
  },
  completion: { summary: 'Print a shell completion script (bash, zsh or fish)', load: () => import('./completion/completion.js') },
} as const;

export const LAUNCHED_COMMANDS = {
  server: 'Run the sync service (HTTP API and workers); see `garminsync server --help`',
  emulator: 'Run the Garmin Connect emulator for demos and tests; see `garminsync emulator --help`',
} as const;
