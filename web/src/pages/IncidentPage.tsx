import { Anchor, Loader, Stack } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAgreement } from '../api/agreements';
import { useIncident } from '../api/incidents';
import { useSession } from '../api/session';
import { AuditTrail } from '../components/AuditTrail';
import { ErrorAlert } from '../components/ErrorAlert';
import { Announcements } from '../components/incident/Announcements';
import { Containment } from '../components/incident/Containment';
import { Cooperation } from '../components/incident/Cooperation';
import { Disclosures } from '../components/incident/Disclosures';
import { DiscoveryCorrections } from '../components/incident/DiscoveryCorrections';
import { EditFacts } from '../components/incident/EditFacts';
import { Evidence } from '../components/incident/Evidence';
import { IncidentHeader } from '../components/incident/IncidentHeader';
import { IncidentTimeline } from '../components/incident/IncidentTimeline';
import { ItemRequests } from '../components/incident/ItemRequests';
import { NextAction } from '../components/incident/NextAction';
import { NoticeForm } from '../components/incident/NoticeForm';
import { NoticeList } from '../components/incident/NoticeList';
import { ObligationClocks } from '../components/incident/ObligationClocks';
import { StateActions } from '../components/incident/StateActions';
import { serverSkewMs, useNow } from '../lib/clock';
import { incidentEventFilter } from '../lib/incidentAudit';
import { incidentPermissions } from '../lib/incidentAccess';
import { articlePermissions } from '../lib/articleAccess';
import { useActOnArrival } from '../lib/dutyTarget';

/** /incidents/:id — the link in every incident e-mail: clocks, notices, requests, measures, state, audit. */
export function IncidentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { data: user } = useSession();
  const query = useIncident(id);
  const incident = query.data;
  const agreement = useAgreement(incident?.agreementId ?? '', undefined, Boolean(incident));
  const now = useNow(15_000);
  useActOnArrival(incident?.obligations);

  if (query.isPending) return <Loader />;
  if (!incident) {
    return (
      <Stack align="flex-start">
        <ErrorAlert error={query.error} />
        <Anchor component={Link} to="/agreements">
          {t('common.toTop')}
        </Anchor>
      </Stack>
    );
  }
  const can = incidentPermissions(user, incident);
  const art = articlePermissions(user);
  const nowMs = now + serverSkewMs(incident.obligations, query.dataUpdatedAt);

  return (
    <Stack maw={980} gap="md" data-incident-id={incident.id}>
      <Anchor component={Link} to={`/agreements/${incident.agreementId}`} size="sm">
        ← {t('incident.back')}
      </Anchor>
      {query.isError && <ErrorAlert error={query.error} />}
      <NextAction
        incident={incident}
        nowMs={nowMs}
        canAct={can.sendNotice || can.containment || can.answerItems}
      />
      <IncidentHeader incident={incident} agreement={agreement.data} />
      <ObligationClocks incident={incident} nowMs={nowMs} canWaive={can.waive} />
      {can.editFacts && <EditFacts key={incident.id} incident={incident} />}
      <DiscoveryCorrections
        incident={incident}
        canRequest={can.requestCorrection}
        canDecide={can.decideCorrection}
      />
      {can.transition && <StateActions incident={incident} canTransition={can.transition} />}
      {can.sendNotice && <NoticeForm incident={incident} />}
      <NoticeList incident={incident} canAck={can.acknowledge} />
      <ItemRequests incident={incident} canAsk={can.requestItems} canAnswer={can.answerItems} />
      <Containment incident={incident} canRecord={can.containment} />
      <Cooperation incident={incident} acting={art.acting} />
      <Evidence incident={incident} acting={art.acting} />
      <Disclosures incident={incident} acting={art.acting} deciding={art.deciding} />
      <Announcements incident={incident} acting={art.acting} deciding={art.deciding} />
      <IncidentTimeline incident={incident} nowMs={nowMs} />
      <AuditTrail
        agreementId={incident.agreementId}
        filter={incidentEventFilter(incident)}
        title={t('incidentAudit.title')}
        emptyText={t('incidentAudit.empty')}
      />
    </Stack>
  );
}
