/** Tables of migration 012_key_fingerprints (issue 12.12). */

/** One key's fingerprint: an HMAC of a fixed string under the key, never the key itself. */
export interface KeyFingerprintsTable {
  /** The setting that gives the key: GARMINSYNC_ENCRYPTION_KEY or GARMINSYNC_JWT_KEY. */
  name: string;
  /** Hex HMAC-SHA256 (see auth/key-fingerprints.ts). */
  fingerprint: string;
  /** Epoch ms of the first start that recorded it. */
  created_at: number;
}

export interface KeyFingerprintTables {
  key_fingerprints: KeyFingerprintsTable;
}
