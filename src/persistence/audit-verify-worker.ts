import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { ChainVerifier } from '../domain/audit/chain.js';
import { verifyAuditRows, type AuditVerifyJob, type AuditVerifyMessage } from './audit-verify-query.js';

/**
 * Worker thread of `verifyChains` (repositories/audit.ts): verifies one segment of the
 * (chain, seq) order through its own read-only connection (WAL lets readers run side by side)
 * and posts the segment for the main thread to merge in order.
 */

const port = parentPort;
if (!port) throw new Error('audit-verify-worker must run in a worker thread');
const job = workerData as AuditVerifyJob;
const post = (m: AuditVerifyMessage) => port.postMessage(m);

const sqlite = new SQLite(job.file, { readonly: true, fileMustExist: true });
try {
  sqlite.pragma('busy_timeout = 5000');
  // Page reads through a memory map instead of a read() system call each, as openDatabase does,
  // but mapping up to SQLite's default maximum (2 GiB): a segment may lie far into the file.
  sqlite.pragma('mmap_size = 2147418112');
  const verifier = ChainVerifier.forSegment();
  // Progress more often than on one thread: the main thread adds up K workers' counts.
  const rows = verifyAuditRows(
    sqlite,
    job.range,
    verifier,
    (n) => post({ type: 'progress', rows: n }),
    25_000,
  );
  post({ type: 'done', rows, segment: verifier.toSegment() });
} finally {
  sqlite.close();
}
