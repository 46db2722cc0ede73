/**
 * The deadline design at scale (issue 18), simulated in-process on a manual clock: N open
 * investigations across S stations, a week of simulated time in 5-minute ticks.
 *
 * What runs is certflow's own code: DispatchInvestigation's step (stores the token, schedules the
 * warning), the local scheduler's one-time schedules (local/scheduler.ts, what EventBridge Scheduler is
 * on AWS) firing the DeadlineTimer step, the Escalate step, and the DeadlineSweeper (reconciliation) every
 * simulated hour — over the in-memory double of the store port (the same keys and index order as
 * DynamoStore), counted. Step Functions itself is modelled, not run: each waiting task is a timer at its
 * deadline (the AwaitFinding TimeoutSeconds) that, unless a finding ended the task first, runs Escalate and
 * then AwaitFinding again (DispatchInvestigation with a new token), as the state machine does.
 *
 * It asserts, and `simulate` throws if not: every deadline whose warning moment falls in the week on an
 * open request is warned exactly once; every deadline that passes in the week on an open request is
 * escalated exactly once; nothing is warned or escalated twice; the sweeper never reads a healthy open
 * request. The figures: timers and sweeper work per simulated hour, store reads per sweep run, and the
 * old design's work (one index read and one SendTaskHeartbeat per open investigation every 5 minutes) for
 * the same open counts.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { buildDeps, type Deps } from '#functions/deps.ts';
import { sweep } from '#functions/schedule/deadline-sweeper.ts';
import { deadlineTimer } from '#functions/schedule/deadline-timer.ts';
import { changeRequest } from '#functions/use-cases/requests.ts';
import { dispatchStep } from '#functions/workflow/dispatch-investigation.ts';
import { escalateStep } from '#functions/workflow/escalate.ts';
import { start as startScheduler, TimerHeap } from '#local/scheduler.ts';
import type { Clock } from '#shared/clock.ts';
import { defaultCalendar } from '#shared/domain/calendar.ts';
import { investigationDeadline, warningMoment } from '#shared/domain/deadline.ts';
import { isOpen } from '#shared/domain/request.ts';
import { noNotifier } from '#shared/notify/http-notifier.ts';
import { defaultPolicy } from '#shared/policy/policy.ts';
import type { DeadlineTimerPayload } from '#shared/schedule/port.ts';
import { STATUS_SHARDS } from '#shared/store/keys.ts';
import type { RequestEvent, RequestRecord } from '#shared/store/model.ts';
import type { CertflowStore } from '#shared/store/port.ts';
import { InMemoryStore } from '#tests/helpers/in-memory-store.ts';
import { InMemoryWorkflow } from '#tests/helpers/in-memory-workflow.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TICK = 5 * MINUTE;

/** A clock that moves only when told (deterministic: no real time passes in the simulation). */
export class ManualClock implements Clock {
  #now: number;
  readonly #waiters = new Set<{ at: number; resolve: () => void }>();
  constructor(start: number) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  set(at: number): void {
    this.#now = at;
    for (const w of [...this.#waiters]) if (w.at <= at) w.resolve();
  }
  sleepUntil(at: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (at <= this.#now) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        at,
        resolve: () => {
          this.#waiters.delete(waiter);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#waiters.delete(waiter);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(waiter);
    });
  }
}

/** Store reads as DynamoDB would bill them: items read (each ≤ 4 KB) and calls. */
export interface ReadCounts {
  items: number;
  calls: number;
}

/**
 * Wraps the store so every read is counted (GetItem = 1 item; Query = the items it returned; a status
 * listing = its shards' Queries, and the page's items again by BatchGetItem: shared/store/status-index.ts).
 */
function counted(store: InMemoryStore, reads: ReadCounts): CertflowStore {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      const name = String(key);
      return async (...args: unknown[]) => {
        const out = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (name === 'getRequest' || name === 'getRequestWithHistory') {
          reads.calls += 1;
          reads.items += out ? 1 : 0;
        } else if (name === 'listByStatus') {
          // One Query per status shard (index entries), then BatchGetItem of the page (100 keys a call).
          const n = (out as { items: unknown[] }).items.length;
          reads.calls += STATUS_SHARDS + Math.ceil(n / 100);
          reads.items += 2 * n;
        } else if (name === 'listStatusEntries') {
          reads.calls += STATUS_SHARDS;
          reads.items += (out as { items: unknown[] }).items.length;
        } else if (name === 'listStationQueue') {
          reads.calls += 1;
          reads.items += (out as { items: unknown[] }).items.length;
        }
        return out;
      };
    },
  }) as unknown as CertflowStore;
}

