/**
 * An OS keyring holding one secret per service URL. Optional: the credential store falls back
 * to the 0600 file, visibly, when it is missing, slow or broken.
 */
export interface Keyring {
  /** Shown by `auth status`, e.g. "keyring (secret-tool)". */
  readonly name: string;
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  remove(account: string): Promise<void>;
}
