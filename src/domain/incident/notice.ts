/**
 * Art 3.2: a notice carries six items 「判明している範囲で」. Each is text, or null meaning
 * 調査中 (under investigation). The first notice is 第一報; later ones are 続報 with a version.
 */
export const NOTICE_ITEMS = [
  'occurredOn',
  'summary',
  'informationScope',
  'expectedImpact',
  'measures',
  'otherMatters',
] as const;
export type NoticeItemKey = (typeof NOTICE_ITEMS)[number];
export type NoticeItems = Record<NoticeItemKey, string | null>;

export const NOTICE_ITEM_LABELS: Record<NoticeItemKey, { ja: string; en: string; article: string }> = {
  occurredOn: { ja: '発生日又は発覚日', en: 'Date of occurrence or discovery', article: '3.2(1)' },
  summary: { ja: '発生した事象の概要', en: 'Summary of the event', article: '3.2(2)' },
  informationScope: {
    ja: '対象情報の種類及び範囲',
    en: 'Kind and scope of the information',
    article: '3.2(3)',
  },
  expectedImpact: { ja: '想定される影響', en: 'Expected impact', article: '3.2(4)' },
  measures: { ja: '実施済み又は予定している対策', en: 'Measures taken or planned', article: '3.2(5)' },
  otherMatters: {
    ja: 'その他相手方が合理的に求める事項',
    en: 'Other matters the counterparty reasonably asks for',
    article: '3.2(6)',
  },
};

export const UNDER_INVESTIGATION = { ja: '調査中', en: 'Under investigation' } as const;

export function noticeLabel(version: number): { ja: string; en: string } {
  return version === 1
    ? { ja: '第一報', en: 'First notice' }
    : { ja: `続報（第${version}報）`, en: `Follow-up notice #${version}` };
}

export type ItemChange = 'unchanged' | 'added' | 'changed' | 'withdrawn';

export interface NoticeItemDiff {
  item: NoticeItemKey;
  change: ItemChange;
  before: string | null;
  after: string | null;
}

/**
 * A readable diff of a follow-up against the previous notice, item by item: a value that was
 * 調査中 and is now known is `added`; known → different text is `changed`; known → 調査中 is `withdrawn`.
 */
export function diffNoticeItems(previous: NoticeItems | null, next: NoticeItems): NoticeItemDiff[] {
  return NOTICE_ITEMS.map((item) => {
    const before = previous ? previous[item] : null;
    const after = next[item];
    const change: ItemChange =
      before === after ? 'unchanged' : before === null ? 'added' : after === null ? 'withdrawn' : 'changed';
    return { item, change, before, after };
  });
}

/** Items still 調査中 in a notice. */
export function pendingItems(items: NoticeItems): NoticeItemKey[] {
  return NOTICE_ITEMS.filter((k) => items[k] === null);
}
