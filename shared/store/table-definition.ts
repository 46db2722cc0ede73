/**
 * The one DynamoDB table of certflow (single-table design), as data. The local stack creates it with
 * `toCreateTableInput`; `infra/` deploys the same definition. Nothing else describes the table.
 *
 * Indexes (both sparse: only items that carry the keys are projected):
 * - `byOpenStatus` (gsi1pk, gsi1sk): requests that are not final, by status (8 shards, keys.ts
 *   `STATUS_SHARDS`), ordered by deadline — the sweeper's "due and overdue" query, the overdue count, the
 *   supervision report's open requests — and complaints by status. It projects only the keys and a few
 *   non-personal attributes (`STATUS_INDEX_ATTRIBUTES`): never a name, an ID number or a phone; readers
 *   that need the whole item fetch the page's items by key (BatchGetItem, at most a page). Before issue 18
 *   it was `byStatusDeadline` (every request ever, ALL attributes): see `LEGACY_STATUS_INDEX`.
 * - `byOwner` (gsi2pk, gsi2sk): what belongs to a station (its queue, by deadline) or to a department
 *   (its exchange records, newest first).
 */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /** The non-key attributes the index projects (INCLUDE); absent: ALL attributes. */
  readonly include?: readonly string[];
}

/** The status index (gsi1): open requests by status shard and deadline; complaints by status. */
export const STATUS_INDEX = 'byOpenStatus';
/** Its name before issue 18 (unsharded, every request, ALL attributes): kept for the migration only. */
export const LEGACY_STATUS_INDEX = 'byStatusDeadline';
/** The owner index (gsi2): a station's queue and done list, a department's records, … */
export const OWNER_INDEX = 'byOwner';
/**
 * What the status index projects besides the table and index keys: what its readers decide on without
 * fetching the item (the overdue count reads `deadline`; the public complaint tally `station` and
 * `status`). No personal data: no name, ID number, phone or free text.
 */
export const STATUS_INDEX_ATTRIBUTES = [
  'itemType',
  'requestId',
  'complaintId',
  'status',
  'station',
  'deadline',
  'acceptedAt',
  'updatedAt',
] as const;

export interface TableDefinition {
  readonly logicalName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly globalSecondaryIndexes: readonly IndexDefinition[];
  /** Expiry attribute (epoch seconds). AWS deletes expired items; dynalite ignores it, so nothing may rely on it. */
  readonly timeToLiveAttribute: string;
}

export const certflowTable = {
  logicalName: 'certflow',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: STATUS_INDEX,
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
      include: STATUS_INDEX_ATTRIBUTES,
    },
    {
      indexName: OWNER_INDEX,
      partitionKey: { name: 'gsi2pk', type: 'S' },
      sortKey: { name: 'gsi2sk', type: 'S' },
    },
  ],
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableDefinition;

/** An index's projection as DynamoDB spells it: INCLUDE its `include` list, else ALL. */
export function projectionOf(index: IndexDefinition) {
  return index.include
    ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.include] }
    : { ProjectionType: 'ALL' as const };
}

/** The CreateTable input (on-demand billing, each index's projection) for a table of this definition. */
export function toCreateTableInput(definition: TableDefinition, tableName: string) {
  const attributes = new Map<string, KeyAttribute>();
  for (const key of [definition.partitionKey, definition.sortKey]) attributes.set(key.name, key);
  for (const index of definition.globalSecondaryIndexes) {
    attributes.set(index.partitionKey.name, index.partitionKey);
    attributes.set(index.sortKey.name, index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attributes.values()].map((a) => ({
      AttributeName: a.name,
      AttributeType: a.type,
    })),
    KeySchema: [
      { AttributeName: definition.partitionKey.name, KeyType: 'HASH' as const },
      { AttributeName: definition.sortKey.name, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: definition.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' as const },
      ],
      Projection: projectionOf(index),
    })),
  };
}
