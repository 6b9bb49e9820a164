import { createHash, randomBytes } from 'node:crypto';
import type { Hash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createReadStream } from 'node:fs';

/**
 * Where evidence bytes live (Art 4.2(7)). A small interface so that an S3-compatible object store
 * can replace the folder later: `put` streams into a temporary object (never buffering the file)
 * and computes size and SHA-256 on the way; the object appears under its key only on `commit()`,
 * which the caller runs once the record describing it is ready to commit. `open` streams the bytes;
 * `delete` removes them.
 */
export interface EvidenceStore {
  /**
   * Streams `source` into a temporary object. Throws `EvidenceTooLargeError` as soon as more than
   * `maxBytes` arrive, and rethrows the source's error (a cut-off upload); in both cases nothing
   * is left behind.
   */
  put(source: AsyncIterable<Uint8Array>, options: { maxBytes: number }): Promise<PendingEvidenceBlob>;
  /** The stored bytes; throws `EvidenceBlobMissingError` when there is no object under `key`. */
  open(key: string): Promise<Readable>;
  /** Removes the object (no error when it is already gone). */
  delete(key: string): Promise<void>;
}

export interface StoredEvidenceBlob {
  key: string;
  /** Bytes. */
  size: number;
  /** SHA-256 of the bytes, lower-case hex. */
  sha256: string;
}

export interface PendingEvidenceBlob extends StoredEvidenceBlob {
  /** Moves the temporary object under `key` (atomic rename in the folder store). */
  commit(): Promise<void>;
  /** Drops the temporary object (after a failed transaction). */
  discard(): Promise<void>;
}

export class EvidenceTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`evidence larger than ${maxBytes} bytes`);
    this.name = 'EvidenceTooLargeError';
  }
}

export class EvidenceBlobMissingError extends Error {
  constructor(readonly key: string) {
    super(`no evidence object ${key}`);
    this.name = 'EvidenceBlobMissingError';
  }
}

const KEY = /^[0-9a-f]{32}$/;
/** Bytes gathered before one vectored write: few system calls, bounded memory. */
const BATCH_BYTES = 1 << 20;

/** Writes all of `chunks` at the file's current end, completing short writes. */
async function writeAll(handle: fs.FileHandle, chunks: Uint8Array[], total: number): Promise<void> {
  const { bytesWritten } = await handle.writev(chunks);
  if (bytesWritten === total) return;
  const rest = Buffer.concat(chunks).subarray(bytesWritten);
  let off = 0;
  while (off < rest.length) off += (await handle.write(rest, off)).bytesWritten;
}

/**
 * The evidence folder (`DATA_DIR/evidence/`): one file per object, named by a random key (never by
 * the user's file name); uploads are written to `.tmp-<key>` in the same folder, synced, and
 * renamed into place on commit, so a crash or a cut-off upload never leaves a partial object under
 * a key.
 */
export class FolderEvidenceStore implements EvidenceStore {
  constructor(readonly dir: string) {}

  private file(key: string): string {
    if (!KEY.test(key)) throw new EvidenceBlobMissingError(key);
    return path.join(this.dir, key);
  }

  async put(source: AsyncIterable<Uint8Array>, options: { maxBytes: number }): Promise<PendingEvidenceBlob> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const key = randomBytes(16).toString('hex');
    const temp = path.join(this.dir, `.tmp-${key}`);
    const handle = await fs.open(temp, 'wx', 0o600);
    const hash: Hash = createHash('sha256');
    let size = 0;
    let batch: Uint8Array[] = [];
    let batched = 0;
    // One write in flight while the next batch is read from the source (double buffering).
    let inflight: Promise<void> | null = null;
    const flush = async (): Promise<void> => {
      if (inflight) await inflight;
      inflight = null;
      if (batched === 0) return;
      const chunks = batch;
      const total = batched;
      batch = [];
      batched = 0;
      const p = writeAll(handle, chunks, total);
      p.catch(() => undefined); // awaited by the next flush or at the end
      inflight = p;
    };
    try {
      for await (const chunk of source) {
        size += chunk.byteLength;
        if (size > options.maxBytes) throw new EvidenceTooLargeError(options.maxBytes);
        hash.update(chunk);
        batch.push(chunk);
        batched += chunk.byteLength;
        if (batched >= BATCH_BYTES) await flush();
      }
      await flush();
      await (inflight as Promise<void> | null);
      await handle.sync();
      await handle.close();
    } catch (e) {
      const pending = inflight as Promise<void> | null; // assigned in flush(): not narrowed here
      if (pending) await pending.catch(() => undefined);
      await handle.close().catch(() => undefined);
      await fs.rm(temp, { force: true });
      throw e;
    }
    const final = path.join(this.dir, key);
    const dir = this.dir;
    return {
      key,
      size,
      sha256: hash.digest('hex'),
      async commit() {
        await fs.rename(temp, final);
        // The rename itself is durable once the folder is synced.
        const d = await fs.open(dir, 'r');
        try {
          await d.sync();
        } finally {
          await d.close();
        }
      },
      async discard() {
        await fs.rm(temp, { force: true });
      },
    };
  }

  async open(key: string): Promise<Readable> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.file(key), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new EvidenceBlobMissingError(key);
      throw e;
    }
    return createReadStream('', { fd: handle, highWaterMark: BATCH_BYTES });
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.file(key), { force: true });
  }
}
