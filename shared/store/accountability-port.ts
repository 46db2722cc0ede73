/**
 * The accountability store as the use cases see it (a port beside `CertflowStore`): complaints, their
 * accountability records, ratings and the reviews poor ratings open. `DynamoAccountabilityStore`
 * (dynamo-accountability.ts) implements it on the same single table; keys in keys.ts.
 */
import type {
  AccountabilityRecord,
  ComplaintEvent,
  ComplaintRecord,
  ComplaintStatus,
  RatingRecord,
} from '#shared/domain/complaint.ts';
import type { Page } from './model.ts';

export interface AccountabilityStore {
  /** Creates the complaint (version 1) unless one has this id; false if it exists. */
  createComplaint(record: Omit<ComplaintRecord, 'version'>): Promise<boolean>;
  getComplaint(complaintId: string): Promise<ComplaintRecord | undefined>;
  /**
   * Writes `changes` plus `event` (appended to the history, stamped `at`; none for bookkeeping such as a
   * new task token) as version + 1, if the stored
   * version and status are still `current`'s — one conditional write. Throws VersionConflictError, or
   * StatusRegressionError for a backward status.
   */
  updateComplaint(
    current: ComplaintRecord,
    changes: Partial<ComplaintRecord>,
    event: Omit<ComplaintEvent, 'at'> | undefined,
    at: string,
  ): Promise<ComplaintRecord>;
  /** Complaints in `status`, by deadline (waiting), acceptance (ACCEPTED) or finish (final); no Scan. */
  listComplaints(
    status: ComplaintStatus,
    options?: { limit?: number; cursor?: string },
  ): Promise<Page<ComplaintRecord>>;
  /** `station` and `status` of every complaint (one Query per status, projected): the public tally. */
  complaintStations(): Promise<{ station?: string; status: ComplaintStatus }[]>;

  /** Stores the record once (idempotent by `recordId`). */
  putAccountabilityRecord(record: AccountabilityRecord): Promise<void>;
  /** An officer's, or an asking body's, accountability records, newest first. */
  listAccountability(
    subject: { officer: string } | { body: string },
    options?: { limit?: number; cursor?: string },
  ): Promise<Page<AccountabilityRecord>>;

  /** Stores the request's rating if it has none; false when it was rated already. */
  putRating(record: RatingRecord): Promise<boolean>;
  getRating(requestId: string): Promise<RatingRecord | undefined>;
  /** Ratings whose review is open (score at or below the threshold), oldest first. */
  listOpenReviews(options?: { limit?: number; cursor?: string }): Promise<Page<RatingRecord>>;
  /**
   * Per station, how many requests finished there and how many of those late (`onTime === false`), all
   * time, from the status counters (shared/store/counters.ts; no request read): the public on-time rate.
   */
  finishedByStation(): Promise<{ station: string; finished: number; late: number }[]>;
  /**
   * How many ratings each station got, per score (`UNKNOWN`: ratings naming no station), from the rating
   * counters kept as ratings are given (shared/store/counters.ts; no rating read): the public figures.
   */
  ratingsByStation(): Promise<{ station: string; score: number; count: number }[]>;
  /** How many ratings one officer got, per score (the officer's rating counter). */
  officerRatings(officer: string): Promise<{ score: number; count: number }[]>;
}
