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
  readonly needs?: {
    readonly relatedPerson: boolean;
    readonly event: boolean;
    readonly legalBasis?: boolean;
    readonly askedByLevel?: boolean;
  };
}

export interface Catalogue {
  readonly policyVersion: string;
  readonly kinds: readonly CatalogueKind[];
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

/** A certificate or a written reply as its holder sees it (`statement`: the full text, lines by `\n`). */
export interface PrintedDocument {
  readonly number: string;
  readonly verificationCode?: string;
  readonly issuedAt: string;
  readonly issuedBy?: string;
  readonly validUntil?: string;
  readonly title?: Text;
  readonly statement?: Text;
  readonly links?: { readonly verify?: string };
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
  readonly certificate?: PrintedDocument;
  /** 书面告知: the written reply of a decline or a refusal, printable and verifiable like a certificate. */
  readonly writtenReply?: PrintedDocument;
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
  /** `WRITTEN_REPLY` for a 书面告知; absent or `CERTIFICATE` for a certificate. */
  readonly document?: string;
  readonly title?: Text;
  /** The certified text with names and ID numbers masked, to check against the paper. */
  readonly statement?: Text;
  readonly validUntil?: string;
}
