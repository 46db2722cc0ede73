/**
 * Durable store as an append-only journal: one file of JSON lines, each transition written once.
 *
 * A commit appends ONE line `{"k":"X","r":record (snapshot included),"e":[the transition's events]}` with
 * one write(2) before `commitExecution` resolves; nothing is ever rewritten. The history is not copied
 * into the record: each event is in the line of the transition that made it. The process keeps an index
 * (per execution: status, version, the position of its latest line and of its lines with events;
 * state machines and definitions, which are few) and reads lines back by position (pread) for
 * DescribeExecution, GetExecutionHistory, ListExecutions and resume. Other lines: `{"k":"M","m":state
 * machine}`, `{"k":"D","i":definition id,"d":text}`.
 *
 * Durability, as the DynamoDB store on dynalite (LevelDB, unsynced writes): a line is handed to the OS
 * with write(2) before the commit resolves, so it survives kill -9 of the process (not a power loss,
 * unless `fsync: true`, which fdatasyncs each line). A kill -9 during a write can leave a torn last line
 * (no final newline, or not JSON): opening the journal drops it (truncates the file to the last whole
 * line) — that transition was never acknowledged, so it is run again, as with the DynamoDB store. Lines
 * are self-contained JSON (JSON.stringify escapes newlines in strings), so a newline ends each one.
 *
 * Conditional writes (the version a commit follows) are checked against the index, which one process
 * owns: one process per journal (the stack's data-dir lock ensures it).
 *
 * Compaction, on open and online (checked every 256 lines written): when superseded lines outweigh the
 * live ones 4 to 1, or a quarter of the executions closed longer ago than the retention (90 days by
 * default, as AWS keeps a closed execution), the journal is rewritten with one line per state machine,
 * definition and kept execution (its latest record with its whole history) into `FILE.compact`, which
 * is fsynced and renamed over the journal (then the folder fsynced). A kill -9 before the rename leaves
 * the old journal whole (the `.compact` file is removed next time); after it, the new one. Compaction
 * runs between two writes, synchronously, so nothing interleaves with it in this process; a failed
 * online compaction (e.g. a full disk) leaves the journal as it was and is reported to
 * `onCompactionError`, never to the commit that triggered it.
 *
 * Without a file (`file` undefined) the lines are kept in this process's memory: the same code path, no
 * data kept (the stack's `--in-memory`).
 */
import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { ConcurrentWriteError } from './errors.ts';
import {
  type ExecutionRecord,
  type ExecutionStatus,
  type ExecutionStore,
  type HistoryEvent,
  type Page,
  pageOf,
  type StateMachineRecord,
} from './execution-store.ts';

/** Where a line is: byte offset and length without the newline (file), or line number (memory). */
type Loc = readonly [pos: number, len: number];

/** What the store keeps in memory about one execution (the rest is read from its lines). */
interface ExecutionIndex {
  readonly arn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly startDate: number;
  status: ExecutionStatus;
  version: number;
  /** The line of the latest record. */
  head: Loc;
  /** The lines that carry history events, in order (flat pairs: pos, len, pos, len, …). */
  events: number[];
  /** When it closed (the record's stopDate), for the retention. */
  stopDate: number | undefined;
  /** Length of the latest line's record part (live; the earlier lines' records are superseded). */
  recordBytes: number;
  /** Length of the event parts of its lines (all live). */
  eventBytes: number;
}

/** `{"k":"X","r":` + `,"e":` + `}`: the framing of an execution line, counted with its record. */
const X_FRAMING = 19;

/** An execution line, and the length of its record part (framing included) for the accounting. */
function executionLine(
  r: ExecutionRecord,
  e: readonly HistoryEvent[],
): { text: string; recordBytes: number } {
  const record = JSON.stringify(r);
  return { text: `{"k":"X","r":${record},"e":${JSON.stringify(e)}}`, recordBytes: record.length + X_FRAMING };
}

type Line =
  | { k: 'M'; m: StateMachineRecord }
  | { k: 'D'; i: string; d: string }
  | { k: 'X'; r: ExecutionRecord; e: HistoryEvent[] };

/** Where the lines live: a file (pread/write) or this process's memory. */
interface Medium {
  append(text: string): Loc;
  read(at: Loc): string;
  close(): void;
}

