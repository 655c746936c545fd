import { afterEach, beforeEach } from 'vitest';
import { SyncStore } from '../sync-store.js';
import type { TestDatabase, TestDialect } from './dialects.js';

/** The database and store of the running test; reading either outside a test is a bug in the test. */
export interface FreshStore {
  readonly t: TestDatabase;
  readonly store: SyncStore;
}

/**
 * A fresh, migrated, empty database and its SyncStore for every test of the enclosing describe,
 * destroyed after it: the set-up every store test shares, written once.
 */
export function freshStoreEach(open: TestDialect['open']): FreshStore {
  let current: { t: TestDatabase; store: SyncStore } | undefined;
  beforeEach(async () => {
    const t = await open();
    current = { t, store: new SyncStore(t.db) };
  });
  afterEach(async () => {
    await current?.t.close();
    current = undefined;
  });
  const now = (): { t: TestDatabase; store: SyncStore } => {
    if (!current) throw new Error('freshStoreEach: the database exists only while a test runs');
    return current;
  };
  return {
    get t() {
      return now().t;
    },
    get store() {
      return now().store;
    },
  };
}
