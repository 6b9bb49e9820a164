import { Anchor, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { documentUrl, useAgreement } from '../api/agreements';
import { useSession } from '../api/session';
import type { Agreement, IsoDate, User } from '../api/types';
import { AuditTrail } from '../components/AuditTrail';
import { EditDraftForm, SignForm } from '../components/DraftActions';
import { ErrorAlert } from '../components/ErrorAlert';
import { AgreementIncidents } from '../components/incident/AgreementIncidents';
import { AgreementNextDuty } from '../components/AgreementNextDuty';
import { PartiesBlock } from '../components/PartiesBlock';
import { StatusBadge } from '../components/StatusBadge';
import { TermBlock } from '../components/TermBlock';
import { TerminationNotices } from '../components/TerminationNotices';
import { isIsoDate } from '../lib/dates';

/** Owners of a party (and the administrator) set up and sign; owner or legal record notices. */
function permissions(user: User | null | undefined, a: Agreement) {
  const member = Boolean(user && a.myParty);
  return {
    manage: Boolean(user?.isAdmin || (member && user?.role === 'owner')),
    recordNotice: Boolean(user?.isAdmin || (member && (user?.role === 'owner' || user?.role === 'legal'))),
    // Owner or legal of a party that has not signed yet (the administrator signs for no company).
    sign: Boolean(
      member &&
      a.myParty &&
      a.signatures[a.myParty] === null &&
      (user?.role === 'owner' || user?.role === 'legal'),
    ),
  };
}

function Documents({ id }: { id: string }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={3} mb="sm">
        {t('agreement.documents')}
      </Title>
      <Group>
        <Button component="a" href={documentUrl(id, 'docx')} download variant="light">
          {t('agreement.docx')}
        </Button>
        <Button component="a" href={documentUrl(id, 'html')} target="_blank" rel="noopener" variant="default">
          {t('agreement.html')}
        </Button>
      </Group>
    </Paper>
  );
}

export function AgreementPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const onParam = search.get('on');
  const on: IsoDate | null = onParam && isIsoDate(onParam) ? onParam : null;
  const { data: user } = useSession();
  const query = useAgreement(id, on ?? undefined);
  const a = query.data;

  const setOn = (v: IsoDate | null) =>
    setSearch(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (v) next.set('on', v);
        else next.delete('on');
        return next;
      },
      { replace: true },
    );

  if (query.isPending) return <Loader />;
  if (!a) {
    return (
      <Stack align="flex-start">
        <ErrorAlert error={query.error} />
        <Anchor component={Link} to="/agreements">
          {t('common.toTop')}
        </Anchor>
      </Stack>
    );
  }
  const can = permissions(user, a);
  const draft = a.term.status === 'draft';

  return (
    <Stack maw={980} data-agreement-id={a.id}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2}>
            {t('agreement.title')}
            {t('common.colon')}
            {a.partyA.name}／{a.partyB.name}
          </Title>
          {a.myParty && (
            <Text size="sm" c="dimmed">
              {t('agreement.mySide', { party: t(`party.${a.myParty}`) })}
            </Text>
          )}
        </Stack>
        <StatusBadge status={a.term.status} />
      </Group>
      {query.isError && <ErrorAlert error={query.error} />}
      {!draft && a.myParty && !user?.isAdmin && <AgreementNextDuty agreementId={a.id} user={user} />}
      {!draft && a.myParty && <AgreementIncidents agreement={a} user={user} />}
      <PartiesBlock agreement={a} />
      {draft && can.sign && <SignForm agreement={a} />}
      {draft && can.manage && <EditDraftForm agreement={a} />}
      <TermBlock agreement={a} on={on} onChangeOn={setOn} />
      {!draft && <TerminationNotices agreement={a} canRecord={can.recordNotice} />}
      <Documents id={a.id} />
      <AuditTrail agreementId={a.id} />
    </Stack>
  );
}
