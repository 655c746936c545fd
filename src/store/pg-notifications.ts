import type pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { AppError, silentLogger, type Clock, type Logger } from '../core/index.js';
import { loadPg } from './dialect.js';
import type { Database } from './schema.js';

export interface PgNotificationsOptions {
  /** The PostgreSQL URL (the same database as the pool's). */
  url: string;
  /** The pool used to send (NOTIFY never waits for the listening connection). */
  db: Kysely<Database>;
  clock: Clock;
  logger?: Logger;
  /** Channel name (default `garminsync`); the current schema is appended unless it is `public`. */
  channel?: string;
  /** Reconnect back-off: first and longest wait in ms (default 100 and 5000). */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

type Listener = (payload: string) => void;

/**
 * PostgreSQL LISTEN/NOTIFY for one process: ONE dedicated connection that LISTENs (a pooled
 * connection cannot: it is handed to others between queries), sends through the pool with
 * `pg_notify`. When the listening connection is lost it reconnects with back-off and tells
 * `onReconnect` listeners, who must assume they missed messages (notifications are not queued for
 * a connection that is gone).
 *
 * The channel is scoped by the current schema so that deployments (or test runs) sharing one
 * database in different schemas never hear each other.
 */
export class PgNotifications {
  private client: pg.Client | null = null;
  private channel = '';
  private closed = false;
  private reconnecting: Promise<void> | null = null;
  private readonly stop = new AbortController();
  private readonly listeners = new Set<Listener>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly logger: Logger;

  constructor(private readonly o: PgNotificationsOptions) {
    this.logger = o.logger ?? silentLogger;
  }

  /**
   * Connects and starts listening. Fails fast (CONFIG_INVALID naming the database setting) when
   * the first connection cannot be made; later losses are healed in the background.
   */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (e) {
      throw new AppError(
        'CONFIG_INVALID',
        'database: cannot open the PostgreSQL notification connection (LISTEN).',
        { setting: 'database' },
        { cause: e },
      );
    }
  }

  /** The channel in use (after `start`). */
  get channelName(): string {
    return this.channel;
  }

  /** Calls `fn` with the payload of every notification on the channel (including our own). */
  onMessage(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Calls `fn` after the listening connection was re-established (messages may have been missed). */
  onReconnect(fn: () => void): () => void {
    this.reconnectListeners.add(fn);
    return () => this.reconnectListeners.delete(fn);
  }

  /** Sends `payload` (under 8000 bytes, PostgreSQL's limit) to every listener of the channel. */
  async send(payload: string): Promise<void> {
    await sql`select pg_notify(${this.channel}, ${payload})`.execute(this.o.db);
  }

  /** The backend pid of the listening connection (tests terminate it to simulate a loss). */
  async listenerPid(): Promise<number | undefined> {
    const r = await this.client?.query<{ pid: number }>('select pg_backend_pid() as pid');
    return r?.rows[0]?.pid;
  }

  /** Stops listening and closes the dedicated connection. */
  async close(): Promise<void> {
    this.closed = true;
    this.stop.abort();
    await this.reconnecting?.catch(() => {});
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    // keepAlive: a silently dropped TCP connection (NAT, failover) is noticed and healed.
    const client = new (await loadPg()).Client({ connectionString: this.o.url, keepAlive: true });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    await client.connect();
    try {
      if (!this.channel) {
        const { rows } = await client.query<{ schema: string | null }>('select current_schema() as schema');
        const base = this.o.channel ?? 'garminsync';
        const schema = rows[0]?.schema ?? 'public';
        this.channel = (schema === 'public' ? base : `${base}_${schema}`).slice(0, 63);
      }
      client.on('notification', (msg) => {
        if (msg.channel !== this.channel || msg.payload === undefined) return;
        for (const l of [...this.listeners]) safe(() => l(msg.payload!));
      });
      await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
    } catch (e) {
      await client.end().catch(() => {});
      throw e;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
  }

  private lost(client: pg.Client, err?: Error): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    this.logger.warn({ err }, 'PostgreSQL notification connection lost; reconnecting');
    client.end().catch(() => {});
    this.reconnecting ??= this.reconnect().finally(() => (this.reconnecting = null));
  }

  private async reconnect(): Promise<void> {
    let wait = this.o.reconnectMinMs ?? 100;
    const max = this.o.reconnectMaxMs ?? 5000;
    while (!this.closed) {
      try {
        await this.o.clock.sleep(wait, this.stop.signal);
      } catch {
        return; // closed
      }
      try {
        await this.connect();
        if (this.closed) return;
        this.logger.info({}, 'PostgreSQL notification connection re-established');
        for (const l of [...this.reconnectListeners]) safe(l);
        return;
      } catch (err) {
        this.logger.warn({ err, retry_ms: wait }, 'PostgreSQL notification reconnect failed');
        wait = Math.min(max, wait * 2);
      }
    }
  }
}

function safe(fn: () => void): void {
  try {
    fn();
  } catch {
    // One broken listener must not stop the others.
  }
}
