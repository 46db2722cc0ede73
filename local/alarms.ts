/**
 * The deadline-escalation alarms on the local stack: the same definitions CDK deploys as CloudWatch
 * alarms (shared/config/alarms.ts), evaluated over the metrics the functions emit. `RecordingMetrics`
 * (Powertools Metrics, EMF output off locally) hands every `addMetric` to `LocalAlarms`, which keeps each
 * alarm's state and the transitions that happened — OK → ALARM when it fires, ALARM → OK when it clears —
 * served at `GET /_local/alarms` and appended to `DIR/alarms.jsonl`. Times are the stack's clock.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Clock } from '#shared/clock.ts';
import { ALARM_PERIOD_MINUTES, type AlarmDefinition, statisticOf } from '#shared/config/alarms.ts';

export interface AlarmTransition {
  alarm: string;
  metricName: string;
  state: 'ALARM' | 'OK';
  /** The statistic over the period that caused it (undefined: no data in the period). */
  value?: number;
  threshold: number;
  at: string;
}

const PERIOD_MS = ALARM_PERIOD_MINUTES * 60_000;

export class LocalAlarms {
  readonly #datapoints = new Map<string, { at: number; value: number }[]>();
  readonly #state = new Map<string, 'OK' | 'ALARM'>();
  readonly #transitions: AlarmTransition[] = [];

  private constructor(
    readonly definitions: readonly AlarmDefinition[],
    private readonly clock: Pick<Clock, 'now'>,
    private readonly file: string | undefined,
  ) {}

  /** The alarms of `definitions`, with the transitions kept in `DIR/alarms.jsonl` (when a dir is given). */
  static async open(
    definitions: readonly AlarmDefinition[],
    clock: Pick<Clock, 'now'>,
    dataDir?: string,
  ): Promise<LocalAlarms> {
    const file = dataDir ? join(dataDir, 'alarms.jsonl') : undefined;
    const alarms = new LocalAlarms(definitions, clock, file);
    if (file) {
      const text = await readFile(file, 'utf8').catch(() => '');
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        try {
          const t = JSON.parse(line) as AlarmTransition;
          alarms.#transitions.push(t);
          alarms.#state.set(t.alarm, t.state);
        } catch {
          // a torn last line: skipped
        }
      }
    }
    return alarms;
  }

  /** One datapoint of a metric, now; the alarms on it are evaluated at once. */
  async record(metricName: string, value: number): Promise<void> {
    if (!this.definitions.some((d) => d.metricName === metricName)) return;
    const points = this.#datapoints.get(metricName) ?? [];
    points.push({ at: this.clock.now(), value });
    this.#datapoints.set(metricName, points);
    await this.evaluate();
  }

  /** Evaluates every alarm over the last period; records and persists each state change. */
  async evaluate(): Promise<void> {
    const now = this.clock.now();
    for (const definition of this.definitions) {
      const points = (this.#datapoints.get(definition.metricName) ?? []).filter(
        (p) => p.at > now - PERIOD_MS,
      );
      this.#datapoints.set(definition.metricName, points);
      const value = statisticOf(
        definition.statistic,
        points.map((p) => p.value),
      );
      const breaching = value !== undefined && value >= definition.threshold;
      const state = this.#state.get(definition.id) ?? 'OK';
      const next = breaching ? 'ALARM' : 'OK';
      if (next === state) continue;
      this.#state.set(definition.id, next);
      const transition: AlarmTransition = {
        alarm: definition.id,
        metricName: definition.metricName,
        state: next,
        ...(value !== undefined ? { value } : {}),
        threshold: definition.threshold,
        at: new Date(now).toISOString(),
      };
      this.#transitions.push(transition);
      if (this.file) await appendFile(this.file, `${JSON.stringify(transition)}\n`);
    }
  }

  /** `GET /_local/alarms`: each alarm's definition and state, and the transitions, newest first. */
  async view() {
    await this.evaluate();
    return {
      alarms: this.definitions.map((d) => ({ ...d, state: this.#state.get(d.id) ?? 'OK' })),
      transitions: [...this.#transitions].reverse(),
    };
  }
}

/** Powertools Metrics that also hands each datapoint to the local alarms. */
export class RecordingMetrics extends Metrics {
  constructor(
    options: ConstructorParameters<typeof Metrics>[0],
    private readonly alarms: LocalAlarms,
  ) {
    super(options);
  }

  override addMetric(...args: Parameters<Metrics['addMetric']>): this {
    super.addMetric(...args);
    const [name, , value] = args;
    void this.alarms.record(name, value).catch(() => undefined);
    return this;
  }
}
