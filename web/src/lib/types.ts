/**
 * The API's JSON shapes as the pages read them: aliases of the types `npm run openapi` generates
 * (openapi-typescript) from the OpenAPI document, whose source is the zod schemas in
 * shared/schemas/responses.ts. No shape is kept by hand here; docs/api.md is the reference.
 */
import type { components } from '#shared/openapi/api-types.ts';

type Schemas = components['schemas'];

export type Catalogue = Schemas['Catalogue'];
export type CatalogueKind = Schemas['CatalogueKind'];
export type Accepted = Schemas['Accepted'];
export type HistoryEntry = Schemas['HistoryEntry'];
export type RequestView = Schemas['RequestView'];
export type CertificateCheck = Schemas['CertificateCheck'];
export type MetricsSummary = Schemas['MetricsSummary'];
export type StationQueue = Schemas['StationQueue'];
export type Stations = Schemas['Stations'];
export type IntakeRequest = Schemas['IntakeRequest'];
export type ConsoleRow = Schemas['ConsoleRow'];
export type SearchResult = Schemas['SearchResult'];
export type Revealed = Schemas['Revealed'];
export type Supervision = Schemas['Supervision'];
export type ComplaintAccepted = Schemas['ComplaintAccepted'];
export type ComplaintView = Schemas['ComplaintView'];
export type ComplaintList = Schemas['ComplaintList'];
export type ReviewList = Schemas['ReviewList'];
export type TransparencyAccountability = Schemas['TransparencyAccountability'];
export type AbolishedDemands = Schemas['AbolishedDemands'];
export type CitizenCodeSent = Schemas['CitizenCodeSent'];
export type CitizenSession = Schemas['CitizenSession'];
export type DataTracker = Schemas['DataTracker'];
export type CitizenRequests = Schemas['CitizenRequests'];
