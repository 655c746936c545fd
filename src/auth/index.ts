/**
 * The auth room (design.md §2, §4): users, sessions, the service's own tokens, MFA challenges,
 * encryption of Garmin tokens at rest, login limits, and the Garmin gateway used by sync.
 */
export * from './access-token.js';
export * from './auth.service.js';
export * from './bearer-auth.js';
export type * from './auth.types.js';
export * from './create-auth.js';
export * from './garmin-gateway.js';
export * from './garmin-token-vault.js';
export * from './garmin.port.js';
export * from './key-file.js';
export * from './key-fingerprints.js';
export * from './login-limits.js';
export * from './refresh-token.js';
export * from './secret-box.js';
export * from './token-issuer.js';
export * from './verified-token-cache.js';
