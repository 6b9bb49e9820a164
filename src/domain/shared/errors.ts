/**
 * One error class with stable codes. The HTTP layer maps `code` to a status through
 * `ERROR_STATUS`, which the compiler checks for completeness. Messages for users come in
 * Japanese and English; `detail` is for logs and never replaces the user message.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  INVALID_DATE: 400,
  TERMINATION_NOTICE_IN_FUTURE: 400,
  SAME_PARTY: 400,
  UNKNOWN_ORGANIZATION: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF_REJECTED: 403,
  NOT_FOUND: 404,
  ORGANIZATION_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  AGREEMENT_NOT_FOUND: 404,
  INCIDENT_NOT_FOUND: 404,
  NOTICE_NOT_FOUND: 404,
  ITEM_REQUEST_NOT_FOUND: 404,
  OBLIGATION_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  WEBHOOK_URL_FORBIDDEN: 400,
  NOTICE_ITEMS_MISSING: 400,
  AGREEMENT_NOT_ACTIVE: 409,
  INCIDENT_TRANSITION_INVALID: 409,
  INCIDENT_NOT_OPEN: 409,
  ITEM_REQUEST_ALREADY_ANSWERED: 409,
  OBLIGATION_SETTLED: 409,
  NOTICE_OBLIGATION_OPEN: 409,
  DISCOVERY_CORRECTION_REQUIRED: 409,
  DISCOVERY_CORRECTION_NOT_FOUND: 404,
  DISCOVERY_CORRECTION_DECIDED: 409,
  COOPERATION_REQUEST_NOT_FOUND: 404,
  COOPERATION_REQUEST_ANSWERED: 409,
  COOPERATION_BEFORE_NOTICE: 409,
  CONSULTATION_NOT_FOUND: 404,
  CONSULTATION_SUBJECT_NOT_FOUND: 404,
  CONSULTATION_AGREED: 409,
  CONSULTATION_NO_OUTCOME: 409,
  CONSULTATION_BEFORE_NOTICE: 409,
  DISCLOSURE_NOT_FOUND: 404,
  DISCLOSURE_DECIDED: 409,
  DISCLOSURE_ALREADY_RECORDED: 409,
  DISCLOSURE_BEFORE_NOTICE: 409,
  /** 403 for a package (Art 5.1 gate); 409 for a disclosure recorded as made before consent. */
  CONSENT_REQUIRED: 403,
  EVIDENCE_NOT_FOUND: 404,
  EVIDENCE_INTEGRITY_FAILED: 409,
  EVIDENCE_TOO_LARGE: 413,
  EMAIL_TAKEN: 409,
  LAST_OWNER: 409,
  API_TOKEN_NOT_FOUND: 404,
  CALENDAR_FEED_NOT_FOUND: 404,
  CURRENT_PASSWORD_WRONG: 400,
  AGREEMENT_ALREADY_SIGNED: 409,
  AGREEMENT_NOT_SIGNED: 409,
  PARTY_ALREADY_SIGNED: 409,
  SIGNING_DATE_MISMATCH: 409,
  AGREEMENT_ENDED: 409,
  TERMINATION_ALREADY_NOTIFIED: 409,
  MUTUAL_TERMINATION_NOT_FOUND: 404,
  MUTUAL_TERMINATION_PENDING: 409,
  MUTUAL_TERMINATION_DECIDED: 409,
  MUTUAL_TERMINATION_LAPSED: 409,
  ANNOUNCEMENT_NOT_FOUND: 404,
  ANNOUNCEMENT_VERSION_STALE: 409,
  ANNOUNCEMENT_ALREADY_APPROVED: 409,
  ANNOUNCEMENT_NOT_APPROVED: 409,
  ANNOUNCEMENT_PUBLISHED: 409,
  VERSION_CONFLICT: 409,
  VERSION_REQUIRED: 428,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_IN_PROGRESS: 409,
  INVITATION_INVALID: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface LocalizedMessage {
  ja: string;
  en: string;
}

