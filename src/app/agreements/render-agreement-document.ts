import { contentDisposition, type DocumentFilename } from '../../documents/filename.js';
import {
  agreementDocumentFilename,
  renderAgreementDocx,
  renderAgreementHtml,
  type AgreementDocumentModel,
} from '../../documents/agreement-document.js';
import { parseLocalDate } from '../../domain/shared/time.js';
import type { Actor, AppContext } from '../context.js';
import { buildAgreementViews, loadAgreementFor } from './agreement-view.js';

export type DocumentFormat = 'docx' | 'html';

export interface RenderedDocument {
  body: Buffer | string;
  contentType: string;
  filename: DocumentFilename;
}

export { contentDisposition };

/** The memorandum's full Japanese text with the parties and signing date filled in (and its annex). */
export async function renderAgreementDocument(
  ctx: AppContext,
  actor: Actor,
  id: string,
  format: DocumentFormat,
): Promise<RenderedDocument> {
  const loaded = await loadAgreementFor(ctx.db, actor, id, 'document.read');
  const [view] = await buildAgreementViews(ctx, [loaded], null);
  if (!view) throw new Error('unreachable: view of a loaded agreement');
  // A draft shows the other company's name only (agreement-view viewFor): its lines stay blank.
  const party = (o: typeof view.partyA) => ({
    name: o.name,
    address: o.address ?? '',
    representative: o.representative ?? '',
  });
  const model: AgreementDocumentModel = {
    agreementId: view.agreement.id,
    partyA: party(view.partyA),
    partyB: party(view.partyB),
    signedOn: view.agreement.signedOn ? parseLocalDate(view.agreement.signedOn) : null,
    dateStyle: view.agreement.dateStyle,
    parameters: view.agreement.parameters,
    court: view.agreement.court,
  };
  const names = agreementDocumentFilename(model, format);
  return format === 'docx'
    ? {
        body: await renderAgreementDocx(model),
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        filename: names,
      }
    : {
        body: renderAgreementHtml(model),
        contentType: 'text/html; charset=utf-8',
        filename: names,
      };
}
