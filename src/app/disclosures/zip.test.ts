import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { zipChunks, type ZipEntry } from './zip.js';

const collect = async (entries: ZipEntry[]) => {
  const out: Buffer[] = [];
  for await (const c of zipChunks(entries, new Date('2026-11-28T01:00:00Z'))) out.push(c);
  return Buffer.concat(out);
};

type StreamEntry = Extract<ZipEntry, { kind: 'stream' }>;

const streamed = (path: string, data: Buffer, chunk = 1000): StreamEntry => ({
  path,
  kind: 'stream',
  size: data.length,
  crc32: crc32(data),
  sha256: createHash('sha256').update(data).digest('hex'),
  open: async () =>
    (async function* () {
      for (let i = 0; i < data.length; i += chunk) yield data.subarray(i, i + chunk);
    })(),
});

describe('the disclosure package ZIP writer', () => {
  it('writes deflated records and stored streamed files that a ZIP reader reads back byte for byte (UTF-8 names)', async () => {
    const evidence = randomBytes(123_457);
    const zip = await collect([
      { path: 'manifest.json', kind: 'bytes', bytes: Buffer.from('{"a":1}\n') },
      { path: '通知/第一報.txt', kind: 'bytes', bytes: Buffer.from('第一報の内容\n'.repeat(50)) },
      streamed('evidence/ログ.bin', evidence),
    ]);
    const files = unzipSync(zip);
    expect(Object.keys(files)).toEqual(['manifest.json', '通知/第一報.txt', 'evidence/ログ.bin']);
    expect(Buffer.from(files['evidence/ログ.bin']!).equals(evidence)).toBe(true);
    expect(new TextDecoder().decode(files['通知/第一報.txt'])).toBe('第一報の内容\n'.repeat(50));
  });

  it('fails instead of finishing an archive when a streamed file is not what was checked', async () => {
    const data = randomBytes(5000);
    const changed: StreamEntry = {
      ...streamed('e.bin', data),
      open: streamed('e.bin', randomBytes(5000)).open,
    };
    await expect(collect([changed])).rejects.toThrow(/changed while it was being packaged/);
    const longer: StreamEntry = {
      ...streamed('e.bin', data),
      open: streamed('e.bin', Buffer.concat([data, data])).open,
    };
    await expect(collect([longer])).rejects.toThrow(/changed/);
  });
});
