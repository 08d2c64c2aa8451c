/**
 * The bounded queue between device ingestion (HTTP, MQTT, TCP) and the readings' effects. Ingestion
 * only decodes and enqueues, so a burst of reads never holds up the API; one worker drains the
 * queue in batches. When the queue is full, `offer` refuses the whole payload (the HTTP endpoint
 * answers 503 with Retry-After, MQTT stops reading from the broker) instead of dropping readings it
 * already accepted. `close` stops taking new payloads and waits until every accepted reading is
 * processed.
 */
import type { DeviceInfo, DeviceReading, DeviceTransport } from '@quartermaster/sdk';

export interface QueuedReading {
  device: DeviceInfo;
  reading: DeviceReading;
  transport: DeviceTransport;
  receivedAt: string;
}

export interface QueueStats {
  capacity: number;
  depth: number;
  accepted: number;
  processed: number;
  failed: number;
  /** Payloads refused because the queue was full. */
  refusedFull: number;
  /** Readings their adapter's filter dropped at ingestion (duplicates, weak reads): counted, never stored. */
  filtered: number;
  /** Readings per second processed over the last completed batches (a moving average). */
  ratePerSecond: number;
}

export type BatchProcessor = (batch: QueuedReading[]) => Promise<{ failed: number }>;

export class IngestionQueue {
  private items: QueuedReading[] = [];
  private head = 0;
  private running = false;
  private closing = false;
  private idleWaiters: (() => void)[] = [];
  private roomWaiters: (() => void)[] = [];
  private rate = 0;
  private closingFailures = 0;
  private stats = { accepted: 0, processed: 0, failed: 0, refusedFull: 0, filtered: 0 };

  constructor(
    private readonly process: BatchProcessor,
    readonly capacity: number,
    private readonly batchSize: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  get depth(): number {
    return this.items.length - this.head;
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** Whether `n` more readings fit now. */
  hasRoom(n: number): boolean {
    return !this.closing && this.depth + n <= this.capacity;
  }

  /** Count readings an adapter's filter dropped. */
  noteFiltered(n: number): void {
    this.stats.filtered += n;
  }

  /** Count a payload refused for want of room. */
  noteRefused(): void {
    this.stats.refusedFull++;
  }

  /** Enqueue all of `readings` or none of them. */
  offer(readings: QueuedReading[]): boolean {
    if (this.closing || this.depth + readings.length > this.capacity) {
      this.stats.refusedFull++;
      return false;
    }
    for (const r of readings) this.items.push(r);
    this.stats.accepted += readings.length;
    this.kick();
    return true;
  }

  /** Resolves when `n` more readings fit (MQTT waits here instead of reading further messages). */
  async waitForRoom(n: number): Promise<void> {
    while (!this.closing && this.depth + n > this.capacity) await new Promise<void>((r) => this.roomWaiters.push(r));
  }

  /** Seconds a refused sender should wait: the time to drain what is queued at the recent rate, at least 1. */
  retryAfterSeconds(): number {
    const rate = this.rate > 0 ? this.rate : 100;
    return Math.max(1, Math.min(60, Math.ceil(this.depth / rate)));
  }

  snapshot(): QueueStats {
    return { capacity: this.capacity, depth: this.depth, ...this.stats, ratePerSecond: Math.round(this.rate) };
  }

  /** Resolves when everything accepted so far has been processed. */
  async idle(): Promise<void> {
    if (!this.running && this.depth === 0) return;
    await new Promise<void>((r) => this.idleWaiters.push(r));
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const w of this.roomWaiters.splice(0)) w();
    await this.idle();
  }

  private kick() {
    if (this.running) return;
    this.running = true;
    // Let the current request finish enqueueing before the worker starts a batch.
    setImmediate(() => void this.loop());
  }

  private async loop() {
    try {
      while (this.depth > 0) {
        const end = Math.min(this.items.length, this.head + this.batchSize);
        const batch = this.items.slice(this.head, end);
        const started = performance.now();
        let failed = 0;
        try {
          ({ failed } = await this.process(batch));
        } catch (err) {
          // The processor stores failures itself; reaching here means the database is unreachable.
          // Keep the batch and try again shortly rather than losing accepted readings — except when
          // shutting down, where waiting for ever would hang the server: after a minute, give up.
          this.onError(err);
          if (this.closing && ++this.closingFailures >= 60) {
            this.onError(new Error(`Shutting down with the database unreachable: ${this.depth} accepted readings were not stored`));
            this.items = [];
            this.head = 0;
            break;
          }
          await new Promise((r) => setTimeout(r, 1000));
          continue;
        }
        this.head = end;
        if (this.head > 4096 && this.head * 2 > this.items.length) {
          this.items = this.items.slice(this.head);
          this.head = 0;
        }
        const seconds = (performance.now() - started) / 1000;
        const batchRate = batch.length / Math.max(seconds, 0.001);
        this.rate = this.rate === 0 ? batchRate : this.rate * 0.8 + batchRate * 0.2;
        this.stats.processed += batch.length - failed;
        this.stats.failed += failed;
        for (const w of this.roomWaiters.splice(0)) w();
      }
    } finally {
      this.running = false;
      if (this.depth > 0) this.kick();
      else for (const w of this.idleWaiters.splice(0)) w();
    }
  }
}