const DEFAULT_MESSAGES: Record<ErrorCode, LocalizedMessage> = {
  VALIDATION_FAILED: { ja: '入力内容に誤りがあります。', en: 'The request is invalid.' },
  MALFORMED_JSON: { ja: 'JSON の形式が正しくありません。', en: 'The request body is not valid JSON.' },
  INVALID_DATE: { ja: '存在しない日付です。', en: 'The date does not exist.' },
  TERMINATION_NOTICE_IN_FUTURE: {
    ja: '受領日が未来の日付です。終了の意思表示は相手方が書面を受け取った後に記録してください（第11条第2項）。',
    en: 'The date received is in the future. Record a termination notice once the written notice has been received (Art 11.2).',
  },
  SAME_PARTY: {
    ja: '甲と乙に同じ会社は指定できません。',
    en: 'Party A and party B must be different organisations.',
  },
  UNKNOWN_ORGANIZATION: { ja: '指定された組織は存在しません。', en: 'The organisation does not exist.' },
  UNAUTHENTICATED: { ja: 'ログインしてください。', en: 'Authentication is required.' },
  INVALID_CREDENTIALS: {
    ja: 'メールアドレスまたはパスワードが正しくありません。',
    en: 'The e-mail address or password is wrong.',
  },
  FORBIDDEN: { ja: 'この操作を行う権限がありません。', en: 'You are not allowed to do this.' },
  CSRF_REJECTED: {
    ja: '別のサイトからの要求は受け付けられません。',
    en: 'Cross-site requests are not accepted.',
  },
  NOT_FOUND: { ja: '見つかりません。', en: 'Not found.' },
  ORGANIZATION_NOT_FOUND: { ja: '組織が見つかりません。', en: 'Organisation not found.' },
  USER_NOT_FOUND: { ja: 'ユーザーが見つかりません。', en: 'User not found.' },
  AGREEMENT_NOT_FOUND: { ja: '覚書が見つかりません。', en: 'Agreement not found.' },
  INCIDENT_NOT_FOUND: { ja: '事故が見つかりません。', en: 'Incident not found.' },
  NOTICE_NOT_FOUND: { ja: '通知が見つかりません。', en: 'Notice not found.' },
  ITEM_REQUEST_NOT_FOUND: {
    ja: '追加事項の求めが見つかりません。',
    en: 'Request for further items not found.',
  },
  OBLIGATION_NOT_FOUND: { ja: '義務が見つかりません。', en: 'Obligation not found.' },
  WEBHOOK_NOT_FOUND: { ja: 'Webhook が見つかりません。', en: 'Webhook not found.' },
  WEBHOOK_URL_FORBIDDEN: {
    ja: 'この URL には Webhook を送れません（ループバック・プライベート・リンクローカル・メタデータ等の内部アドレス）。運用者が WEBHOOK_ALLOW_PRIVATE または WEBHOOK_ALLOWED_HOSTS で許可した場合のみ使えます。',
    en: 'Webhooks cannot be sent to this URL (a loopback, private, link-local, metadata or other internal address). The operator can allow it with WEBHOOK_ALLOW_PRIVATE or WEBHOOK_ALLOWED_HOSTS.',
  },
  NOTICE_ITEMS_MISSING: {
    ja: '第3条第2項の通知事項が不足しています。不明な事項は null（調査中）として送ってください。',
    en: 'Art 3.2 notice items are missing. Send null (under investigation) for items not yet known.',
  },
  AGREEMENT_NOT_ACTIVE: {
    ja: 'この覚書は有効ではないため、事故を登録できません（下書きまたは終了済み）。',
    en: 'This agreement is not active (draft or ended), so no incident can be opened under it.',
  },
  INCIDENT_TRANSITION_INVALID: {
    ja: 'この状態には変更できません。',
    en: 'The incident cannot move to this state.',
  },
  INCIDENT_NOT_OPEN: {
    ja: 'この事故は終結しているか、非該当（情報漏えい事故に当たらない）と判断されているため、この操作はできません。',
    en: 'This incident is closed or marked as not an incident (dismissed); this can no longer be done.',
  },
  ITEM_REQUEST_ALREADY_ANSWERED: {
    ja: 'この求めには既に回答済みです。',
    en: 'This request has already been answered.',
  },
  OBLIGATION_SETTLED: {
    ja: 'この義務は既に履行または免除されています。',
    en: 'This obligation has already been met or waived.',
  },
  NOTICE_OBLIGATION_OPEN: {
    ja: '第3条第1項の通知義務が未履行のため終結できません。第一報を送信するか、相手方に免除を求めてください。',
    en: 'The Art 3.1 notice is still owed, so the incident cannot be closed: send the first notice or ask the other party to waive it.',
  },
  DISCOVERY_CORRECTION_REQUIRED: {
    ja: '発覚日時を後ろにずらす変更は、理由を付けた訂正として申請し、相手方の承認を得る必要があります（期限を過ぎた義務を遡って解消することはできません）。',
    en: 'Moving the discovery time later is a correction: file it with a reason; it changes the clocks only once the other party accepts it.',
  },
  DISCOVERY_CORRECTION_NOT_FOUND: {
    ja: '発覚日時の訂正申請が見つかりません。',
    en: 'Discovery-time correction not found.',
  },
  DISCOVERY_CORRECTION_DECIDED: {
    ja: 'この訂正申請は既に判断済みです。',
    en: 'This correction has already been decided.',
  },
  COOPERATION_REQUEST_NOT_FOUND: { ja: '協力要請が見つかりません。', en: 'Cooperation request not found.' },
  COOPERATION_REQUEST_ANSWERED: {
    ja: 'この協力要請には既に回答済みです（受諾後の提供完了の記録のみ可能です）。',
    en: 'This cooperation request has already been answered (only a delivery after an acceptance can follow).',
  },
  COOPERATION_BEFORE_NOTICE: {
    ja: '相手方への第一報（第3条第1項）の前に、協力を求めることはできません。先に第一報を送信してください。',
    en: 'Cooperation cannot be requested before the first notice to the other party (Art 3.1): send the first notice first.',
  },
  CONSULTATION_NOT_FOUND: { ja: '協議が見つかりません。', en: 'Consultation not found.' },
  CONSULTATION_SUBJECT_NOT_FOUND: {
    ja: '協議の対象が見つかりません。',
    en: 'The subject of the consultation was not found.',
  },
  CONSULTATION_AGREED: {
    ja: 'この協議は既に合意に達しています（第12条）。新たな協議を開始してください。',
    en: 'This consultation has already reached an agreed outcome (Art 12). Open a new one.',
  },
  CONSULTATION_NO_OUTCOME: {
    ja: '確認する協議結果の案がまだ提案されていません。',
    en: 'No outcome has been proposed yet to confirm.',
  },
  CONSULTATION_BEFORE_NOTICE: {
    ja: '相手方への第一報（第3条第1項）の前に、この事故について協議を始めることはできません。先に第一報を送信してください。',
    en: 'A consultation on this incident cannot start before the first notice to the other party (Art 3.1): send the first notice first.',
  },
  DISCLOSURE_NOT_FOUND: { ja: '第三者開示の申請が見つかりません。', en: 'Disclosure not found.' },
  DISCLOSURE_DECIDED: {
    ja: 'この開示の申請は既に判断済みです（または承諾を要しない例外による開示です）。',
    en: 'This disclosure has already been decided (or is an exception that needs no consent).',
  },
  DISCLOSURE_ALREADY_RECORDED: {
    ja: 'この開示の実施は既に記録されています。',
    en: 'The disclosure has already been recorded as made.',
  },
  DISCLOSURE_BEFORE_NOTICE: {
    ja: '相手方への第一報（第3条第1項）の前に、第三者開示を申請することはできません。先に第一報を送信してください。',
    en: 'A disclosure cannot be filed before the first notice to the other party (Art 3.1): send the first notice first.',
  },
  CONSENT_REQUIRED: {
    ja: '相手方の事前承諾がないため、第三者へ開示できません（第5条第1項）。',
    en: 'The other party has not consented, so this cannot be disclosed to a third party (Art 5.1).',
  },
  EVIDENCE_NOT_FOUND: { ja: '証拠資料が見つかりません。', en: 'Evidence not found.' },
  EVIDENCE_INTEGRITY_FAILED: {
    ja: '保管中の証拠資料の内容が登録時のハッシュ値（SHA-256）と一致しません。改変または破損のおそれがあるため提供できません。この事象は保管履歴と監査ログに記録されました。',
    en: 'The stored evidence no longer matches the SHA-256 recorded at upload: it may have been altered or damaged, so it is not served. This was recorded in the chain of custody and the audit log.',
  },
  EVIDENCE_TOO_LARGE: {
    ja: '証拠資料のファイルが大きすぎます。何も保存されていません。',
    en: 'The evidence file is too large. Nothing was stored.',
  },
  EMAIL_TAKEN: {
    ja: 'このメールアドレスは既に登録されています。',
    en: 'This e-mail address is already registered.',
  },
  LAST_OWNER: {
    ja: 'この組織で有効な最後のオーナーは、無効化・削除・降格できません。先に別の利用者をオーナーにしてください。',
    en: "The organisation's last active owner cannot be disabled, removed or given another role. Make another user an owner first.",
  },
  API_TOKEN_NOT_FOUND: { ja: 'API トークンが見つかりません。', en: 'API token not found.' },
  CALENDAR_FEED_NOT_FOUND: {
    ja: 'カレンダーの配信 URL が見つかりません（無効にされたか、存在しません）。',
    en: 'Calendar feed not found (revoked or never existed).',
  },
  CURRENT_PASSWORD_WRONG: {
    ja: '現在のパスワードが正しくありません。',
    en: 'The current password is wrong.',
  },
  AGREEMENT_ALREADY_SIGNED: {
    ja: 'この覚書は既に締結済みです。',
    en: 'This agreement has already been signed.',
  },
  AGREEMENT_NOT_SIGNED: {
    ja: 'この覚書はまだ締結されていません（下書き）。',
    en: 'This agreement has not been signed yet (draft).',
  },
  PARTY_ALREADY_SIGNED: {
    ja: 'あなたの当事者は既にこの覚書案に署名しています。相手方の署名をお待ちください。',
    en: 'Your party has already signed this draft; the other party has yet to sign.',
  },
  SIGNING_DATE_MISMATCH: {
    ja: '相手方が署名した覚書案と締結日が異なります。締結日は相手方が署名したとおりです（記載がなければ後の署名の日）。',
    en: 'The signing date differs from the draft the other party signed; it stays as they signed it (if none is stated, the date of the later signature).',
  },
  AGREEMENT_ENDED: { ja: 'この覚書は既に終了しています。', en: 'This agreement has already ended.' },
  TERMINATION_ALREADY_NOTIFIED: {
    ja: 'この覚書には既に終了の意思表示が記録されています。',
    en: 'A termination notice has already been recorded for this agreement.',
  },
  MUTUAL_TERMINATION_NOT_FOUND: {
    ja: '合意解約の申入れがありません。',
    en: 'There is no proposal of a mutual termination.',
  },
  MUTUAL_TERMINATION_PENDING: {
    ja: '合意解約の申入れが既に相手方の確認待ちです。撤回してから申し入れ直してください。',
    en: "A proposal of a mutual termination is already awaiting the other party's confirmation. Withdraw it before proposing again.",
  },
  MUTUAL_TERMINATION_DECIDED: {
    ja: '確認待ちの合意解約の申入れはありません（既に確認または撤回されています）。',
    en: 'No proposal of a mutual termination is pending (it has already been confirmed or withdrawn).',
  },
  MUTUAL_TERMINATION_LAPSED: {
    ja: '申入れの解約日が既に過ぎています。遡って解約することはできないため、新しい日付で申し入れ直してください。',
    en: 'The proposed termination date has passed. A mutual termination cannot take effect retroactively: propose a new date.',
  },
  ANNOUNCEMENT_NOT_FOUND: { ja: '公表文が見つかりません。', en: 'Announcement not found.' },
  ANNOUNCEMENT_VERSION_STALE: {
    ja: '承認できるのは最新の版だけです。両当事者が同じ最新版を承認して協議が整います（第6条第1項）。',
    en: 'Only the latest version can be approved: consultation means both parties approve the same, latest version (Art 6.1).',
  },
  ANNOUNCEMENT_ALREADY_APPROVED: {
    ja: '貴社はこの版を既に承認しています。',
    en: 'Your company has already approved this version.',
  },
  ANNOUNCEMENT_NOT_APPROVED: {
    ja: '両当事者がこの最新版を承認していないため公表できません（第6条第1項）。緊急の場合は第6条第2項の理由を示してください。',
    en: 'Both parties have not approved this latest version, so it cannot be published (Art 6.1). In an emergency give the Art 6.2 reason.',
  },
  ANNOUNCEMENT_PUBLISHED: {
    ja: 'この公表文は既に公表されています。',
    en: 'This announcement has already been published.',
  },
  VERSION_CONFLICT: {
    ja: '他の人が先に更新しました。最新の内容を読み込んでからやり直してください。',
    en: 'Someone else changed this record first. Reload it and try again.',
  },
  VERSION_REQUIRED: {
    ja: 'If-Match ヘッダーで版数を指定してください。',
    en: 'Send the record version in the If-Match header.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    ja: 'この Idempotency-Key は別の内容の要求に使われています。',
    en: 'This Idempotency-Key was used for a different request.',
  },
  IDEMPOTENCY_IN_PROGRESS: {
    ja: '同じ Idempotency-Key の要求を処理中です。',
    en: 'A request with this Idempotency-Key is still being processed.',
  },
  INVITATION_INVALID: {
    ja: '招待リンクが無効か、期限切れです。',
    en: 'The invitation link is invalid or has expired.',
  },
  PAYLOAD_TOO_LARGE: { ja: '送信内容が大きすぎます。', en: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: {
    ja: 'Content-Type は application/json にしてください。',
    en: 'Send the body as application/json.',
  },
  RATE_LIMITED: {
    ja: '試行回数が多すぎます。しばらく待ってからやり直してください。',
    en: 'Too many attempts. Wait a moment and try again.',
  },
  INTERNAL: {
    ja: 'サーバー内部でエラーが発生しました。',
    en: 'Something went wrong on the server.',
  },
};

export interface AppErrorOptions {
  message?: Partial<LocalizedMessage>;
  /** Internal detail for logs; never shown to users. */
  detail?: string;
  /** A status other than the code's usual one, where the API names the same code under two statuses. */
  status?: number;
  /** Structured extras returned to the client (e.g. invalid fields, allowed values). */
  extras?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly userMessage: LocalizedMessage;
  readonly extras: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    super(options.detail ?? code);
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    this.userMessage = { ...DEFAULT_MESSAGES[code], ...options.message };
    this.extras = options.extras;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
