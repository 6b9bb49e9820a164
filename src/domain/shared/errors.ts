/**
 * One error class with stable codes. The HTTP layer maps `code` to a status through
 * `ERROR_STATUS`, which the compiler checks for completeness. Messages for users come in
 * Japanese and English; `detail` is for logs and never replaces the user message.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  INVALID_DATE: 400,
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
  EMAIL_TAKEN: 409,
  AGREEMENT_ALREADY_SIGNED: 409,
  AGREEMENT_NOT_SIGNED: 409,
  AGREEMENT_ENDED: 409,
  TERMINATION_ALREADY_NOTIFIED: 409,
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
  EMAIL_TAKEN: {
    ja: 'このメールアドレスは既に登録されています。',
    en: 'This e-mail address is already registered.',
  },
  AGREEMENT_ALREADY_SIGNED: {
    ja: 'この覚書は既に締結済みです。',
    en: 'This agreement has already been signed.',
  },
  AGREEMENT_NOT_SIGNED: {
    ja: 'この覚書はまだ締結されていません（下書き）。',
    en: 'This agreement has not been signed yet (draft).',
  },
  AGREEMENT_ENDED: { ja: 'この覚書は既に終了しています。', en: 'This agreement has already ended.' },
  TERMINATION_ALREADY_NOTIFIED: {
    ja: 'この覚書には既に終了の意思表示が記録されています。',
    en: 'A termination notice has already been recorded for this agreement.',
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
    this.status = ERROR_STATUS[code];
    this.userMessage = { ...DEFAULT_MESSAGES[code], ...options.message };
    this.extras = options.extras;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
