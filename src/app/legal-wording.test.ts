import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS } from '../domain/agreement/parameters.js';
import { RULE_IDS, describeRule, termRule } from '../domain/agreement/rules.js';
import { INCIDENT_STATE_LABELS } from '../domain/incident/state.js';
import { AppError, ERROR_STATUS, type ErrorCode } from '../domain/shared/errors.js';
import { PARAMETER_LABELS, formatMemorandumValue, formatParameterValue } from '../documents/annex.js';
import { incidentMail, type IncidentMailKind } from './mail/incident-mails.js';

/**
 * The legal department's wording (issue 6 §4) over the Japanese the server speaks: state labels,
 * error messages, the term rules beside each date, the annex of the document and the incident
 * e-mails. Retired terms stay retired and citations are written in full (第11条第2項, 民法第140条).
 */

const RETIRED_JA = [
  '事故を報告',
  '報告した当事者',
  '却下',
  '封じ込め',
  '取り下げ',
  '解約予告',
  '目標時間',
  '期日',
];

/** Short citation forms; Japanese writes 第N条第M項第K号 and lists provisions with 、/及び. */
const SHORT_CITATIONS: readonly RegExp[] = [
  /(?<![第\d])\d+条/, // 3条, 民法140条
  /条\d+項/, // 第11条2項
  /項\d+号/, // 第3条第2項6号
  /\d+\.\d+条/, // 3.1条
  /\d+・\d+/, // 5・8・9条
  /[条項号]・第/, // 民法第138条・第140条
];

function wordingProblems(texts: Record<string, string>): string[] {
  return Object.entries(texts).flatMap(([where, text]) => [
    ...RETIRED_JA.filter((term) => text.includes(term)).map((term) => `${where}: 「${term}」 in ${text}`),
    ...SHORT_CITATIONS.filter((re) => re.test(text)).map((re) => `${where}: ${String(re)} in ${text}`),
    // 目安 only where the annex explains the hours as the guide for 「速やかに」.
    ...(text.includes('目安') && !/速やかに（目安\d+時間）/.test(text) ? [`${where}: 目安 in ${text}`] : []),
  ]);
}

describe('Japanese wording the server speaks (legal review)', () => {
  it('incident states: 被害拡大防止措置済み and 非該当（情報漏えい事故に当たらない）', () => {
    expect(INCIDENT_STATE_LABELS.contained.ja).toBe('被害拡大防止措置済み');
    expect(INCIDENT_STATE_LABELS.dismissed.ja).toBe('非該当（情報漏えい事故に当たらない）');
    expect(INCIDENT_STATE_LABELS.dismissed.en).toBe('Not an incident (dismissed)');
    const labels = Object.fromEntries(Object.entries(INCIDENT_STATE_LABELS).map(([k, v]) => [k, v.ja]));
    expect(wordingProblems(labels)).toEqual([]);
  });

  it('error messages', () => {
    const messages = Object.fromEntries(
      (Object.keys(ERROR_STATUS) as ErrorCode[]).map((code) => [code, new AppError(code).userMessage.ja]),
    );
    expect(wordingProblems(messages)).toEqual([]);
  });

  it('the term rules cite the Civil Code and Art 11 in full', () => {
    const texts: Record<string, string> = {};
    for (const id of RULE_IDS) {
      const rule = termRule(id);
      texts[`${id}.article`] = rule.article;
      texts[id] = rule.ja;
      texts[`${id} (no renewal, 0 months)`] = describeRule(id, {
        termMonths: 3,
        renewalMonths: 0,
        terminationNoticeMonths: 0,
      }).ja;
    }
    expect(wordingProblems(texts)).toEqual([]);
    expect(termRule('civil-140').article).toBe('民法第140条');
    expect(termRule('art-11-2-notice-deadline').article).toBe('第11条第2項');
    // English keeps the short "Art 11.2" style.
    expect(termRule('art-11-2-notice-deadline').articleEn).toBe('Art 11.2');
  });

  it('the annex of the document', () => {
    const texts: Record<string, string> = {};
    for (const [name, label] of Object.entries(PARAMETER_LABELS)) {
      texts[`${name}.provision`] = label.provision;
      texts[`${name}.subject`] = label.subject;
    }
    for (const name of Object.keys(PARAMETER_LABELS) as Array<keyof typeof PARAMETER_LABELS>) {
      texts[`${name}.memorandum`] = formatMemorandumValue(name);
      texts[`${name}.agreed`] = formatParameterValue(name, DEFAULT_PARAMETERS[name]);
    }
    expect(wordingProblems(texts)).toEqual([]);
    expect(PARAMETER_LABELS.countSigningDay.provision).toBe('民法第138条及び第140条');
    expect(formatParameterValue('survivingArticles', [5, 8, 9])).toBe('第5条、第8条及び第9条');
  });

  it('the incident e-mails in Japanese', () => {
    const kinds: IncidentMailKind[] = [
      'notice_sent',
      'notice_acknowledged',
      'items_requested',
      'items_answered',
      'obligation_due_soon',
      'obligation_breached',
      'disclosure_consent_requested',
      'disclosure_excepted',
      'disclosure_decided',
      'disclosure_disclosed',
    ];
    const texts: Record<string, string> = {};
    for (const kind of kinds) {
      const mail = incidentMail({
        kind,
        to: 'a@example.jp',
        name: '甲野 太郎',
        locale: 'ja',
        incidentTitle: '委託先端末のマルウェア感染',
        link: 'https://breachpact.example/incidents/inc_1',
        fromOrganization: '乙システムズ株式会社',
        noticeLabel: { ja: '第一報', en: 'First notice' },
        dueAt: '2026-05-01T01:00:00.000Z',
        percent: 50,
      });
      texts[`${kind}.subject`] = mail.subject;
      texts[`${kind}.text`] = mail.text;
    }
    expect(wordingProblems(texts)).toEqual([]);
  });

  it('the checker itself catches the retired wording', () => {
    const bad = {
      a: '事故を報告',
      b: '第3条1項',
      c: '民法140条',
      d: '第5・8・9条',
      e: '民法第138条・第140条',
      f: '通知の目安',
      g: '第3条第2項6号',
    };
    const problems = wordingProblems(bad);
    for (const key of Object.keys(bad)) expect(problems.some((p) => p.startsWith(`${key}:`))).toBe(true);
    expect(
      wordingProblems({ ok: '速やかに（目安24時間）', cite: '第3条第2項第6号、第5条、第8条及び第9条' }),
    ).toEqual([]);
  });
});