class MemoryMedium implements Medium {
  readonly #lines: string[] = [];
  append(text: string): Loc {
    this.#lines.push(text);
    return [this.#lines.length - 1, text.length];
  }
  read(at: Loc): string {
    return this.#lines[at[0]]!;
  }
  close(): void {}
}

const NEWLINE = 0x0a;
const CHUNK = 4 * 1024 * 1024;

class FileMedium implements Medium {
  #size: number;
  constructor(
    readonly fd: number,
    size: number,
    readonly sync: boolean,
  ) {
    this.#size = size;
  }
  append(text: string): Loc {
    const bytes = Buffer.from(`${text}\n`);
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
      if (this.sync) fdatasyncSync(this.fd);
    } catch (error) {
      // e.g. a full disk: take back what part of the line was written, so that the next line does not
      // follow a torn one (the commit fails; the engine unloads that execution until the next start).
      if (done > 0) ftruncateSync(this.fd, this.#size);
      throw error;
    }
    const at: Loc = [this.#size, bytes.length - 1];
    this.#size += bytes.length;
    return at;
  }
  read(at: Loc): string {
    const buffer = Buffer.allocUnsafe(at[1]);
    let done = 0;
    while (done < at[1]) {
      const n = readSync(this.fd, buffer, done, at[1] - done, at[0] + done);
      if (n === 0) throw new Error(`stepfunctions journal: line at ${at[0]} is cut short`);
      done += n;
    }
    return buffer.toString('utf8');
  }
  close(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

/**
 * Reads every whole line of the file from the start, calling `each(text, loc)`; returns the byte length
 * of the whole lines (a torn last line is not included). A line that is not JSON is torn only if it is
 * the last; elsewhere the file is damaged and opening fails.
 */
function scan(fd: number, each: (line: Line, at: Loc) => void): number {
  const size = fstatSync(fd).size;
  let pos = 0; // start of the first unread line
  let carry = Buffer.alloc(0);
  let good = 0;
  let bad: { pos: number; error: unknown } | undefined;
  while (pos + carry.length < size) {
    const want = Math.min(CHUNK, size - pos - carry.length);
    const chunk = Buffer.allocUnsafe(want);
    const n = readSync(fd, chunk, 0, want, pos + carry.length);
    if (n === 0) break;
    const buffer = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
    let start = 0;
    for (let end = buffer.indexOf(NEWLINE, start); end !== -1; end = buffer.indexOf(NEWLINE, start)) {
      if (bad)
        throw new Error(`stepfunctions journal: damaged line at byte ${bad.pos}: ${String(bad.error)}`);
      const text = buffer.toString('utf8', start, end);
      try {
        each(JSON.parse(text) as Line, [pos + start, end - start]);
        good = pos + end + 1;
      } catch (error) {
        bad = { pos: pos + start, error };
      }
      start = end + 1;
    }
    carry = Buffer.from(buffer.subarray(start));
    pos += start;
  }
  return good;
}

export interface JournalOptions {
  /** The journal file (its folder is created); undefined: lines kept in memory only. */
  readonly file?: string;
  /** fdatasync every line (survives power loss, not only kill -9). Default false, as dynalite. */
  readonly fsync?: boolean;
  /**
   * How long a closed execution (and its history) is kept after its stop date, in milliseconds;
   * compaction drops it afterwards. Default 90 days: AWS's retention of a closed Standard execution
   * ("Execution history retention", https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
   */
  readonly retentionMs?: number;
  /** The clock the retention is measured by (the engine's), epoch ms. Default Date.now. */
  readonly now?: () => number;
  /** Compaction is considered only from this many lines on (default 1,000; tests set a few). */
  readonly compactMinLines?: number;
  /**
   * Compact when superseded bytes exceed this many times the live bytes (default 1: the file is over
   * twice its live content). 0: at every check (the crash drill, to kill around compactions).
   */
  readonly compactRatio?: number;
  /** A failed online compaction (the journal goes on unchanged); default: console.error. */
  readonly onCompactionError?: (error: unknown) => void;
}

/** AWS keeps a closed Standard execution's history 90 days (service quotas page). */
export const DEFAULT_RETENTION_MS = 90 * 24 * 3600 * 1000;
/** Lines written between two online compaction checks. */
const CHECK_EVERY = 256;

/**
 * The ExecutionStore on an append-only journal (see the file comment). `init()` opens (creates) the file,
 * cuts off a torn last line and compacts when superseded lines outweigh live ones; it throws on a damaged
 * line before the last. Commits throw ConcurrentWriteError when the version does not follow the stored
 * one, or the write error (e.g. ENOSPC) with nothing of the line left in the file.
 */
export class JournalExecutionStore implements ExecutionStore {
  readonly #machines = new Map<string, StateMachineRecord>();
  readonly #definitions = new Map<string, string>();
  readonly #executions = new Map<string, ExecutionIndex>();
  #medium: Medium | undefined;
  #lines = 0;
  /** Length of all lines, and of the live parts (latest records, every event, current machines/definitions). */
  #bytes = 0;
  #liveBytes = 0;
  readonly #metaBytes = new Map<string, number>();
  #nextCheck = CHECK_EVERY;
  #compactions = 0;

  constructor(readonly options: JournalOptions = {}) {}

  /** Lines in the journal now, and compactions done by this store (on open and online). */
  get stats(): { lines: number; executions: number; compactions: number } {
    return { lines: this.#lines, executions: this.#executions.size, compactions: this.#compactions };
  }

  async init(): Promise<void> {
    const file = this.options.file;
    if (file === undefined) {
      this.#medium = new MemoryMedium();
    } else {
      mkdirSync(dirname(file), { recursive: true });
      rmSync(`${file}.compact`, { force: true }); // a compaction cut short by a kill: the journal is whole
      this.#open(file);
    }
    if (this.#compactionDue()) this.#compact();
    this.#nextCheck = this.#lines + this.#checkEvery;
  }

  get #checkEvery(): number {
    return Math.min(CHECK_EVERY, this.options.compactMinLines ?? CHECK_EVERY);
  }

  /** Closed executions past the retention whose stop date is before this (epoch ms). */
  #cutoff(): number {
    return (this.options.now ?? Date.now)() - (this.options.retentionMs ?? DEFAULT_RETENTION_MS);
  }

  /**
   * Is a rewrite worth it? Superseded bytes (records of earlier transitions, replaced machines)
   * outweigh the live ones (each rewrite then at least halves the file: amortised, at most one byte
   * rewritten per byte appended; a journal of executions whose histories outweigh their records is
   * left alone), or at least a quarter of the executions are past the retention.
   */
  #compactionDue(): boolean {
    if (this.#lines < (this.options.compactMinLines ?? 1000)) return false;
    if (this.#bytes - this.#liveBytes > (this.options.compactRatio ?? 1) * this.#liveBytes) return true;
    const cutoff = this.#cutoff();
    let old = 0;
    for (const x of this.#executions.values()) if (expired(x, cutoff)) old++;
    return old > 0 && old * 4 >= this.#executions.size;
  }

  /** Online: every CHECK_EVERY lines, compact if due; a failure leaves the journal as it was. */
  #maybeCompact(): void {
    if (this.#lines < this.#nextCheck) return;
    this.#nextCheck = this.#lines + this.#checkEvery;
    try {
      if (this.#compactionDue()) {
        this.#compact();
        this.#nextCheck = this.#lines + this.#checkEvery;
      }
    } catch (error) {
      if (this.options.file !== undefined) rmSync(`${this.options.file}.compact`, { force: true });
      (
        this.options.onCompactionError ??
        ((e) => console.error('stepfunctions journal: compaction failed', e))
      )(error);
    }
  }

  #open(file: string): void {
    const fd = openSync(file, 'a+');
    try {
      this.#lines = 0;
      this.#bytes = 0;
      this.#liveBytes = 0;
      this.#metaBytes.clear();
      const good = scan(fd, (line, at) => this.#apply(line, at));
      if (good < fstatSync(fd).size) ftruncateSync(fd, good); // a torn last line: never acknowledged
      this.#medium = new FileMedium(fd, good, this.options.fsync === true);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /**
   * Rewrites the journal with one line per state machine, definition and execution kept (closed ones
   * past the retention are dropped): into `FILE.compact`, fsynced, renamed over the journal, the folder
   * fsynced; then appends go on in the new file and the index points into it. In memory: a new list of
   * lines. Nothing of the index changes unless the whole rewrite succeeded.
   */
  #compact(): void {
    const medium = this.#medium!;
    const file = this.options.file;
    const cutoff = this.#cutoff();
    const next = file === undefined ? undefined : `${file}.compact`;
    let fd: number | undefined;
    let out: Medium;
    if (next === undefined) out = new MemoryMedium();
    else {
      rmSync(next, { force: true });
      fd = openSync(next, 'w+');
      out = new FileMedium(fd, 0, false);
    }
    try {
      let lines = 0;
      const kept = new Map<string, ExecutionIndex>();
      let bytes = 0;
      let live = 0;
      const meta = new Map<string, number>();
      for (const m of this.#machines.values()) {
        const at = out.append(JSON.stringify({ k: 'M', m }));
        meta.set(`M${m.stateMachineArn}`, at[1]);
        live += at[1];
        lines++;
      }
      for (const [i, d] of this.#definitions) {
        const at = out.append(JSON.stringify({ k: 'D', i, d }));
        meta.set(`D${i}`, at[1]);
        live += at[1];
        lines++;
      }
      for (const x of this.#executions.values()) {
        if (expired(x, cutoff)) continue;
        lines++;
        if (x.events.length === 0 || (x.events.length === 2 && x.events[0] === x.head[0])) {
          // Already one line (its latest record holds every event, or it has none): copied as it is.
          const at = out.append(medium.read(x.head));
          kept.set(x.arn, { ...x, head: at, events: x.events.length > 0 ? [at[0], at[1]] : [] });
          live += x.recordBytes + x.eventBytes;
          continue;
        }
        const r = (JSON.parse(medium.read(x.head)) as { r: ExecutionRecord }).r;
        const e = this.#history(x);
        const { text, recordBytes } = executionLine(r, e);
        const at = out.append(text);
        kept.set(x.arn, {
          ...x,
          head: at,
          events: e.length > 0 ? [at[0], at[1]] : [],
          recordBytes,
          eventBytes: at[1] - recordBytes,
        });
        live += at[1];
      }
      for (const x of kept.values()) bytes += x.head[1];
      for (const n of meta.values()) bytes += n;
      if (fd !== undefined) {
        fsyncSync(fd);
        renameSync(next!, file!);
        const folder = openSync(dirname(file!), 'r');
        try {
          fsyncSync(folder);
        } finally {
          closeSync(folder);
        }
      }
      // The new journal is in place: switch to it.
      if (medium instanceof FileMedium) closeSync(medium.fd);
      this.#medium = out;
      this.#executions.clear();
      for (const [arn, x] of kept) this.#executions.set(arn, x);
      this.#lines = lines;
      this.#bytes = bytes;
      this.#liveBytes = live;
      this.#metaBytes.clear();
      for (const [k, n] of meta) this.#metaBytes.set(k, n);
      this.#compactions++;
    } catch (error) {
      if (fd !== undefined) closeSync(fd);
      throw error;
    }
  }

  /** Updates the index with a line written (or read at open) at `at`; `recordBytes` when known. */
  #apply(line: Line, at: Loc, recordBytes?: number): void {
    this.#lines++;
    this.#bytes += at[1];
    if (line.k === 'M') {
      this.#machines.set(line.m.stateMachineArn, line.m);
      this.#meta(`M${line.m.stateMachineArn}`, at[1]);
    } else if (line.k === 'D') {
      this.#definitions.set(line.i, line.d);
      this.#meta(`D${line.i}`, at[1]);
    } else if (line.k === 'X') {
      const r = line.r;
      let x = this.#executions.get(r.executionArn);
      if (!x) {
        x = {
          arn: r.executionArn,
          stateMachineArn: r.stateMachineArn,
          name: r.name,
          startDate: r.startDate,
          status: r.status,
          version: r.version,
          head: at,
          events: [],
          stopDate: undefined,
          recordBytes: 0,
          eventBytes: 0,
        };
        this.#executions.set(r.executionArn, x);
      }
      x.status = r.status;
      x.version = r.version;
      x.head = at;
      x.stopDate = r.stopDate;
      if (line.e.length > 0) x.events.push(at[0], at[1]);
      // The earlier record is superseded; this line's record and events are live.
      const record = recordBytes ?? JSON.stringify(r).length + X_FRAMING;
      const events = line.e.length > 0 ? Math.max(0, at[1] - record) : 0;
      this.#liveBytes += record + events - x.recordBytes;
      x.recordBytes = record;
      x.eventBytes += events;
    } else throw new Error(`stepfunctions journal: unknown line kind ${(line as { k: unknown }).k}`);
  }

  #meta(key: string, bytes: number): void {
    this.#liveBytes += bytes - (this.#metaBytes.get(key) ?? 0);
    this.#metaBytes.set(key, bytes);
  }

  /** Appends the line and applies it to the index (only once it is written). */
  #write(line: Line): void {
    const medium = this.#medium;
    if (!medium) throw new Error('stepfunctions journal: not open');
    if (line.k === 'X') {
      const { text, recordBytes } = executionLine(line.r, line.e);
      this.#apply(line, medium.append(text), recordBytes);
    } else this.#apply(line, medium.append(JSON.stringify(line)));
    this.#maybeCompact();
  }

  async close(): Promise<void> {
    this.#medium?.close();
    this.#medium = undefined;
  }

  // ---- state machines and definitions -------------------------------------------------------------

  async putStateMachine(record: StateMachineRecord, mode: 'create' | 'replace'): Promise<void> {
    if (mode === 'create' && this.#machines.has(record.stateMachineArn))
      throw new ConcurrentWriteError('state machine exists');
    this.#write({ k: 'M', m: structuredClone(record) });
  }
  async getStateMachine(arn: string): Promise<StateMachineRecord | undefined> {
    const m = this.#machines.get(arn);
    return m ? { ...m } : undefined;
  }
  async listStateMachines(limit: number, nextToken?: string): Promise<Page<StateMachineRecord>> {
    const all = [...this.#machines.values()].map((m) => ({ ...m })).sort((a, b) => cmp(a.name, b.name));
    return pageOf(all, limit, nextToken);
  }
  async putDefinition(definitionId: string, definition: string): Promise<void> {
    if (this.#definitions.get(definitionId) === definition) return;
    this.#write({ k: 'D', i: definitionId, d: definition });
  }
  async getDefinition(definitionId: string): Promise<string | undefined> {
    return this.#definitions.get(definitionId);
  }

  // ---- executions ---------------------------------------------------------------------------------

  async createExecution(record: ExecutionRecord, events: readonly HistoryEvent[]): Promise<void> {
    if (this.#executions.has(record.executionArn)) throw new ConcurrentWriteError('execution exists');
    this.#write({ k: 'X', r: record, e: events as HistoryEvent[] });
  }

  async commitExecution(
    record: ExecutionRecord,
    expectedVersion: number,
    events: readonly HistoryEvent[],
    _idle?: boolean,
  ): Promise<void> {
    const x = this.#executions.get(record.executionArn);
    if (x?.version !== expectedVersion)
      throw new ConcurrentWriteError(`execution ${record.executionArn} is not at version ${expectedVersion}`);
    this.#write({ k: 'X', r: record, e: events as HistoryEvent[] });
  }

  #record(x: ExecutionIndex): ExecutionRecord {
    return (JSON.parse(this.#medium!.read(x.head)) as { r: ExecutionRecord }).r;
  }

  #history(x: ExecutionIndex): HistoryEvent[] {
    const out: HistoryEvent[] = [];
    for (let i = 0; i < x.events.length; i += 2)
      for (const e of (
        JSON.parse(this.#medium!.read([x.events[i]!, x.events[i + 1]!])) as { e: HistoryEvent[] }
      ).e)
        out.push(e);
    return out;
  }

  async getExecution(arn: string): Promise<ExecutionRecord | undefined> {
    const x = this.#executions.get(arn);
    return x ? this.#record(x) : undefined;
  }

  /** Newest first (start date, then name, both descending), as the DynamoDB store's index. */
  async listExecutions(
    stateMachineArn: string,
    status: ExecutionStatus | undefined,
    limit: number,
    nextToken?: string,
  ): Promise<Page<ExecutionRecord>> {
    const all: ExecutionIndex[] = [];
    for (const x of this.#executions.values())
      if (x.stateMachineArn === stateMachineArn && (!status || x.status === status)) all.push(x);
    all.sort((a, b) => b.startDate - a.startDate || cmp(b.name, a.name));
    const page = pageOf(all, limit, nextToken);
    return { ...page, items: page.items.map((x) => this.#record(x)) };
  }

  async getHistory(arn: string): Promise<HistoryEvent[]> {
    const x = this.#executions.get(arn);
    return x ? this.#history(x) : [];
  }

  async *listOpenExecutions(): AsyncIterable<ExecutionRecord> {
    // By ARN: between two yields, commits may run and an online compaction replace the index entries.
    const open = [...this.#executions.values()].filter((x) => x.status === 'RUNNING').map((x) => x.arn);
    for (const arn of open) {
      const x = this.#executions.get(arn);
      if (x?.status === 'RUNNING') yield this.#record(x);
    }
  }

  async loadExecution(arn: string): Promise<ExecutionRecord | undefined> {
    return this.getExecution(arn);
  }
}

/** A closed execution whose stop date is before the cutoff (running ones are always kept). */
function expired(x: ExecutionIndex, cutoff: number): boolean {
  return x.status !== 'RUNNING' && x.stopDate !== undefined && x.stopDate < cutoff;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