export interface SimulationOptions {
  /** Open investigations at the start (default 100,000). */
  open?: number;
  stations?: number;
  /** Simulated days (default 7). */
  days?: number;
  /** Share of requests that get a finding before their deadline (default 0.5). */
  findingShare?: number;
  /** Start of the simulated week (default Monday 23 November 2026, 00:00 Beijing). */
  start?: string;
}

export interface HourFigures {
  hour: number;
  open: number;
  warningsFired: number;
  warned: number;
  escalated: number;
  findings: number;
  sweepReads: number;
  sweepRepaired: number;
}

export interface SimulationResult {
  open: number;
  stations: number;
  days: number;
  hours: HourFigures[];
  totals: {
    schedulesCreated: number;
    schedulesFired: number;
    warned: number;
    escalated: number;
    findings: number;
    sweepRuns: number;
    sweepReadsMax: number;
    sweepReadsTotal: number;
    /** Every store read of the week (setup excluded): timers, steps and sweeps. */
    storeReads: number;
    storeReadsPerOpenPerDay: number;
    describeExecutionCalls: number;
  };
  /** The design before issue 18, for the same open counts (computed, not run). */
  before: {
    sweepReadsPerRunMax: number;
    heartbeatsPerSecondPeak: number;
    sweepReadsPerWeek: number;
  };
  wallMs: number;
}

