// A throw-away PostgreSQL database for row 7, on the server named by GARMINSYNC_BENCH_PG_URL or
// GARMINSYNC_TEST_PG_URL (CI sets the latter). The database is created fresh and dropped after.
import pg from 'pg';

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** The server URL to use, or undefined when none is configured. */
export function pgServerUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.GARMINSYNC_BENCH_PG_URL || env.GARMINSYNC_TEST_PG_URL || undefined;
}

export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `garminsync_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
