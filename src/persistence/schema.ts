/**
 * Table types. Dialect-agnostic storage: instants as ISO-8601 UTC text, local dates as
 * `YYYY-MM-DD` text, JSON as text, booleans as 0/1 integers. Both dialects then read back
 * the same values and the repositories stay identical.
 */
export interface OrganizationsTable {
  id: string;
  name: string;
  address: string;
  representative: string;
  court: string | null;
  court_derived: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  id: string;
  organization_id: string | null;
  email: string;
  name: string;
  role: string;
  is_admin: number;
  password_hash: string | null;
  locale: string;
  version: number;
  created_at: string;
  updated_at: string;
  /** Set while the account is disabled (migration 0006). */
  disabled_at: string | null;
  /** Set once the user was removed from its organisation; the row stays (migration 0006). */
  removed_at: string | null;
  /** 0012: 1 = the daily digest mail (default), 0 = opted out. */
  daily_digest: number;
  /** 0012: the Japan date (YYYY-MM-DD) of the last digest pass that took the user. */
  digest_on: string | null;
}

export interface InvitationsTable {
  id: string;
  user_id: string;
  token_hash: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: string;
  token_hash: string;
  user_id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  /** Null: no expiry (migration 0006). */
  expires_at: string | null;
}

/** A user's secret iCalendar feed URL; only the token's SHA-256 is stored (migration 0010). */
export interface CalendarFeedsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  last_used_at: string | null;
}

export interface AgreementsTable {
  id: string;
  party_a_id: string;
  party_b_id: string;
  signed_on: string | null;
  parameters: string;
  date_style: string;
  court: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  /** 0007: the signatures of both parties; signed_on is set once both have signed. */
  proposed_signed_on: string | null;
  signed_a_at: string | null;
  signed_a_by: string | null;
  signed_b_at: string | null;
  signed_b_by: string | null;
  signed_on_paper: number;
  /** 0016: first day a confirmed mutual termination (合意解約) ends it; null = none. */
  mutual_termination_on: string | null;
}

export interface TerminationNoticesTable {
  id: string;
  agreement_id: string;
  by_party: string;
  received_on: string;
  on_time: number;
  effective_end: string;
  recorded_by: string | null;
  created_at: string;
  /** 0005: letter | pdf_email | other; null = not stated. */
  method: string | null;
  /** 0005: next_term | not_effective for a late notice; null when on time. */
  late_effect: string | null;
}

