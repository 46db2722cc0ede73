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
 * owns: one process per journal (the stack's data-dir lock ensures it). Opening compacts a journal
 * whose superseded lines outweigh the live ones (the latest record of each execution with its whole
 * history in one line, written to a new file, fsynced, then renamed over the old one).
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
}

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

  constructor(readonly options: JournalOptions = {}) {}

  async init(): Promise<void> {
    const file = this.options.file;
    if (file === undefined) {
      this.#medium = new MemoryMedium();
      return;
    }
    mkdirSync(dirname(file), { recursive: true });
    this.#open(file);
    if (this.#lines > 1000 && this.#lines > 4 * (this.#executions.size + this.#machines.size + 8))
      this.#compact(file);
  }

  #open(file: string): void {
    const fd = openSync(file, 'a+');
    try {
      this.#lines = 0;
      const good = scan(fd, (line, at) => this.#apply(line, at));
      if (good < fstatSync(fd).size) ftruncateSync(fd, good); // a torn last line: never acknowledged
      this.#medium = new FileMedium(fd, good, this.options.fsync === true);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** Rewrites the journal with one line per state machine, definition and execution, then reopens it. */
  #compact(file: string): void {
    const medium = this.#medium!;
    const next = `${file}.compact`;
    rmSync(next, { force: true });
    const fd = openSync(next, 'w');
    const out = new FileMedium(fd, 0, false);
    for (const m of this.#machines.values()) out.append(JSON.stringify({ k: 'M', m }));
    for (const [i, d] of this.#definitions) out.append(JSON.stringify({ k: 'D', i, d }));
    for (const x of this.#executions.values()) {
      const r = (JSON.parse(medium.read(x.head)) as { r: ExecutionRecord }).r;
      out.append(JSON.stringify({ k: 'X', r, e: this.#history(x) }));
    }
    out.close(); // fsync
    medium.close();
    renameSync(next, file);
    const dir = openSync(dirname(file), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    this.#machines.clear();
    this.#definitions.clear();
    this.#executions.clear();
    this.#open(file);
  }

  #apply(line: Line, at: Loc): void {
    this.#lines++;
    if (line.k === 'M') this.#machines.set(line.m.stateMachineArn, line.m);
    else if (line.k === 'D') this.#definitions.set(line.i, line.d);
    else if (line.k === 'X') {
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
        };
        this.#executions.set(r.executionArn, x);
      }
      x.status = r.status;
      x.version = r.version;
      x.head = at;
      if (line.e.length > 0) x.events.push(at[0], at[1]);
    } else throw new Error(`stepfunctions journal: unknown line kind ${(line as { k: unknown }).k}`);
  }

  /** Appends the line and applies it to the index (only once it is written). */
  #write(line: Line): void {
    const medium = this.#medium;
    if (!medium) throw new Error('stepfunctions journal: not open');
    const at = medium.append(JSON.stringify(line));
    this.#apply(line, at);
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
    const open = [...this.#executions.values()].filter((x) => x.status === 'RUNNING');
    for (const x of open) if (x.status === 'RUNNING') yield this.#record(x);
  }

  async loadExecution(arn: string): Promise<ExecutionRecord | undefined> {
    return this.getExecution(arn);
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
