import { describe, expect, it } from 'vitest';
import { auditActionText, auditActorText, noticeName } from './auditLabels';

const parties = {
  partyA: { id: 'org_a', name: '株式会社甲データ' },
  partyB: { id: 'org_b', name: '乙システムズ株式会社' },
};

describe('audit list wording', () => {
  it('names the notice an event sent or acknowledged (第一報 / 続報（第2報）), in both languages', () => {
    expect(auditActionText({ action: 'notice.sent', payload: { number: 1 } }, 'ja')).toBe('第一報を送信');
    expect(auditActionText({ action: 'notice.sent', payload: { number: 2 } }, 'ja')).toBe(
      '続報（第2報）を送信',
    );
    expect(auditActionText({ action: 'notice.acknowledged', payload: { number: 1 } }, 'ja')).toBe(
      '第一報の受領を確認',
    );
    expect(auditActionText({ action: 'notice.sent', payload: { number: 1 } }, 'en')).toBe(
      'First notice sent',
    );
    expect(auditActionText({ action: 'notice.acknowledged', payload: { number: 3 } }, 'en')).toBe(
      'Follow-up notice #3 acknowledged',
    );
  });

  it('falls back to the generic label without a number (the administrator’s redacted payload) and to the raw action', () => {
    expect(auditActionText({ action: 'notice.sent', payload: { redacted: true } }, 'ja')).toBe('通知を送信');
    expect(auditActionText({ action: 'notice.sent', payload: { number: 0 } }, 'en')).toBe('Notice sent');
    expect(auditActionText({ action: 'incident.reported', payload: { number: 1 } }, 'ja')).toBe('事故を登録');
    expect(auditActionText({ action: 'something.new', payload: null }, 'en')).toBe('something.new');
  });

  it('matches the server’s notice names', () => {
    expect([1, 2, 10].map((n) => noticeName(n, 'ja'))).toEqual(['第一報', '続報（第2報）', '続報（第10報）']);
    expect(noticeName(2, 'en')).toBe('Follow-up notice #2');
  });

  it('shows the actor with its company, the administrator as such, the system as システム', () => {
    const actor = (userId: string | null, name: string | null, organizationId: string | null) => ({
      userId,
      name,
      organizationId,
    });
    expect(auditActorText(actor('usr_1', '乙山 次郎', 'org_b'), parties, 'ja')).toBe(
      '乙山 次郎（乙システムズ株式会社）',
    );
    expect(auditActorText(actor('usr_2', '甲野 太郎', 'org_a'), parties, 'en')).toBe(
      '甲野 太郎 (株式会社甲データ)',
    );
    expect(auditActorText(actor('usr_0', 'Admin', null), parties, 'ja')).toBe('Admin（管理者）');
    expect(auditActorText(actor(null, null, null), parties, 'ja')).toBe('システム');
    expect(auditActorText(actor(null, null, null), parties, 'en')).toBe('System');
    // Parties not loaded yet, or a company outside the agreement: the name alone.
    expect(auditActorText(actor('usr_1', '乙山 次郎', 'org_b'), null, 'ja')).toBe('乙山 次郎');
    expect(auditActorText(actor('usr_9', 'X', 'org_z'), parties, 'ja')).toBe('X');
  });
});
