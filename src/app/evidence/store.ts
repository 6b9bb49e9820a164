import path from 'node:path';
import type { Config } from '../../config/config.js';
import { FolderEvidenceStore, type EvidenceStore } from '../../persistence/evidence-store.js';

export {
  EvidenceBlobMissingError,
  EvidenceTooLargeError,
  type EvidenceStore,
  type PendingEvidenceBlob,
  type StoredEvidenceBlob,
} from '../../persistence/evidence-store.js';

const stores = new Map<string, EvidenceStore>();

/**
 * The evidence store of this instance: the folder `DATA_DIR/evidence/` (an S3-compatible store can
 * replace it behind the same interface). Disclosure packages read evidence bytes through it.
 */
export function evidenceStore(config: Pick<Config, 'dataDir'>): EvidenceStore {
  const dir = path.join(config.dataDir, 'evidence');
  let store = stores.get(dir);
  if (!store) {
    store = new FolderEvidenceStore(dir);
    stores.set(dir, store);
  }
  return store;
}
