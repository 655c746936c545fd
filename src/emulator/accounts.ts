import { createAccountData, type AccountData, type AccountIdentity, type DatasetOptions } from './data/index.js';
import { createRandom, deriveSeed } from './random.js';

/** A Garmin account as the emulator's SSO sees it. */
export interface EmuAccount {
  identity: AccountIdentity;
  password: string;
  /** MFA by e-mail code. */
  mfa: boolean;
  /** SSO refuses the login with ACCOUNT_LOCKED. */
  locked: boolean;
  /** The e-mail as Garmin shows it in customerMfaInfo ("de*****@example.com"). */
  maskedEmail: string;
  data: AccountData;
}

export const DEMO_PASSWORD = 'demo-password';

const DEMO_ACCOUNTS = [
  { email: 'demo@example.com', fullName: 'Demo Runner', mfa: true, locked: false },
  { email: 'nomfa@example.com', fullName: 'Nomfa Cyclist', mfa: false, locked: false },
  { email: 'locked@example.com', fullName: 'Locked Walker', mfa: false, locked: true },
] as const;

function mask(email: string): string {
  const [local = '', host = ''] = email.split('@');
  return `${local.slice(0, 2)}*****@${host}`;
}

/**
 * The demo accounts. Each gets its own seeded dataset (seed derived from the emulator seed and
 * the e-mail), so adding accounts never changes another account's bytes.
 */
export class AccountRegistry {
  private readonly byEmailMap = new Map<string, EmuAccount>();
  private readonly byIdMap = new Map<string, EmuAccount>();

  constructor(seed: number, dataset: Omit<DatasetOptions, 'seed'>) {
    for (const spec of DEMO_ACCOUNTS) {
      const accountSeed = deriveSeed(seed, spec.email);
      const rnd = createRandom(accountSeed);
      const profileId = 80_000_000 + rnd.int(10_000_000);
      const identity: AccountIdentity = {
        accountId: String(profileId),
        email: spec.email,
        displayName: `${spec.email.split('@')[0]}_${rnd.digits(4)}`,
        fullName: spec.fullName,
        profileId,
        garminGUID: rnd.uuid(),
      };
      const account: EmuAccount = {
        identity,
        password: DEMO_PASSWORD,
        mfa: spec.mfa,
        locked: spec.locked,
        maskedEmail: mask(spec.email),
        data: createAccountData(identity, { ...dataset, seed: accountSeed }),
      };
      this.byEmailMap.set(spec.email, account);
      this.byIdMap.set(identity.accountId, account);
    }
  }

  /** Garmin treats the sign-in e-mail case-insensitively. */
  byEmail(email: string): EmuAccount | undefined {
    return this.byEmailMap.get(email.trim().toLowerCase());
  }

  byId(accountId: string): EmuAccount | undefined {
    return this.byIdMap.get(accountId);
  }

  list(): EmuAccount[] {
    return [...this.byEmailMap.values()];
  }
}
