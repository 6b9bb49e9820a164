import { describe, expect, it } from 'vitest';
import { deriveDistrictCourt, HOKKAIDO_MUNICIPALITY_COURT } from './court.js';

describe('deriveDistrictCourt (Art 13)', () => {
  it('takes the prefecture outside Hokkaido', () => {
    expect(deriveDistrictCourt('東京都千代田区丸の内1-1')).toBe('東京地方裁判所');
    expect(deriveDistrictCourt('〒530-0001 大阪府大阪市北区梅田1-1')).toBe('大阪地方裁判所');
    expect(deriveDistrictCourt('大阪市北区梅田1-1')).toBeNull();
  });

  // Towns the former keyword table gave to the wrong court (its court in brackets).
  it.each([
    // 十勝 is 釧路地方裁判所 (帯広支部); 上川郡 and 中川郡 also exist in 十勝.
    ['北海道上川郡清水町南2条2丁目', '釧路', '旭川'],
    ['北海道上川郡新得町3条南4丁目', '釧路', '旭川'],
    ['北海道中川郡幕別町本町130', '釧路', '札幌'],
    ['北海道中川郡池田町西1条7丁目', '釧路', '札幌'],
    ['北海道中川郡豊頃町茂岩本町125', '釧路', '札幌'],
    ['北海道中川郡本別町北2丁目', '釧路', '札幌'],
    ['北海道河東郡音更町元町2', '釧路', '札幌'],
    ['北海道足寄郡陸別町字陸別', '釧路', '札幌'],
    // オホーツク outside 西紋 and 釧路・根室 towns without a keyword
    ['北海道紋別郡遠軽町1条通北3丁目', '釧路', '札幌'],
    ['北海道斜里郡斜里町本町12', '釧路', '札幌'],
    ['北海道標津郡中標津町丸山2丁目', '釧路', '札幌'],
    ['北海道川上郡弟子屈町中央2丁目', '釧路', '札幌'],
    // 西紋 is 旭川地方裁判所 (紋別支部)
    ['北海道紋別市幸町2丁目', '旭川', '釧路'],
    ['北海道紋別郡雄武町字雄武', '旭川', '釧路'],
    ['北海道紋別郡興部町字興部', '旭川', '釧路'],
    // the 深川 area of 空知 is 旭川; 中川郡 in 上川; 留萌 and 宗谷 towns without a keyword
    ['北海道深川市2条17-17', '旭川', '札幌'],
    ['北海道雨竜郡幌加内町字幌加内', '旭川', '札幌'],
    ['北海道雨竜郡沼田町南1条3丁目', '旭川', '札幌'],
    ['北海道中川郡美深町字西町18', '旭川', '札幌'],
    ['北海道中川郡音威子府村字音威子府', '旭川', '札幌'],
    ['北海道勇払郡占冠村字中央', '旭川', '札幌'],
    ['北海道苫前郡羽幌町南町1', '旭川', '札幌'],
    ['北海道天塩郡豊富町大通6丁目', '旭川', '札幌'],
    ['北海道枝幸郡枝幸町本町916', '旭川', '札幌'],
    // 渡島・檜山 towns without a keyword
    ['北海道茅部郡森町字御幸町144-1', '函館', '札幌'],
    ['北海道二海郡八雲町住初町138', '函館', '札幌'],
    ['北海道山越郡長万部町字長万部453-1', '函館', '札幌'],
    ['北海道瀬棚郡今金町字今金48-1', '函館', '札幌'],
    ['北海道松前郡松前町字福山248', '函館', '札幌'],
  ])('%s → %s地方裁判所 (was %s)', (address, court) => {
    expect(deriveDistrictCourt(address)).toBe(`${court}地方裁判所`);
  });

  it.each([
    ['北海道札幌市中央区北1条西2丁目', '札幌'],
    ['〒060-0001 北海道 札幌市中央区', '札幌'],
    ['北海道函館市新川町14-1', '函館'],
    ['北海道北斗市中央1丁目', '函館'],
    ['北海道旭川市6条通9丁目', '旭川'],
    ['北海道上川郡東川町東町1丁目', '旭川'], // 上川郡 in 上川
    ['北海道上川郡上川町南町180', '旭川'],
    ['北海道空知郡上富良野町大町2丁目', '旭川'], // 空知郡 in 上川
    ['北海道空知郡奈井江町字奈井江', '札幌'], // 空知郡 in 空知
    ['北海道雨竜郡雨竜町字フシコウリウ', '札幌'], // 雨竜町: 札幌 (滝川支部)
    ['北海道勇払郡むかわ町美幸3丁目', '札幌'],
    ['北海道中川郡中川町字中川', '旭川'],
    ['北海道釧路郡釧路町別保1丁目', '釧路'],
    ['北海道帯広市西5条南7丁目', '釧路'],
    ['北海道清水町南2条2丁目', '釧路'], // district omitted
    ['北海道幕別町本町130', '釧路'],
    ['北海道沙流郡日高町門別本町', '札幌'],
  ])('%s → %s地方裁判所', (address, court) => {
    expect(deriveDistrictCourt(address)).toBe(`${court}地方裁判所`);
  });

  it('does not guess an unknown Hokkaido municipality', () => {
    expect(deriveDistrictCourt('北海道')).toBeNull();
    expect(deriveDistrictCourt('北海道どこか町1-1')).toBeNull();
  });

  it('covers the 179 municipalities of Hokkaido once each', () => {
    expect(HOKKAIDO_MUNICIPALITY_COURT.size).toBe(179);
    const perCourt = new Map<string, number>();
    for (const court of HOKKAIDO_MUNICIPALITY_COURT.values())
      perCourt.set(court, (perCourt.get(court) ?? 0) + 1);
    // 石狩 8 + 後志 20 + 空知 19 + 胆振 11 + 日高 7; 渡島 11 + 檜山 7;
    // 上川 23 + 深川 area 5 + 留萌 8 + 宗谷 10 + 西紋 5; オホーツク 13 + 十勝 19 + 釧路 8 + 根室 5
    expect(Object.fromEntries(perCourt)).toEqual({ 札幌: 65, 函館: 18, 旭川: 51, 釧路: 45 });
    for (const town of HOKKAIDO_MUNICIPALITY_COURT.keys()) {
      expect(deriveDistrictCourt(`北海道${town}1-1`), town).toBe(
        `${HOKKAIDO_MUNICIPALITY_COURT.get(town)!}地方裁判所`,
      );
    }
  });
});
