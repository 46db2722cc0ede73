/** The API's JSON shapes as the pages read them (shared/design/API.md). Fields the pages do not use are omitted. */
import type { Text } from './i18n.ts';

export interface CatalogueKind {
  readonly code: string;
  readonly name: Text;
  readonly treatment: string;
  readonly ruleId: string;
  readonly basis?: Text;
  readonly heldBy?: string;
  readonly heldByName?: Text;
  readonly explanation?: Text;
  readonly needs: {
    readonly relatedPerson: boolean;
    readonly event: boolean;
    readonly legalBasis?: boolean;
    readonly askedByLevel?: boolean;
  };
}

export interface Catalogue {
  readonly policyVersion: string;
  readonly kinds: readonly CatalogueKind[];
  readonly bodies: readonly { readonly code: string; readonly name: Text; readonly connected: boolean }[];
  readonly purposes: readonly { readonly code: string; readonly name: Text }[];
  readonly service: {
    readonly investigationWorkingDays: number;
    readonly warnWorkingDaysBefore: number;
    readonly escalationIntervalWorkingDays: number;
  };
}

export interface Accepted {
  readonly requestId: string;
  readonly accessToken: string;
  readonly status: string;
}

export interface HistoryEntry {
  readonly at: string;
  readonly type: string;
  readonly actor?: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface RequestView {
  readonly requestId: string;
  readonly proof: string;
  readonly proofName?: Text;
  readonly status: string;
  readonly decision?: {
    readonly outcome: string;
    readonly ruleId: string;
    readonly policyVersion: string;
    readonly reason?: Text;
    readonly guidance?: Text;
    readonly basis?: Text;
    readonly heldBy?: string;
    readonly heldByName?: Text;
    readonly exchange?: { readonly department: string; readonly question?: string };
    readonly commitment?: { readonly department: string; readonly text: Text };
  };
  readonly station?: string;
  readonly stationName?: string;
  readonly acceptedAt?: string;
  readonly deadline?: string;
  readonly deadlineProvisional?: boolean;
  readonly escalationLevel?: number;
  readonly certificate?: {
    readonly number: string;
    readonly verificationCode?: string;
    readonly issuedAt: string;
    readonly issuedBy?: string;
    readonly validUntil?: string;
    readonly links?: { readonly verify?: string };
  };
  readonly finding?: {
    readonly outcome: string;
    readonly note?: string;
    readonly by?: string;
    readonly at?: string;
  };
  readonly history?: readonly HistoryEntry[];
  /** Officer and supervisor views may include what was filed. */
  readonly input?: Readonly<Record<string, unknown>>;
  readonly subject?: Readonly<Record<string, unknown>>;
  readonly purpose?: Readonly<Record<string, unknown>>;
  readonly askedBy?: string;
}

export interface CertificateCheck {
  readonly valid: boolean;
  readonly kind: string;
  readonly kindName?: Text;
  readonly issuedAt: string;
  readonly issuedBy: string;
  readonly issuedByName?: string;
  readonly subjectName: string;
  readonly status: string;
}
