import { Command, InvalidArgumentError, Option } from 'commander';
import type { EmulatorOptions, FaultKnobs } from './types.js';

export interface ParsedEmulatorCommand {
  options: EmulatorOptions;
  faults: Partial<FaultKnobs>;
  json: boolean;
  verbose: boolean;
}

function int(name: string, min = 0) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}.`);
    return n;
  };
}

function prob(v: string): number {
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('must be a probability from 0 to 1.');
  return n;
}

const EXAMPLES = `
Examples:
  $ garminsync emulator                          # http://127.0.0.1:9797, every Garmin host on one origin
  $ garminsync emulator --port 0 --json          # random port; one JSON document on stdout
  $ garminsync emulator --seed 7 --activities 2000 --days 365
  $ garminsync emulator --latency-ms 150 --rate-limit 20 --fault-5xx 0.05 --fault-reset 0.01
  $ garminsync emulator --tls --domain garmin.test --port 8443
      # HTTPS for sso.garmin.test, connectapi.garmin.test, diauth.garmin.test (resolve them to 127.0.0.1
      # and trust the printed CA file), so off-the-shelf Garmin clients work unmodified

Control API (not part of Garmin): GET /__emulator/mfa-code?username=U, GET /__emulator/stats,
GET|POST /__emulator/faults, POST /__emulator/activities {"username","count"}. See docs/emulator.md.`;

/**
 * The `garminsync emulator` command line (commander). Returns the parsed options, or throws
 * commander's errors (with exitOverride) for the caller to map to exit code 2 / help output.
 */
export function parseEmulatorCommand(argv: string[], write: { out: (s: string) => void; err: (s: string) => void }): ParsedEmulatorCommand {
  const program = new Command('garminsync emulator')
    .description('Run a Garmin Connect emulator (SSO, OAuth, DI tokens, Connect API) with seeded data and fault knobs.')
    .exitOverride()
    .configureOutput({ writeOut: write.out, writeErr: write.err })
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 = random)', int('port'), 9797)
    .option('--seed <n>', 'seed of all generated data', int('seed'), 1)
    .option('--activities <n>', 'activities per account at start', int('activities'), 300)
    .option('--days <n>', 'days of daily health data', int('days', 1), 90)
    .option('--workouts <n>', 'workouts per account', int('workouts'), 12)
    .option('--end-date <YYYY-MM-DD>', 'last day with data (default: today, UTC)')
    .option('--latency-ms <n>', 'delay before every Garmin answer', int('latency-ms'), 0)
    .option('--rate-limit <rps>', 'requests per second before answering 429', int('rate-limit', 1))
    .addOption(
      new Option('--rate-limit-style <style>', 'body of 429 answers').choices(['json', 'cloudflare-html', 'plain']).default('json'),
    )
    .option('--retry-after <sec>', 'Retry-After of 429 answers', int('retry-after'), 1)
    .option('--fault-5xx <p>', 'probability of a 5xx answer', prob, 0)
    .option('--fault-reset <p>', 'probability of a reset connection', prob, 0)
    .option('--fault-truncate <p>', 'probability of a truncated body', prob, 0)
    .option('--token-lifetime <sec>', 'lifetime of access tokens', int('token-lifetime', 1), 86_400)
    .option('--tls', 'serve HTTPS with a generated CA and route by Host', false)
    .option('--domain <domain>', 'domain played in TLS mode', 'garmin.com')
    .option('--consumer-key <key>', 'OAuth1 consumer key (default: see docs/emulator.md)')
    .option('--consumer-secret <secret>', 'OAuth1 consumer secret')
    .option('--no-legacy-widget', 'turn off generation A (HTML widget SSO)')
    .option('--json', 'print one JSON document describing the emulator on stdout', false)
    .option('--verbose', 'log every request to stderr', false)
    .addHelpText('after', EXAMPLES);
  program.parse(argv, { from: 'user' });
  const o = program.opts<{
    host: string;
    port: number;
    seed: number;
    activities: number;
    days: number;
    workouts: number;
    endDate?: string;
    latencyMs: number;
    rateLimit?: number;
    rateLimitStyle: FaultKnobs['rateLimitStyle'];
    retryAfter: number;
    fault5xx: number;
    faultReset: number;
    faultTruncate: number;
    tokenLifetime: number;
    tls: boolean;
    domain: string;
    consumerKey?: string;
    consumerSecret?: string;
    legacyWidget: boolean;
    json: boolean;
    verbose: boolean;
  }>();
  const options: EmulatorOptions = {
    host: o.host,
    port: o.port,
    seed: o.seed,
    activities: o.activities,
    days: o.days,
    workouts: o.workouts,
    latencyMs: o.latencyMs,
    fault5xx: o.fault5xx,
    faultReset: o.faultReset,
    tokenLifetimeSec: o.tokenLifetime,
    tls: o.tls,
    domain: o.domain,
    legacyWidget: o.legacyWidget,
    ...(o.endDate !== undefined ? { endDate: o.endDate } : {}),
    ...(o.rateLimit !== undefined ? { rateLimitRps: o.rateLimit } : {}),
    ...(o.consumerKey !== undefined ? { consumerKey: o.consumerKey } : {}),
    ...(o.consumerSecret !== undefined ? { consumerSecret: o.consumerSecret } : {}),
  };
  return {
    options,
    faults: { rateLimitStyle: o.rateLimitStyle, retryAfterSec: o.retryAfter, faultTruncate: o.faultTruncate },
    json: o.json,
    verbose: o.verbose,
  };
}
