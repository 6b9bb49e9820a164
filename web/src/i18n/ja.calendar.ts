/** Japanese text of the calendar feeds (issue 8, item 4). */
export const jaCalendar = {
  calendar: {
    title: '期限をカレンダーに表示',
    intro:
      '当社の未了の義務（期限超過を含む）の期限を、お使いのカレンダー（Outlook・Google カレンダーなど）に表示できます。期限の50 %・90 %の時点で通知します。URL は秘密の鍵です。他人に教えないでください。',
    none: 'カレンダー用 URL はまだありません。',
    create: 'カレンダー用 URL を作成',
    created: '作成日時',
    lastUsed: '最終取得',
    neverUsed: '未取得',
    revoke: '無効にする',
    urlOnce: 'この URL は今回だけ表示されます。コピーしてカレンダーに登録してください。',
    copy: 'コピー',
    copied: 'コピーしました',
    howOutlook: 'Outlook：予定表を追加 → インターネットから → この URL を貼り付け',
    howGoogle: 'Google カレンダー：他のカレンダー → URL で追加 → この URL を貼り付け',
    secretHint: 'URL を知っている人は誰でも期限の一覧を見られます。漏れたら無効にして作り直してください。',
    confirmTitle: '確認',
    confirmRevoke: 'このカレンダー用 URL を無効にしますか？ 登録したカレンダーには以後表示されなくなります。',
  },
};
