/**
 * An in-memory double of the accountability store port (`AccountabilityStore`,
 * shared/store/accountability-port.ts) for unit tests of the complaint use cases: the same rules as
 * `DynamoAccountabilityStore` — version- and status-checked complaint writes (`VersionConflictError`),
 * forward-only statuses (`StatusRegressionError`), put-if-absent ratings and accountability records.
 * `DynamoAccountabilityStore` itself runs against dynalite in the e2e suite.
 */
import {
  type AccountabilityRecord,
  type ComplaintEvent,
  type ComplaintRecord,
  type ComplaintStatus,
  isComplaintForward,
  type RatingRecord,
  type ReviewClosure,
} from '#shared/domain/complaint.ts';
import { StatusRegressionError } from '#shared/domain/request.ts';
import type { AccountabilityStore } from '#shared/store/accountability-port.ts';
import { ratingDeltas, scoreCounts } from '#shared/store/counters.ts';
import { VersionConflictError } from '#shared/store/errors.ts';
import type { Page } from '#shared/store/model.ts';

const clone = <T>(value: T): T => structuredClone(value);

export class InMemoryAccountabilityStore implements AccountabilityStore {
  readonly complaints = new Map<string, ComplaintRecord>();
  readonly records = new Map<string, AccountabilityRecord>();
  readonly ratings = new Map<string, RatingRecord>();
  /** Finished requests by station (what `finishedByStation` reads from the request items on DynamoDB). */
  finished: { station: string; onTime?: boolean }[] = [];

  async createComplaint(record: Omit<ComplaintRecord, 'version'>): Promise<boolean> {
    if (this.complaints.has(record.complaintId)) return false;
    this.complaints.set(record.complaintId, clone({ ...record, version: 1 }));
    return true;
  }

  async getComplaint(complaintId: string): Promise<ComplaintRecord | undefined> {
    const c = this.complaints.get(complaintId);
    return c ? clone(c) : undefined;
  }

  async updateComplaint(
    current: ComplaintRecord,
    changes: Partial<ComplaintRecord>,
    event: Omit<ComplaintEvent, 'at'> | undefined,
    at: string,
  ): Promise<ComplaintRecord> {
    const status = changes.status ?? current.status;
    if (!isComplaintForward(current.status, status))
      throw new StatusRegressionError(`complaint ${current.complaintId}: ${current.status} → ${status}`);
    const stored = this.complaints.get(current.complaintId);
    if (!stored || stored.version !== current.version || stored.status !== current.status)
      throw new VersionConflictError(`complaint ${current.complaintId} v${current.version}`);
    const next: ComplaintRecord = {
      ...clone(current),
      ...clone(changes),
      version: current.version + 1,
      updatedAt: at,
      history: event ? [...current.history, { ...event, at }] : current.history,
    };
    for (const [k, v] of Object.entries(changes))
      if (v === undefined) delete (next as unknown as Record<string, unknown>)[k];
    this.complaints.set(current.complaintId, clone(next));
    return next;
  }

  async listComplaints(
    status: ComplaintStatus,
    options: { limit?: number } = {},
  ): Promise<Page<ComplaintRecord>> {
    const items = [...this.complaints.values()]
      .filter((c) => c.status === status)
      .sort((a, b) => (a.deadline ?? a.acceptedAt).localeCompare(b.deadline ?? b.acceptedAt))
      .slice(0, options.limit ?? 50);
    return { items: clone(items) };
  }

  async complaintCounts(): Promise<{ station: string; status: ComplaintStatus; count: number }[]> {
    const counts = new Map<string, { station: string; status: ComplaintStatus; count: number }>();
    for (const c of this.complaints.values()) {
      const station = c.station ?? 'UNKNOWN';
      const row = counts.get(`${station}#${c.status}`) ?? { station, status: c.status, count: 0 };
      row.count += 1;
      counts.set(`${station}#${c.status}`, row);
    }
    return [...counts.values()];
  }

  async putAccountabilityRecord(record: AccountabilityRecord): Promise<void> {
    if (!this.records.has(record.recordId)) this.records.set(record.recordId, clone(record));
  }

  async listAccountability(
    subject: { officer: string } | { body: string },
  ): Promise<Page<AccountabilityRecord>> {
    const items = [...this.records.values()]
      .filter((r) =>
        'officer' in subject
          ? r.subject === 'OFFICER' && r.officer === subject.officer
          : r.subject === 'BODY' && r.body === subject.body,
      )
      .sort((a, b) => b.at.localeCompare(a.at));
    return { items: clone(items) };
  }

  async putRating(record: RatingRecord): Promise<boolean> {
    if (this.ratings.has(record.requestId)) return false;
    this.ratings.set(record.requestId, clone(record));
    return true;
  }

  async getRating(requestId: string): Promise<RatingRecord | undefined> {
    const r = this.ratings.get(requestId);
    return r ? clone(r) : undefined;
  }

  async closeReview(requestId: string, closure: ReviewClosure): Promise<RatingRecord | undefined> {
    const rating = this.ratings.get(requestId);
    if (rating?.review !== 'OPEN') return undefined;
    const closed: RatingRecord = { ...rating, review: 'CLOSED', closure: clone(closure) };
    this.ratings.set(requestId, closed);
    return clone(closed);
  }

  async listOpenReviews(): Promise<Page<RatingRecord>> {
    return { items: clone([...this.ratings.values()].filter((r) => r.review === 'OPEN')) };
  }

  async finishedByStation(): Promise<{ station: string; finished: number; late: number }[]> {
    const rows = new Map<string, { finished: number; late: number }>();
    for (const f of this.finished) {
      const row = rows.get(f.station) ?? { finished: 0, late: 0 };
      row.finished += 1;
      if (f.onTime === false) row.late += 1;
      rows.set(f.station, row);
    }
    return [...rows.entries()].map(([station, r]) => ({ station, ...r }));
  }

  async ratingsByStation(): Promise<{ station: string; score: number; count: number }[]> {
    const deltas = [...this.ratings.values()].flatMap((r) =>
      ratingDeltas(r)
        .slice(0, 1)
        .map((d) => d.add),
    );
    return scoreCounts(deltas).map(({ key, score, count }) => ({ station: key ?? 'UNKNOWN', score, count }));
  }

  async officerRatings(officer: string): Promise<{ score: number; count: number }[]> {
    const mine = [...this.ratings.values()].filter((r) => r.officer === officer);
    return scoreCounts(mine.map((r) => ({ [`r#${r.score}`]: 1 }))).map(({ score, count }) => ({
      score,
      count,
    }));
  }
}
