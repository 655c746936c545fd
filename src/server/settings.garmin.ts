import { DEFAULT_DI_CLIENT_IDS } from '../core/index.js';
import { int, list, refuse, type SettingSpec } from './setting.js';

/** A DI OAuth client id as Garmin spells them (GARMIN_CONNECT_MOBILE_ANDROID_DI_2025Q2). */
const clientId = (item: string, name: string): void => {
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(item)) refuse(name, `"${item}" is not a client id (letters, digits, _ . -).`);
};

/** The Garmin client's settings (part of SERVER_SETTINGS, in this order). */
export const GARMIN_CLIENT_SETTINGS = {
  garminRetries: {
    flag: '--garmin-retries',
    arg: 'N',
    env: ['GARMINSYNC_GARMIN_RETRIES'],
    default: '3', // garmin's DEFAULT_RETRY_POLICY (test/garmin/retry-budget.test.ts checks they agree)
    help: 'extra attempts of a Garmin GET after a 5xx, reset or timeout (jittered back-off)',
    note: 'the only retry layer; worst case per call in docs/garmin-client.md',
    parse: int(0, 10),
  },
  garminRateLimitRetries: {
    flag: '--garmin-rate-limit-retries',
    arg: 'N',
    env: ['GARMINSYNC_GARMIN_RATE_LIMIT_RETRIES'],
    default: '5', // garmin's DEFAULT_RETRY_POLICY
    help: 'extra attempts of a Garmin GET after a 429, each after pausing the account for its Retry-After',
    parse: int(0, 50),
  },
  garminDiClientIds: {
    flag: '--garmin-di-client-ids',
    arg: 'a,b',
    env: ['GARMINSYNC_GARMIN_DI_CLIENT_IDS'],
    default: DEFAULT_DI_CLIENT_IDS.join(','),
    help: 'DI OAuth client ids a login tries in this order until Garmin accepts one',
    note: 'Garmin retires ids about quarterly: put a new one first; a stored token keeps refreshing with the id it was issued for',
    parse: (raw: string, name: string): string[] => {
      const ids = list(clientId)(raw, name);
      if (ids.length === 0) refuse(name, 'give at least one client id.');
      return ids;
    },
  },
} as const satisfies Record<string, SettingSpec<unknown>>;
