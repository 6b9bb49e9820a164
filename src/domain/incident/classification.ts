/**
 * Art 2 of the memorandum: the closed lists an incident is classified by, with the memorandum's
 * own Japanese labels (shown in the UI, documents and errors).
 */
export const INFO_CATEGORIES = [
  'personal',
  'customer',
  'trade_secret',
  'system_credentials',
  'other_confidential',
] as const;
export type InfoCategory = (typeof INFO_CATEGORIES)[number];

/** Art 2.1 (1)-(5) 対象情報 */
export const INFO_CATEGORY_LABELS: Record<InfoCategory, { ja: string; en: string }> = {
  personal: { ja: '個人情報', en: 'Personal information' },
  customer: { ja: '顧客情報', en: 'Customer information' },
  trade_secret: {
    ja: '営業秘密、ノウハウその他の機密情報',
    en: 'Trade secrets, know-how and other confidential information',
  },
  system_credentials: {
    ja: 'システム情報、認証情報及びアクセス権限情報',
    en: 'System, authentication and access-right information',
  },
  other_confidential: {
    ja: 'その他甲又は乙が秘密として管理する情報',
    en: 'Other information either party keeps secret',
  },
};

export const INCIDENT_KINDS = [
  'leak_loss_theft_damage',
  'cyber_attack',
  'human_error',
  'unauthorized_view_use',
  'other_serious',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** Art 2.2 (1)-(5) 情報漏えい事故 */
export const INCIDENT_KIND_LABELS: Record<IncidentKind, { ja: string; en: string }> = {
  leak_loss_theft_damage: {
    ja: '対象情報の漏えい、紛失、盗難又は毀損',
    en: 'Leak, loss, theft or damage of covered information',
  },
  cyber_attack: {
    ja: '不正アクセス、マルウェア感染その他のサイバー攻撃',
    en: 'Unauthorised access, malware or other cyber attack',
  },
  human_error: {
    ja: '誤送信、誤廃棄その他人的ミスによる情報流出',
    en: 'Disclosure by human error (mis-sending, mis-disposal …)',
  },
  unauthorized_view_use: {
    ja: '対象情報への不正閲覧又は不正利用',
    en: 'Unauthorised viewing or use of covered information',
  },
  other_serious: {
    ja: 'その他情報セキュリティ上重大な影響を及ぼす事象',
    en: 'Other events with serious security impact',
  },
};

export const CAUSE_ENTITIES = [
  'self',
  'contractor',
  'subcontractor',
  'officer',
  'employee',
  'other_related',
  'outside_attacker',
  'unknown',
] as const;
export type CauseEntity = (typeof CAUSE_ENTITIES)[number];

/** Art 3.1 「自ら又は委託先等」 and Art 7 (委託先、再委託先、役員、従業員その他関係者). */
export const CAUSE_ENTITY_LABELS: Record<CauseEntity, { ja: string; en: string }> = {
  self: { ja: '自社', en: 'The party itself' },
  contractor: { ja: '委託先', en: 'Contractor' },
  subcontractor: { ja: '再委託先', en: 'Sub-contractor' },
  officer: { ja: '役員', en: 'Officer' },
  employee: { ja: '従業員', en: 'Employee' },
  other_related: { ja: 'その他関係者', en: 'Other related person' },
  outside_attacker: { ja: '外部の攻撃者', en: 'Outside attacker' },
  unknown: { ja: '不明', en: 'Unknown' },
};
