/** Japanese text of the work queue's filters, the navigation's count and the agreement's next duty (issue 8). */
export const jaWorkQueue = {
  duties: {
    badge: '期限超過{{overdue}}件・24時間以内{{soon}}件',
    badgeTitle: '当社の義務：期限超過{{overdue}}件・24時間以内{{soon}}件',
    filters: '絞り込み',
    agreement: '覚書',
    allAgreements: 'すべての覚書',
    agreementOption: '{{other}}との覚書（{{date}}締結）',
    clause: '条項',
    allClauses: 'すべての条項',
    owedBy: '義務を負う当事者',
    clear: '絞り込みを解除',
    emptyFiltered: '条件に合う未履行の義務はありません。',
    owedByParty: '{{who}}（{{party}}）の義務',
    nextTitle: '次にやること（事故対応）',
    nextNone: '対応が必要な事項はありません',
    nextIncident: '事故：{{title}}',
    nextMore: 'ほかに当社の未履行の義務が{{count}}件あります。',
    toQueue: '対応状況で見る',
  },
};
