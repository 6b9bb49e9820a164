import { cooperationItem } from '../../domain/cooperation/categories.js';
import { AppError } from '../../domain/shared/errors.js';
import type { Tx } from '../../persistence/db.js';
import { findAnnouncement } from '../../persistence/repositories/announcements.js';
import { findCooperationRequest } from '../../persistence/repositories/cooperation-requests.js';
import { findDisclosure } from '../../persistence/repositories/disclosures.js';
import type { IncidentPermission } from '../access.js';
import type { Actor } from '../context.js';
import { loadIncidentFor, type LoadedIncident } from '../incidents/load.js';

/**
 * What a consultation (Art 12) can be about, as a small registry: each subject type maps to a
 * function that finds the subject, checks that the actor may see it (and do `permission` on its
 * incident) and returns its incident and agreement. A subject the actor may not see, or that does
 * not exist, is `CONSULTATION_SUBJECT_NOT_FOUND` (404): its existence is not revealed.
 *
 * Adding a subject type (a disclosure, an announcement, later a cost dispute) is adding a resolver
 * and a line in `CONSULTATION_SUBJECTS`; the request schema's `subjectType` is derived from it.
 */
export interface ConsultationSubject extends LoadedIncident {
  /** What the consultation is about, in words (the minutes' heading): e.g. 「協力要請（第4条第2項第7号）」. */
  label: { ja: string; en: string };
}

export type SubjectResolver = (
  tx: Tx,
  actor: Actor,
  subjectId: string,
  permission: IncidentPermission,
) => Promise<ConsultationSubject>;

/** An incident itself. */
const incidentSubject: SubjectResolver = async (tx, actor, subjectId, permission) => ({
  ...(await loadIncidentFor(tx, actor, subjectId, permission, 'CONSULTATION_SUBJECT_NOT_FOUND')),
  label: { ja: '事故', en: 'the incident' },
});

/** An Art 4.2 cooperation request (e.g. a declined one the parties want to talk over). */
const cooperationRequestSubject: SubjectResolver = async (tx, actor, subjectId, permission) => {
  const request = await findCooperationRequest(tx, subjectId);
  if (!request) throw new AppError('CONSULTATION_SUBJECT_NOT_FOUND');
  const n = cooperationItem(request.category);
  return {
    ...(await loadIncidentFor(tx, actor, request.incidentId, permission, 'CONSULTATION_SUBJECT_NOT_FOUND')),
    label: { ja: `協力要請（第4条第2項第${n}号）`, en: `cooperation request (Art 4.2(${n}))` },
  };
};

/** An Art 5 third-party disclosure (e.g. a refused consent, or an exception made without prior notice). */
const disclosureSubject: SubjectResolver = async (tx, actor, subjectId, permission) => {
  const disclosure = await findDisclosure(tx, subjectId);
  if (!disclosure) throw new AppError('CONSULTATION_SUBJECT_NOT_FOUND');
  return {
    ...(await loadIncidentFor(
      tx,
      actor,
      disclosure.incidentId,
      permission,
      'CONSULTATION_SUBJECT_NOT_FOUND',
    )),
    label: {
      ja: `第三者開示（第5条）：${disclosure.recipient}`,
      en: `third-party disclosure (Art 5): ${disclosure.recipient}`,
    },
  };
};

/** An Art 6 announcement (e.g. the consultation Art 6.2 requires after an emergency publication). */
const announcementSubject: SubjectResolver = async (tx, actor, subjectId, permission) => {
  const announcement = await findAnnouncement(tx, subjectId);
  if (!announcement) throw new AppError('CONSULTATION_SUBJECT_NOT_FOUND');
  return {
    ...(await loadIncidentFor(
      tx,
      actor,
      announcement.incidentId,
      permission,
      'CONSULTATION_SUBJECT_NOT_FOUND',
    )),
    label: {
      ja: announcement.emergency ? '緊急の公表（第6条第2項）' : '公表（第6条第1項）',
      en: announcement.emergency ? 'emergency announcement (Art 6.2)' : 'announcement (Art 6.1)',
    },
  };
};

/** The registry: subject type → resolver. C4 adds `disclosure`, C3 `announcement`. */
export const CONSULTATION_SUBJECTS = {
  incident: incidentSubject,
  cooperation_request: cooperationRequestSubject,
  disclosure: disclosureSubject,
  announcement: announcementSubject,
} as const satisfies Record<string, SubjectResolver>;

export type ConsultationSubjectType = keyof typeof CONSULTATION_SUBJECTS;

export const CONSULTATION_SUBJECT_TYPES = Object.keys(CONSULTATION_SUBJECTS) as [
  ConsultationSubjectType,
  ...ConsultationSubjectType[],
];

export function isConsultationSubjectType(t: string): t is ConsultationSubjectType {
  return Object.hasOwn(CONSULTATION_SUBJECTS, t);
}

/** Resolves a consultation's subject for `actor`, or throws (404 unknown / not visible, 403 role). */
export function resolveConsultationSubject(
  tx: Tx,
  actor: Actor,
  subjectType: string,
  subjectId: string,
  permission: IncidentPermission,
): Promise<ConsultationSubject> {
  if (!isConsultationSubjectType(subjectType)) {
    throw new AppError('VALIDATION_FAILED', {
      message: {
        ja: `協議の対象の種類が不明です（${CONSULTATION_SUBJECT_TYPES.join('・')}）。`,
        en: `Unknown subject type (${CONSULTATION_SUBJECT_TYPES.join(', ')}).`,
      },
      extras: { errors: [{ path: 'subjectType' }] },
    });
  }
  return CONSULTATION_SUBJECTS[subjectType](tx, actor, subjectId, permission);
}