export interface AuditEventsTable {
  id: string;
  chain: string;
  seq: number;
  occurred_at: string;
  actor_user_id: string | null;
  actor_org_id: string | null;
  action: string;
  record_type: string;
  record_id: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadsTable {
  chain: string;
  seq: number;
  hash: string;
}

/** audit_signed_heads and audit_checkpoints (0008): a chain position signed with the instance key. */
export interface AuditSignedPositionTable {
  chain: string;
  seq: number;
  hash: string;
  at: string;
  signature: string;
}

export interface AuditReceiptsTable extends AuditSignedPositionTable {
  id: string;
  dedupe: string;
  reason: string;
  issued_at: string;
}

/** audit_timestamps (0011): an RFC 3161 time-stamp of a signed head (issue 7, finding 4c). */
export interface AuditTimestampsTable {
  id: string;
  chain: string;
  seq: number;
  hash: string;
  at: string;
  gen_time: string;
  tsa: string;
  tsa_subject: string;
  tsa_cert_sha256: string;
  /** The TimeStampToken (CMS SignedData), DER in base64. */
  token: string;
  created_at: string;
}

export interface AuditVerificationRunsTable {
  id: string;
  kind: string;
  started_at: string;
  finished_at: string;
  ok: number;
  checked: number;
  chains: number;
  /** JSON array of the breaks found (ChainBreak), at most 1000. */
  breaks: string;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  response_type: string | null;
  created_at: string;
}

export interface OutboxTable {
  id: string;
  kind: string;
  dedupe_key: string;
  payload: string;
  state: string;
  attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  /** The runner instance holding the lease (migration 0009); null when not leased. */
  locked_by: string | null;
  last_error: string | null;
  created_at: string;
  done_at: string | null;
}

export interface IncidentsTable {
  id: string;
  agreement_id: string;
  reporting_party: string;
  title: string;
  summary: string;
  info_categories: string;
  kinds: string;
  cause_entity: string;
  suspected: number;
  state: string;
  dismissed_reason: string | null;
  dismissed_at: string | null;
  occurred_at: string | null;
  discovered_at: string;
  affected_persons: number | null;
  affected_persons_estimated: number;
  affected_records: number | null;
  affected_records_estimated: number;
  data_items: string;
  sensitive_data: number;
  financial_harm_risk: number;
  improper_purpose: number;
  encrypted: number;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  /** When the first notice of the reporting party was sent: from then on both parties see the incident. */
  first_notice_at: string | null;
}

export interface NoticesTable {
  id: string;
  incident_id: string;
  agreement_id: string;
  from_party: string;
  number: number;
  items: string;
  sent_at: string;
  sent_by: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

export interface ItemRequestsTable {
  id: string;
  incident_id: string;
  requested_by_party: string;
  requested_by: string | null;
  question: string;
  requested_at: string;
  due_at: string;
  answer: string | null;
  answered_at: string | null;
  answered_by: string | null;
}

export interface ContainmentActionsTable {
  id: string;
  incident_id: string;
  by_party: string;
  kind: string;
  description: string;
  taken_at: string;
  result: string | null;
  recorded_by: string | null;
  created_at: string;
}

export interface ObligationWaiversTable {
  obligation_id: string;
  incident_id: string;
  waived_by: string | null;
  reason: string;
  created_at: string;
}

export interface ObligationClocksTable {
  obligation_id: string;
  incident_id: string;
  agreement_id: string;
  next_stage: string | null;
  next_at: string | null;
  updated_at: string;
  /** The obligation index: each opaque id stored with its clause, source record and parties. */
  clause: string | null;
  source_type: string | null;
  source_id: string | null;
  owed_by: string | null;
  owed_to: string | null;
}

export interface DiscoveryCorrectionsTable {
  id: string;
  incident_id: string;
  agreement_id: string;
  by_party: string;
  requested_by: string | null;
  from_discovered_at: string;
  to_discovered_at: string;
  reason: string;
  state: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
}

export interface WebhooksTable {
  id: string;
  organization_id: string;
  url: string;
  events: string;
  secret: string;
  active: number;
  created_by: string | null;
  created_at: string;
}

/** 0014: evidence files of an incident (Art 4.2(7)); size in bytes, sha256 lower-case hex. */
export interface EvidenceTable {
  id: string;
  incident_id: string;
  agreement_id: string;
  party: string;
  filename: string;
  description: string | null;
  size: number;
  sha256: string;
  storage_key: string;
  visibility: string;
  collected_by: string | null;
  collected_at: string;
  shared_by: string | null;
  shared_at: string | null;
  version: number;
}

/** 0014: chain of custody of an evidence file; each entry is also the audit event (chain, seq). */
export interface EvidenceCustodyTable {
  id: string;
  evidence_id: string;
  action: string;
  party: string | null;
  actor_user_id: string | null;
  at: string;
  detail: string;
  audit_chain: string;
  audit_seq: number;
}

/** 0013: Art 4.2 cooperation requests; evidence_ids is a JSON array of evidence ids. */
export interface CooperationRequestsTable {
  id: string;
  incident_id: string;
  agreement_id: string;
  from_party: string;
  to_party: string;
  category: string;
  details: string;
  requested_by: string | null;
  requested_at: string;
  due_at: string;
  state: string;
  responded_at: string | null;
  responded_by: string | null;
  decline_reason: string | null;
  deliver_by: string | null;
  delivered_at: string | null;
  delivered_by: string | null;
  answer: string | null;
  evidence_ids: string;
  version: number;
}

/** 0013: Art 12 consultations about a subject (incident, cooperation request, disclosure, …). */
export interface ConsultationsTable {
  id: string;
  agreement_id: string;
  incident_id: string;
  subject_type: string;
  subject_id: string;
  topic: string;
  opened_by_party: string;
  opened_by: string | null;
  opened_at: string;
  state: string;
  outcome: string | null;
  outcome_by_party: string | null;
  outcome_by: string | null;
  outcome_at: string | null;
  agreed_by: string | null;
  agreed_at: string | null;
  version: number;
}

/** 0013: a consultation's messages, outcome proposals and confirmation, in order. */
export interface ConsultationMessagesTable {
  id: string;
  consultation_id: string;
  kind: string;
  by_party: string;
  by_user: string | null;
  body: string;
  created_at: string;
}

/** 0015: Art 5 third-party disclosures (prior_notice: 0/1, null until the disclosure is recorded). */
export interface DisclosuresTable {
  id: string;
  incident_id: string;
  agreement_id: string;
  by_party: string;
  filed_by: string | null;
  recipient: string;
  purpose: string;
  scope: string;
  basis: string;
  basis_reference: string | null;
  state: string;
  filed_at: string;
  counterparty_notified_at: string | null;
  decided_by: string | null;
  decided_at: string | null;
  conditions: string | null;
  decision_reason: string | null;
  disclosed_at: string | null;
  disclosure_recorded_at: string | null;
  disclosure_recorded_by: string | null;
  prior_notice: number | null;
  version: number;
}

/** 0015: packages built for a disclosure's recipient; files is JSON [{path, sha256, size}]. */
export interface DisclosurePackagesTable {
  id: string;
  disclosure_id: string;
  incident_id: string;
  agreement_id: string;
  by_party: string;
  built_by: string | null;
  built_at: string;
  manifest_sha256: string;
  files: string;
}

/** 0015: a party's notes on an incident; visibility 'party' (own company only) or 'shared'. */
export interface IncidentNotesTable {
  id: string;
  incident_id: string;
  agreement_id: string;
  by_party: string;
  author_id: string | null;
  body: string;
  visibility: string;
  created_at: string;
}

/** 0016: proposals of a mutual termination (合意解約): pending | confirmed | withdrawn. */
export interface MutualTerminationsTable {
  id: string;
  agreement_id: string;
  proposed_by_party: string;
  proposed_by: string | null;
  proposed_at: string;
  effective_on: string;
  state: string;
  decided_by: string | null;
  decided_at: string | null;
}

/** 0016: Art 6 announcements; state draft | published; emergency_* set for an Art 6.2 publication. */
export interface AnnouncementsTable {
  id: string;
  incident_id: string;
  agreement_id: string;
  by_party: string;
  created_by: string | null;
  created_at: string;
  channel: string;
  state: string;
  latest_version: number;
  published_version: number | null;
  published_at: string | null;
  published_url: string | null;
  published_by: string | null;
  published_by_party: string | null;
  publication_recorded_at: string | null;
  final_title: string | null;
  final_body: string | null;
  emergency_reason: string | null;
  emergency_explanation: string | null;
  version: number;
}

/** 0016: an announcement's versions, numbered 1, 2, … */
export interface AnnouncementVersionsTable {
  id: string;
  announcement_id: string;
  number: number;
  title: string;
  body: string;
  by_party: string;
  created_by: string | null;
  created_at: string;
}

/** 0016: one party's approval of one version (Art 6.1). */
export interface AnnouncementApprovalsTable {
  id: string;
  announcement_id: string;
  version_number: number;
  party: string;
  approved_by: string | null;
  approved_at: string;
}

export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  invitations: InvitationsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  calendar_feeds: CalendarFeedsTable;
  agreements: AgreementsTable;
  termination_notices: TerminationNoticesTable;
  audit_events: AuditEventsTable;
  audit_heads: AuditHeadsTable;
  audit_signed_heads: AuditSignedPositionTable;
  audit_checkpoints: AuditSignedPositionTable;
  audit_receipts: AuditReceiptsTable;
  audit_verification_runs: AuditVerificationRunsTable;
  audit_timestamps: AuditTimestampsTable;
  idempotency_keys: IdempotencyKeysTable;
  outbox: OutboxTable;
  incidents: IncidentsTable;
  notices: NoticesTable;
  item_requests: ItemRequestsTable;
  containment_actions: ContainmentActionsTable;
  obligation_waivers: ObligationWaiversTable;
  obligation_clocks: ObligationClocksTable;
  discovery_corrections: DiscoveryCorrectionsTable;
  webhooks: WebhooksTable;
  disclosures: DisclosuresTable;
  disclosure_packages: DisclosurePackagesTable;
  incident_notes: IncidentNotesTable;
  cooperation_requests: CooperationRequestsTable;
  consultations: ConsultationsTable;
  consultation_messages: ConsultationMessagesTable;
  evidence: EvidenceTable;
  evidence_custody: EvidenceCustodyTable;
  mutual_terminations: MutualTerminationsTable;
  announcements: AnnouncementsTable;
  announcement_versions: AnnouncementVersionsTable;
  announcement_approvals: AnnouncementApprovalsTable;
}
