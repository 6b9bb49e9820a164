import { describe, expect, it } from 'vitest';
import { diffStats, lineDiff } from './lineDiff';

describe('lineDiff', () => {
  it('marks nothing when the texts are equal', () => {
    const d = lineDiff('一行目\n二行目', '一行目\n二行目');
    expect(d).toEqual([
      { kind: 'same', text: '一行目' },
      { kind: 'same', text: '二行目' },
    ]);
    expect(diffStats(d)).toEqual({ added: 0, removed: 0 });
  });

  it('shows a changed line as removed then added, in place, keeping the lines around it', () => {
    const before = '件名\n対象者は約1,000名です。\nお問い合わせ窓口';
    const after = '件名\n対象者は約1,200名です。\nお問い合わせ窓口';
    expect(lineDiff(before, after)).toEqual([
      { kind: 'same', text: '件名' },
      { kind: 'removed', text: '対象者は約1,000名です。' },
      { kind: 'added', text: '対象者は約1,200名です。' },
      { kind: 'same', text: 'お問い合わせ窓口' },
    ]);
  });

  it('finds lines added at the end and removed at the start, with CRLF read as LF', () => {
    const d = lineDiff('a\r\nb\r\nc', 'b\nc\nd');
    expect(d).toEqual([
      { kind: 'removed', text: 'a' },
      { kind: 'same', text: 'b' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'd' },
    ]);
    expect(diffStats(d)).toEqual({ added: 1, removed: 1 });
  });

  it('keeps the longest common run when lines move', () => {
    const d = lineDiff('x\ny\nz', 'y\nz\nx');
    expect(d.filter((l) => l.kind === 'same').map((l) => l.text)).toEqual(['y', 'z']);
    expect(diffStats(d)).toEqual({ added: 1, removed: 1 });
  });
});
