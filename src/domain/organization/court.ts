/**
 * Art 13 (合意管轄): the district court with jurisdiction over party A's head office.
 * Derived from the prefecture at the start of the address; in Hokkaido, which has four district
 * courts, from the municipality (see HOKKAIDO_COURTS).
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

/**
 * Hokkaido has four district courts (下級裁判所の設立及び管轄区域に関する法律 別表第五表). Their
 * areas follow the municipalities, not the district (郡) names and not exactly the subprefectures:
 *
 * - 札幌: 石狩, 後志, 胆振, 日高, and 空知 except the 深川 area;
 * - 函館: 渡島, 檜山;
 * - 旭川: 上川 (without 十勝's towns), 留萌, 宗谷, the 深川 area of 空知 (深川市 and 雨竜郡 but
 *   雨竜町), and 西紋 (紋別市 and 紋別郡 滝上町・興部町・西興部村・雄武町);
 * - 釧路: 釧路, 根室, 十勝 (帯広支部), and the rest of オホーツク (北見・網走支部; 紋別郡 遠軽町・湧別町).
 *
 * Several districts straddle two courts, so the town decides, never the 郡: 上川郡 (上川 → 旭川;
 * 新得町・清水町 in 十勝 → 釧路), 中川郡 (美深町・音威子府村・中川町 → 旭川; 幕別町・池田町・豊頃町・
 * 本別町 in 十勝 → 釧路), 空知郡 (奈井江町・上砂川町・南幌町 → 札幌; 上富良野町・中富良野町・
 * 南富良野町 → 旭川), 勇払郡 (厚真町・安平町・むかわ町 → 札幌; 占冠村 → 旭川), 雨竜郡 (雨竜町 →
 * 札幌; the others → 旭川), 紋別郡 (see above). Municipality names are unique within Hokkaido.
 */
const HOKKAIDO_COURTS: Readonly<Record<string, readonly string[]>> = {
  札幌: [
    // 石狩
    '札幌市',
    '江別市',
    '千歳市',
    '恵庭市',
    '北広島市',
    '石狩市',
    '当別町',
    '新篠津村',
    // 後志
    '小樽市',
    '島牧村',
    '寿都町',
    '黒松内町',
    '蘭越町',
    'ニセコ町',
    '真狩村',
    '留寿都村',
    '喜茂別町',
    '京極町',
    '倶知安町',
    '共和町',
    '岩内町',
    '泊村',
    '神恵内村',
    '積丹町',
    '古平町',
    '仁木町',
    '余市町',
    '赤井川村',
    // 空知 (without the 深川 area)
    '夕張市',
    '岩見沢市',
    '美唄市',
    '芦別市',
    '赤平市',
    '三笠市',
    '滝川市',
    '砂川市',
    '歌志内市',
    '南幌町',
    '奈井江町',
    '上砂川町',
    '由仁町',
    '長沼町',
    '栗山町',
    '月形町',
    '浦臼町',
    '新十津川町',
    '雨竜町',
    // 胆振
    '室蘭市',
    '苫小牧市',
    '登別市',
    '伊達市',
    '豊浦町',
    '壮瞥町',
    '白老町',
    '厚真町',
    '洞爺湖町',
    '安平町',
    'むかわ町',
    // 日高
    '日高町',
    '平取町',
    '新冠町',
    '浦河町',
    '様似町',
    'えりも町',
    '新ひだか町',
  ],
  函館: [
    // 渡島
    '函館市',
    '北斗市',
    '松前町',
    '福島町',
    '知内町',
    '木古内町',
    '七飯町',
    '鹿部町',
    '森町',
    '八雲町',
    '長万部町',
    // 檜山
    '江差町',
    '上ノ国町',
    '厚沢部町',
    '乙部町',
    '奥尻町',
    '今金町',
    'せたな町',
  ],
  旭川: [
    // 上川
    '旭川市',
    '士別市',
    '名寄市',
    '富良野市',
    '鷹栖町',
    '東神楽町',
    '当麻町',
    '比布町',
    '愛別町',
    '上川町',
    '東川町',
    '美瑛町',
    '上富良野町',
    '中富良野町',
    '南富良野町',
    '占冠村',
    '和寒町',
    '剣淵町',
    '下川町',
    '美深町',
    '音威子府村',
    '中川町',
    '幌加内町',
    // 空知: the 深川 area
    '深川市',
    '妹背牛町',
    '秩父別町',
    '北竜町',
    '沼田町',
    // 留萌
    '留萌市',
    '増毛町',
    '小平町',
    '苫前町',
    '羽幌町',
    '初山別村',
    '遠別町',
    '天塩町',
    // 宗谷
    '稚内市',
    '猿払村',
    '浜頓別町',
    '中頓別町',
    '枝幸町',
    '豊富町',
    '礼文町',
    '利尻町',
    '利尻富士町',
    '幌延町',
    // オホーツク: 西紋
    '紋別市',
    '滝上町',
    '興部町',
    '西興部村',
    '雄武町',
  ],
  釧路: [
    // オホーツク (without 西紋)
    '北見市',
    '網走市',
    '美幌町',
    '津別町',
    '斜里町',
    '清里町',
    '小清水町',
    '訓子府町',
    '置戸町',
    '佐呂間町',
    '遠軽町',
    '湧別町',
    '大空町',
    // 十勝
    '帯広市',
    '音更町',
    '士幌町',
    '上士幌町',
    '鹿追町',
    '新得町',
    '清水町',
    '芽室町',
    '中札内村',
    '更別村',
    '大樹町',
    '広尾町',
    '幕別町',
    '池田町',
    '豊頃町',
    '本別町',
    '足寄町',
    '陸別町',
    '浦幌町',
    // 釧路
    '釧路市',
    '釧路町',
    '厚岸町',
    '浜中町',
    '標茶町',
    '弟子屈町',
    '鶴居村',
    '白糠町',
    // 根室
    '根室市',
    '別海町',
    '中標津町',
    '標津町',
    '羅臼町',
  ],
};

