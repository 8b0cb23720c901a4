import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';

/** A response not tied to an invitation: from the open link, or entered by staff without a frame unit. */
export type ResponseRow = {
  waveId: string;
  versionId: string;
  data: Record<string, unknown>;
  status: 'complete' | 'partial';
  mode: string;
  idempotencyKey: string;
  participantKeyHash: string | null;
  lastPage: string | null;
  startedAt: Date | null;
  /**
   * The staff member entering a paper, mail or interview return, null for a participant. Participants'
   * answers count only while the wave is open; staff may enter late paper returns.
   */
  enteredBy: string | null;
  /** Questions staff marked 判読不能・無効 on a paper return; none for participants. */
  spoiled?: string[];
};

export type StoredRow = { id: string; status: 'complete' | 'partial'; submittedAt: Date };

type Pending = {
  row: ResponseRow;
  resolve: (stored: StoredRow | undefined) => void;
  reject: (error: unknown) => void;
  /** Set after its batch failed: written in a statement of its own, to find the row at fault. */
  alone?: boolean;
};

/**
 * Statements in flight at once: two, so one slow statement does not hold up every phone, yet few
 * enough that waiting rows form large batches (tests/bench/load.ts on 2 cores: 1, 2 and 4 in flight
 * gave 6,000–7,400 submissions/s, within the noise of each other).
 */
const CONCURRENT_BATCHES = 2;
const BATCH_LIMIT = 500;

/**
 * Writes responses that have no invitation (open link, staff entries without a frame unit).
 * Responses that arrive while earlier ones are being written go out together as one INSERT: one
 * round trip and one commit for many phones, which is what lets an open link take thousands of
 * submissions a second. Each caller still gets its own answer only after the statement committed,
 * so an acknowledged response is never lost.
 *
 * `write` resolves to the stored row, or undefined when nothing was written: the wave is not open
 * for a participant's row (checked in the same statement, so a wave closed a moment ago takes
 * nothing more), or a complete response with this key already exists.
 */
export class ResponseWriter {
  private waiting: Pending[] = [];
  private inFlight = 0;

  constructor(private readonly database: Database) {}

  write(row: ResponseRow): Promise<StoredRow | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ row, resolve, reject });
      this.flush();
    });
  }

  private flush() {
    while (this.inFlight < CONCURRENT_BATCHES && this.waiting.length > 0) {
      const batch = this.takeBatch();
      this.inFlight++;
      this.insert(batch).finally(() => {
        this.inFlight--;
        this.flush();
      });
    }
  }

  /**
   * Waiting rows in arrival order, one per (wave, key): two rows with one key in one INSERT would
   * fail it, so the second waits for a later batch (or runs beside it in another, where the unique
   * index orders them).
   */
  private takeBatch(): Pending[] {
    if (this.waiting[0]?.alone) return [this.waiting.shift()!];
    const batch: Pending[] = [];
    const keys = new Set<string>();
    const rest: Pending[] = [];
    for (const pending of this.waiting) {
      const key = rowKey(pending.row);
      if (batch.length < BATCH_LIMIT && !pending.alone && !keys.has(key)) {
        keys.add(key);
        batch.push(pending);
      } else rest.push(pending);
    }
    this.waiting = rest;
    return batch;
  }

  private async insert(batch: Pending[]) {
    try {
      const stored = await this.database.rows<StoredRow & { waveId: string; idempotencyKey: string }>(insertStatement(batch.map((p) => p.row)));
      const byKey = new Map(stored.map((s) => [rowKey(s), s]));
      for (const { row, resolve } of batch) {
        const s = byKey.get(rowKey(row));
        resolve(s && { id: s.id, status: s.status, submittedAt: new Date(s.submittedAt) });
      }
    } catch (error) {
      if (batch.length === 1) batch[0].reject(error);
      // One row PostgreSQL refuses must not fail the phones beside it: each goes again alone, first
      // in the queue and within the same limit of statements in flight.
      else this.waiting.unshift(...batch.map((pending) => ({ ...pending, alone: true })));
    }
  }
}

/**
 * Saved progress (partial) is replaced by later answers under the same key; a complete response is
 * final, and a key used through an invitation link stays that link's. The wave-open condition is closedReason's (waveState.ts) in SQL: change them together.
 */
function insertStatement(rows: ResponseRow[]) {
  return sql`
    insert into responses (organisation_id, wave_id, version_id, data, status, mode, idempotency_key, participant_key_hash, last_page, started_at, entered_by, spoiled)
    select w.organisation_id, w.id, r.version_id, r.data, r.status, r.mode, r.idempotency_key, r.participant_key_hash, r.last_page, r.started_at, r.entered_by, r.spoiled
    from jsonb_to_recordset(${JSON.stringify(rows.map(toRecord))}::jsonb) as r(
      wave_id uuid, version_id uuid, data jsonb, status text, mode text, idempotency_key text,
      participant_key_hash text, last_page text, started_at timestamptz, entered_by uuid, spoiled jsonb)
    join waves w on w.id = r.wave_id and (r.entered_by is not null or (w.status = 'open'
      and (w.opens_at is null or w.opens_at <= now()) and (w.closes_at is null or w.closes_at > now())))
    on conflict (wave_id, idempotency_key) do update set
      data = excluded.data, status = excluded.status, participant_key_hash = excluded.participant_key_hash,
      last_page = excluded.last_page, submitted_at = now()
      where responses.status = 'partial' and responses.invitation_id is null
    returning id, status, submitted_at as "submittedAt", wave_id as "waveId", idempotency_key as "idempotencyKey"`;
}

function toRecord(row: ResponseRow) {
  return {
    wave_id: row.waveId,
    version_id: row.versionId,
    data: row.data,
    status: row.status,
    mode: row.mode,
    idempotency_key: row.idempotencyKey,
    participant_key_hash: row.participantKeyHash,
    last_page: row.lastPage,
    started_at: row.startedAt?.toISOString() ?? null,
    entered_by: row.enteredBy,
    spoiled: row.spoiled ?? [],
  };
}

/** A response's identity: its wave and idempotency key, as in the unique index. */
function rowKey(row: { waveId: string; idempotencyKey: string }) {
  return `${row.waveId}\u0000${row.idempotencyKey}`;
}

const writers = new WeakMap<Database, ResponseWriter>();

/** The writer of this database (one per database, so its batches gather every request). */
export function responseWriter(database: Database): ResponseWriter {
  let writer = writers.get(database);
  if (!writer) writers.set(database, (writer = new ResponseWriter(database)));
  return writer;
}