/** A seeded pseudo-random generator (mulberry32), so the simulation is the same every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type SfnEvent =
  | { at: number; name: string; kind: 'timeout'; requestId: string; token: string }
  | { at: number; name: string; kind: 'finding'; requestId: string };

export class SimulationFailed extends Error {
  override name = 'SimulationFailed';
}

export async function simulate(options: SimulationOptions = {}): Promise<SimulationResult> {
  const open = options.open ?? 100_000;
  const stations = options.stations ?? 50;
  const days = options.days ?? 7;
  const findingShare = options.findingShare ?? 0.5;
  const t0 = Date.parse(options.start ?? '2026-11-22T16:00:00.000Z');
  const end = t0 + days * 24 * HOUR;
  const rnd = random(18);
  const wallStart = performance.now();
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';

  const clock = new ManualClock(t0);
  const memory = new InMemoryStore();
  const reads: ReadCounts = { items: 0, calls: 0 };
  const store = counted(memory, reads);
  const workflow = new InMemoryWorkflow();
  let describeCalls = 0;
  const isRunning = workflow.isRunning.bind(workflow);
  workflow.isRunning = async (name) => {
    describeCalls += 1;
    return isRunning(name);
  };

  let deps!: Deps;
  const warnings = await startScheduler({
    clock,
    jobs: [],
    onceTarget: 'DeadlineTimer',
    invoke: async (_name, event) => deadlineTimer(deps, event as DeadlineTimerPayload),
    onError: (name, error) => {
      throw new SimulationFailed(`${name}: ${String(error)}`);
    },
  });
  deps = buildDeps({
    config: {
      tableName: 'certflow',
      stateMachineArn: 'arn:aws:states:cn-north-1:000000000000:stateMachine:certificate-request',
      tokenSecret: 'x'.repeat(40),
      rateLimitPerMinute: 0,
      registryFile: undefined,
      publicBaseUrl: '',
    },
    clock,
    store,
    workflow,
    schedules: warnings,
    calendar: defaultCalendar,
    notifier: noNotifier,
    logger: new Logger({ serviceName: 'certflow-bench', logLevel: 'SILENT' }),
  });

  // --- setup: N investigations accepted over the 6 days before the week, each dispatched (token stored,
  // warning scheduled) and its task waiting until the deadline. ---
  const sfn = new TimerHeap<SfnEvent>();
  const closedAt = new Map<string, number>();
  for (let i = 0; i < open; i += 1) {
    const requestId = `R${String(i).padStart(7, '0')}`;
    const acceptedAt = new Date(t0 - 6 * 24 * HOUR + Math.floor(rnd() * 6 * 24 * HOUR));
    const due = investigationDeadline(defaultPolicy, acceptedAt, defaultCalendar);
    const record = {
      requestId,
      version: 3,
      status: 'INVESTIGATING',
      proof: 'KINSHIP',
      input: {},
      accessTokenHash: 'h',
      acceptedAt: acceptedAt.toISOString(),
      updatedAt: acceptedAt.toISOString(),
      escalationLevel: 0,
      station: `ST${String(i % stations).padStart(2, '0')}`,
      deadline: due.deadline,
      warnAt: due.warnAt,
      executionName: requestId,
      lastEvent: { seq: 3, at: acceptedAt.toISOString(), type: 'DECIDED', actor: 'system', detail: {} },
    } as unknown as RequestRecord;
    memory.seed(record);
    await workflow.start(requestId, requestId);
    const token = `${requestId}#0`;
    workflow.waiting.add(token);
    await dispatchStep(deps, { requestId, taskToken: token });
    sfn.push({ at: Date.parse(due.deadline), name: `t-${token}`, kind: 'timeout', requestId, token });
    if (rnd() < findingShare) {
      const at = t0 + Math.floor(rnd() * (Date.parse(due.deadline) - t0));
      sfn.push({ at, name: `f-${requestId}`, kind: 'finding', requestId });
    }
  }
  reads.items = 0;
  reads.calls = 0;

  // --- the week ---
  const hours: HourFigures[] = [];
  let hour: HourFigures | undefined;
  let openNow = open;
  let sweepRuns = 0;
  let sweepReadsMax = 0;
  let sweepReadsTotal = 0;
  let heartbeatPeak = 0;
  let warnedTotal = 0;
  let escalatedTotal = 0;
  let findingsTotal = 0;
  let oldSweepReads = 0;
  const firedBefore = () => warnings.stats().fired;
  for (let now = t0; now < end; now += TICK) {
    clock.set(now);
    if ((now - t0) % HOUR === 0) {
      hour = {
        hour: (now - t0) / HOUR,
        open: openNow,
        warningsFired: 0,
        warned: 0,
        escalated: 0,
        findings: 0,
        sweepReads: 0,
        sweepRepaired: 0,
      };
      hours.push(hour);
    }
    const h = hour!;
    // Step Functions: findings end tasks; timeouts escalate and wait again.
    for (let e = sfn.peek(); e && e.at <= now; e = sfn.peek()) {
      sfn.pop();
      if (e.kind === 'finding') {
        // As Decide after a finding: one conditional write, re-read on a concurrent change (a warning).
        let closed = false;
        let token: string | undefined;
        await changeRequest(deps, e.requestId, (r) => {
          if (!isOpen(r.status)) return undefined;
          closed = true;
          token = r.taskToken;
          return {
            changes: {
              status: 'ISSUED',
              outcome: 'ISSUE_ON_THE_SPOT',
              finishedAt: new Date(e.at).toISOString(),
            },
            event: { type: 'ISSUED', actor: 'officer:bench' },
          };
        });
        if (!closed) continue;
        // SendTaskSuccess: the task ends, its timeout never fires.
        if (token) workflow.waiting.delete(token);
        closedAt.set(e.requestId, e.at);
        h.findings += 1;
        findingsTotal += 1;
        openNow -= 1;
        continue;
      }
      if (!workflow.waiting.delete(e.token)) continue; // the task already ended (a finding)
      const next = await escalateStep(deps, e.requestId);
      if (next.path !== 'WAIT' || !next.deadline) throw new SimulationFailed(`${e.requestId}: ${next.path}`);
      h.escalated += 1;
      escalatedTotal += 1;
      const token = `${e.requestId}#${next.escalationLevel}`;
      workflow.waiting.add(token);
      await dispatchStep(deps, { requestId: e.requestId, taskToken: token });
      sfn.push({
        at: Date.parse(next.deadline),
        name: `t-${token}`,
        kind: 'timeout',
        requestId: e.requestId,
        token,
      });
    }
    // The one-time schedules due now (the scheduler's own loop may have fired some already).
    const fired0 = firedBefore();
    await warnings.drainDue();
    h.warningsFired += firedBefore() - fired0;
    // The reconciliation, once a simulated hour (on AWS every 5 minutes: the same reads each run).
    if ((now - t0) % HOUR === 0) {
      const before = reads.items;
      const report = await sweep(deps);
      const used = reads.items - before;
      h.sweepReads = used;
      h.sweepRepaired = report.repaired;
      sweepRuns += 1;
      sweepReadsMax = Math.max(sweepReadsMax, used);
      sweepReadsTotal += used;
      if (report.repaired > 0) throw new SimulationFailed(`hour ${h.hour}: ${report.repaired} repaired`);
      // The old design: every open investigation read and heartbeated every 5 minutes.
      oldSweepReads += openNow * 12;
      heartbeatPeak = Math.max(heartbeatPeak, openNow / 300);
    }
  }
  await warnings.end();

  // --- assertions ---
  const problems: string[] = [];
  for (const request of memory.requests.values()) {
    const events: RequestEvent[] = [
      ...(memory.events.get(request.requestId)?.values() ?? []),
      request.lastEvent,
    ].filter((e, i, all) => all.findIndex((x) => x.seq === e.seq) === i);
    const warned = new Map<string, number>();
    const escalated = new Map<string, number>();
    for (const e of events) {
      const d = e.detail as Record<string, string> | undefined;
      if (e.type === 'WARNED') warned.set(d!.deadline!, (warned.get(d!.deadline!) ?? 0) + 1);
      if (e.type === 'ESCALATED')
        escalated.set(d!.missedDeadline!, (escalated.get(d!.missedDeadline!) ?? 0) + 1);
    }
    // The deadlines the request had: the first, then each escalation's next one; each with its warning.
    const first = investigationDeadline(defaultPolicy, new Date(request.acceptedAt), defaultCalendar);
    const deadlines = [first.deadline];
    for (const e of events)
      if (e.type === 'ESCALATED') deadlines.push((e.detail as Record<string, string>).deadline!);
    const closed = closedAt.get(request.requestId) ?? Number.POSITIVE_INFINITY;
    for (const [deadline, n] of [...warned, ...escalated])
      if (n !== 1) problems.push(`${request.requestId}: ${n}× for ${deadline}`);
    for (const deadline of deadlines) {
      const due = Date.parse(deadline);
      const w = Date.parse(warningMoment(defaultPolicy, { deadline }, defaultCalendar)!);
      // Warned: every deadline whose warning moment passed in the week while the request was open.
      if (w + TICK < end && w < closed && w < due && (warned.get(deadline) ?? 0) !== 1)
        problems.push(`${request.requestId}: deadline ${deadline} not warned`);
      // Escalated: every deadline that passed in the week while the request was open.
      if (due + TICK < end && due < closed && (escalated.get(deadline) ?? 0) !== 1)
        problems.push(`${request.requestId}: deadline ${deadline} not escalated`);
      if (due >= closed && escalated.has(deadline))
        problems.push(`${request.requestId}: escalated after its finding`);
    }
    warnedTotal += [...warned.values()].reduce((a, b) => a + b, 0);
  }
  if (problems.length > 0)
    throw new SimulationFailed(`${problems.length} problems, first: ${problems.slice(0, 5).join('; ')}`);
  const stats = warnings.stats();
  const storeReads = reads.items;
  return {
    open,
    stations,
    days,
    hours,
    totals: {
      schedulesCreated: stats.created,
      schedulesFired: stats.fired,
      warned: warnedTotal,
      escalated: escalatedTotal,
      findings: findingsTotal,
      sweepRuns,
      sweepReadsMax,
      sweepReadsTotal,
      storeReads,
      storeReadsPerOpenPerDay: storeReads / open / days,
      describeExecutionCalls: describeCalls,
    },
    before: {
      sweepReadsPerRunMax: open,
      heartbeatsPerSecondPeak: heartbeatPeak,
      sweepReadsPerWeek: oldSweepReads,
    },
    wallMs: Math.round(performance.now() - wallStart),
  };
}