/** Municipality → court, for the 179 municipalities of Hokkaido. */
export const HOKKAIDO_MUNICIPALITY_COURT: ReadonlyMap<string, string> = new Map(
  Object.entries(HOKKAIDO_COURTS).flatMap(([court, towns]) => towns.map((t) => [t, court] as const)),
);

const HOKKAIDO_NAMES = [...HOKKAIDO_MUNICIPALITY_COURT.keys()];

function municipalityAt(text: string): string | null {
  let best: string | null = null;
  for (const name of HOKKAIDO_NAMES) {
    if (text.startsWith(name) && (best === null || name.length > best.length)) best = name;
  }
  return best;
}

/**
 * The court for the municipality at the start of a Hokkaido address (after 北海道): a city
 * (`札幌市中央区…`) or a town/village with or without its district (`上川郡清水町…`, `清水町…`).
 * Names are matched whole against the table (余市郡余市町 has 市 inside its names).
 */
function hokkaidoCourt(rest: string): string | null {
  const text = rest.replace(/^[\s\u3000]+/u, '');
  let town = municipalityAt(text);
  if (town === null) {
    const district = /^[^\s\u3000]{1,5}郡[\s\u3000]*/u.exec(text);
    if (district) town = municipalityAt(text.slice(district[0].length));
  }
  // An unrecognised municipality is not guessed (the organisation can state its court).
  return town === null ? null : `${HOKKAIDO_MUNICIPALITY_COURT.get(town)!}地方裁判所`;
}

export function deriveDistrictCourt(address: string): string | null {
  const a = address.replace(/^[\s\u3000]*(〒?\s*\d{3}-?\d{4})?[\s\u3000]*/, '');
  if (a.startsWith('北海道')) return hokkaidoCourt(a.slice('北海道'.length));
  for (const [pref, court] of PREFECTURE_COURTS) {
    if (a.startsWith(pref)) return `${court}地方裁判所`;
  }
  // Addresses written without the prefecture suffix (e.g. 大阪市…, 横浜市…) are not guessed.
  return null;
}
