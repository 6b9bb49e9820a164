/**
 * Art 13 (合意管轄): the district court with jurisdiction over party A's head office.
 * Derived from the prefecture at the start of the address; Hokkaido has four district courts.
 * This is a default the organisation can override (the derivation ignores 支部 branches).
 */
const PREFECTURE_COURTS: ReadonlyArray<readonly [string, string]> = [
  ['青森県', '青森'],
  ['岩手県', '盛岡'],
  ['宮城県', '仙台'],
  ['秋田県', '秋田'],
  ['山形県', '山形'],
  ['福島県', '福島'],
  ['茨城県', '水戸'],
  ['栃木県', '宇都宮'],
  ['群馬県', '前橋'],
  ['埼玉県', 'さいたま'],
  ['千葉県', '千葉'],
  ['東京都', '東京'],
  ['神奈川県', '横浜'],
  ['新潟県', '新潟'],
  ['富山県', '富山'],
  ['石川県', '金沢'],
  ['福井県', '福井'],
  ['山梨県', '甲府'],
  ['長野県', '長野'],
  ['岐阜県', '岐阜'],
  ['静岡県', '静岡'],
  ['愛知県', '名古屋'],
  ['三重県', '津'],
  ['滋賀県', '大津'],
  ['京都府', '京都'],
  ['大阪府', '大阪'],
  ['兵庫県', '神戸'],
  ['奈良県', '奈良'],
  ['和歌山県', '和歌山'],
  ['鳥取県', '鳥取'],
  ['島根県', '松江'],
  ['岡山県', '岡山'],
  ['広島県', '広島'],
  ['山口県', '山口'],
  ['徳島県', '徳島'],
  ['香川県', '高松'],
  ['愛媛県', '松山'],
  ['高知県', '高知'],
  ['福岡県', '福岡'],
  ['佐賀県', '佐賀'],
  ['長崎県', '長崎'],
  ['熊本県', '熊本'],
  ['大分県', '大分'],
  ['宮崎県', '宮崎'],
  ['鹿児島県', '鹿児島'],
  ['沖縄県', '那覇'],
];

const HOKKAIDO: ReadonlyArray<readonly [RegExp, string]> = [
  [/函館|北斗|渡島|檜山|江差/, '函館'],
  [/旭川|名寄|稚内|留萌|上川|宗谷|士別|富良野/, '旭川'],
  [/釧路|根室|帯広|十勝|北見|網走|紋別|オホーツク/, '釧路'],
];

export function deriveDistrictCourt(address: string): string | null {
  const a = address.replace(/^[\s\u3000]*(〒?\s*\d{3}-?\d{4})?[\s\u3000]*/, '');
  if (a.startsWith('北海道')) {
    const hit = HOKKAIDO.find(([re]) => re.test(a));
    return `${hit ? hit[1] : '札幌'}地方裁判所`;
  }
  for (const [pref, court] of PREFECTURE_COURTS) {
    if (a.startsWith(pref)) return `${court}地方裁判所`;
  }
  // Addresses written without the prefecture suffix (e.g. 大阪市…, 横浜市…) are not guessed.
  return null;
}
