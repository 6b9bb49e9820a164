import { describe, expect, it } from 'vitest';
import { formatArticleList } from './parameters';

describe('formatArticleList', () => {
  it('lists articles as the memorandum does (第11条第3項: 第5条、第8条及び第9条)', () => {
    expect(formatArticleList([5, 8, 9], 'ja')).toBe('第5条、第8条及び第9条');
    expect(formatArticleList([5, 8], 'ja')).toBe('第5条及び第8条');
    expect(formatArticleList([9], 'ja')).toBe('第9条');
    expect(formatArticleList([], 'ja')).toBe('なし');
  });

  it('keeps the English "Art" style', () => {
    expect(formatArticleList([5, 8, 9], 'en')).toBe('Art 5, 8 and 9');
    expect(formatArticleList([9], 'en')).toBe('Art 9');
    expect(formatArticleList([], 'en')).toBe('none');
  });
});
