import type { Kysely } from 'kysely';
import type { Clock, Logger, Random } from '../core/index.js';
import { createAuthRepositories, type AuthRepositories, type AuthTables } from '../store/index.js';
import { AccessTokens } from './access-token.js';
import { AuthService } from './auth.service.js';
import { AuthGarminGateway, type ConnectFactoryArgs } from './garmin-gateway.js';
import { GarminTokenVault } from './garmin-token-vault.js';
import type { GarminConnectPort, GarminLoginPort } from './garmin.port.js';
import { DEFAULT_LOGIN_LIMITS, LoginLimits, type LoginLimitSettings } from './login-limits.js';
import { SecretBox } from './secret-box.js';
import type { SessionLifetime } from './session-lifetime.js';

export interface CreateAuthOptions<DB extends AuthTables = AuthTables> {
  db: Kysely<DB>;
  garmin: GarminLoginPort;
  createConnect: (args: ConnectFactoryArgs) => GarminConnectPort;
  /** 256-bit HS256 key for our access tokens. */
  jwtKey: Buffer;
  /** 256-bit AES-GCM key for Garmin tokens and MFA state at rest. */
  encryptionKey: Buffer;
  clock: Clock;
  random: Random;
  logger: Logger;
  allowedUsers: ReadonlySet<string> | null;
  issuer?: string;
  audience?: string;
  accessTtlSeconds?: number;
  limits?: Partial<LoginLimitSettings>;
  /** Session idle window, maximum lifetime and refresh grace window. */
  lifetime?: Partial<SessionLifetime>;
}

export interface AuthModule {
  service: AuthService;
  gateway: AuthGarminGateway;
  vault: GarminTokenVault;
  repos: AuthRepositories;
}

export const JWT_ISSUER = 'garminsync';
export const JWT_AUDIENCE = 'garminsync-api';

/** Wires the auth room over one database handle. */
export function createAuth<DB extends AuthTables = AuthTables>(o: CreateAuthOptions<DB>): AuthModule {
  const repos = createAuthRepositories(o.db);
  const box = new SecretBox(o.encryptionKey, o.random);
  const vault = new GarminTokenVault(repos.garminAccounts, box, o.clock);
  const accessTokens = new AccessTokens({
    key: o.jwtKey,
    clock: o.clock,
    issuer: o.issuer ?? JWT_ISSUER,
    audience: o.audience ?? JWT_AUDIENCE,
    ttlSeconds: o.accessTtlSeconds ?? 15 * 60,
  });
  const limits = new LoginLimits(repos.limits, o.clock, { ...DEFAULT_LOGIN_LIMITS, ...o.limits });
  const service = new AuthService({
    repos,
    garmin: o.garmin,
    accessTokens,
    box,
    vault,
    limits,
    clock: o.clock,
    random: o.random,
    logger: o.logger,
    allowedUsers: o.allowedUsers,
    ...(o.lifetime ? { lifetime: o.lifetime } : {}),
  });
  const gateway = new AuthGarminGateway({ vault, accounts: repos.garminAccounts, createConnect: o.createConnect, logger: o.logger });
  return { service, gateway, vault, repos };
}
