/**
 * Leadership for periodic work (SLO evaluation, bucket pruning, and any later loop) when several API processes share
 * one server Postgres: the process holding a session-level advisory lock on a connection of its own is the leader.
 * Postgres releases the lock when that session ends (process stopped, killed, or its connection cut), so another
 * process takes over at its next attempt without any lease bookkeeping. A leader that loses its connection steps down
 * at once and reconnects. PGlite is one process by construction (data-dir lock), so it is always the leader.
 */
import pg from 'pg';

export interface Leader {
  /** Whether this process leads, as last known (cheap; for metrics and readiness). */
  readonly leading: boolean;
  /** Confirms leadership before a periodic pass: true only if the lock's session still answers now. */
  confirm(): Promise<boolean>;
  stop(): Promise<void>;
}

/** The embedded database's leader: its process is the only one. */
export const soleLeader: Leader = {
  leading: true,
  confirm: () => Promise.resolve(true),
  stop: () => Promise.resolve(),
};

/** Advisory lock key (two int4s: 'STOR', 2); migrate.ts uses a transaction-level lock of its own key. */
const LOCK = [0x53544f52, 2] as const;

export interface AdvisoryLeaderOptions {
  url: string;
  /** How often a follower tries to take the lock, and a leader checks its session (default 2 s). */
  retryMs?: number;
  onChange?: (leading: boolean) => void;
  onError?: (err: unknown) => void;
}

export class AdvisoryLeader implements Leader {
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private busy: Promise<void> = Promise.resolve();
  private isLeading = false;

  constructor(private readonly opts: AdvisoryLeaderOptions) {}

  get leading(): boolean {
    return this.isLeading;
  }

  /** Tries once at once, then every retryMs (the timer never keeps the process alive). */
  start(): this {
    void this.attempt();
    this.timer = setInterval(() => void this.attempt(), this.opts.retryMs ?? 2000);
    this.timer.unref();
    return this;
  }

  /** One step, never overlapping another: connect if needed, then take the lock (follower) or check it (leader). */
  attempt(): Promise<void> {
    this.busy = this.busy.then(() => this.step()).catch((err: unknown) => this.lost(err));
    return this.busy;
  }

  async confirm(): Promise<boolean> {
    await this.attempt();
    return this.isLeading;
  }

  private async step(): Promise<void> {
    if (this.stopped) return;
    const client = this.client ?? (await this.connect());
    if (this.isLeading) {
      await client.query('select 1'); // the session lives, so the lock is still ours
      return;
    }
    const r = await client.query<{ got: boolean }>('select pg_try_advisory_lock($1, $2) as got', [...LOCK]);
    if (r.rows[0]?.got) this.set(true);
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.opts.url, application_name: 'stormops-leader' });
    // A dropped session surfaces here between steps; the lock went with it.
    // Only the current client's loss counts: a client already given up may still report its end late.
    client.on('error', (err) => {
      if (this.client === client) this.lost(err);
    });
    client.on('end', () => {
      if (this.client === client) this.lost(new Error('leader connection ended'));
    });
    await client.connect();
    this.client = client;
    return client;
  }

  private lost(err: unknown): void {
    const client = this.client;
    this.client = undefined;
    if (this.isLeading) this.set(false);
    if (client) void client.end().catch(() => {});
    if (!this.stopped) this.opts.onError?.(err);
  }

  private set(leading: boolean): void {
    this.isLeading = leading;
    this.opts.onChange?.(leading);
  }

  /** Steps down (closing the session releases the lock at once, so a follower can take over). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.busy;
    const client = this.client;
    this.client = undefined;
    if (this.isLeading) this.set(false);
    await client?.end().catch(() => {});
  }
}
