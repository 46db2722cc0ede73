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
  ReviewClosure,
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
  /**
   * Complaints in `status`, one page: by deadline (waiting) or acceptance (ACCEPTED); concluded (UPHELD,
   * NOT_UPHELD) newest finish first. No Scan; a page reads at most `limit` complaints.
   */
  listComplaints(
    status: ComplaintStatus,
    options?: { limit?: number; cursor?: string },
  ): Promise<Page<ComplaintRecord>>;
  /**
   * How many complaints each station has in each status (`UNKNOWN`: complaints naming no station), from
   * the complaint counters kept as complaints are filed and move (shared/store/counters.ts; no complaint
   * read): the public tally.
   */
  complaintCounts(): Promise<{ station: string; status: ComplaintStatus; count: number }[]>;

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
  /**
   * Closes the rating's open review (one conditional write: `review` OPEN → CLOSED, `closure` kept, out of
   * the open-review list). The closed rating; undefined when it has no open review (none, or closed).
   */
  closeReview(requestId: string, closure: ReviewClosure): Promise<RatingRecord | undefined>;
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
