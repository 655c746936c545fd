import type { Clock, Logger } from '../core/index.js';
import type { AccountRegistry } from './accounts.js';
import type { TokenRegistry } from './oauth/token-registry.js';
import type { EmuRandom } from './random.js';
import type { SsoSessions } from './sso/sessions.js';
import type { TicketStore } from './sso/tickets.js';
import type { EmulatorStats, FaultKnobs } from './types.js';

/** Settings fixed at start. */
export interface EmuConfig {
  /** The domain played: garmin.com in plain mode. */
  domain: string;
  tls: boolean;
  consumerKey: string;
  consumerSecret: string;
  diClientIds: readonly string[];
  legacyWidget: boolean;
}

/**
 * The emulator's shared state, passed to every route family. The Connect routes may read
 * `faults` (e.g. corruptFitIds) from here; the server also applies FIT corruption itself.
 */
export interface EmuState {
  config: EmuConfig;
  clock: Clock;
  logger: Logger;
  random: EmuRandom;
  accounts: AccountRegistry;
  tickets: TicketStore;
  sessions: SsoSessions;
  tokens: TokenRegistry;
  /** The current fault knobs (replaced as a whole on every change). */
  faults: FaultKnobs;
  stats: EmulatorStats;
}

export function emptyStats(): EmulatorStats {
  return { total: 0, byEndpoint: {}, byStatus: {}, violations: [], logins: 0, diTokens: {} };
}

/** The OAuth1 consumer garth fetches from S3 plays this role; these are the emulator's defaults. */
export const DEFAULT_CONSUMER = {
  key: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  secret: 'emulator-consumer-secret',
} as const;

/**
 * DI OAuth2 client ids accepted by default. Garmin rotates them about quarterly; the 2024Q4 id
 * is treated as retired so that a client's fall-through over its list is exercised.
 */
export const DEFAULT_DI_CLIENT_IDS = [
  'GARMIN_CONNECT_MOBILE_ANDROID_DI_2025Q2',
  'GARMIN_CONNECT_MOBILE_ANDROID_DI',
  'GARMIN_CONNECT_MOBILE_IOS_DI',
] as const;

/** The DI grant type is an identifier, always the .com URL (garmin-protocol.md §1). */
export const DI_SERVICE_TICKET_GRANT = 'https://connectapi.garmin.com/di-oauth2-service/oauth/grant/service_ticket';
