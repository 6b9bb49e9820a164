import { Anchor, Button, Card, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAgreementIncidents, useAgreementObligations } from '../../api/incidents';
import type { IncidentSummary } from '../../api/incidentTypes';
import type { Agreement, User } from '../../api/types';
import { byUrgency, serverSkewMs, useNow } from '../../lib/clock';
import { formatInstant } from '../../lib/dates';
import { useLang } from '../../lib/useLang';
import { ErrorAlert } from '../ErrorAlert';
import { DueWithClock } from './ClockText';
import { IncidentStateBadge } from './IncidentStateBadge';
import { showBidiControls } from '../../lib/visibleText';
import { reportBlocker } from '../../lib/reportAccess';

/** Those of a party who act on incidents may report one (viewers read; the admin never sees them). */
export function canReport(user: User | null | undefined, a: Agreement): boolean {
  const blocker = reportBlocker(user, a);
  return blocker === null || blocker === 'notActive';
}

function IncidentCard({ incident, nowMs }: { incident: IncidentSummary; nowMs: number }) {
  const { t } = useTranslation();
  const { lang, pick } = useLang();
  const next = (incident.obligations ?? [])
    .filter((o) => o.state === 'open' || o.state === 'breached')
    .sort(byUrgency)[0];
  return (
    <Card
      withBorder
      radius="md"
      padding="sm"
      component={Link}
      to={`/incidents/${incident.id}`}
      data-testid="incident-card"
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
        <Text fw={600} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
          {showBidiControls(incident.title)}
        </Text>
        <IncidentStateBadge state={incident.state} />
      </Group>
      {/* Two labelled facts: 「登録した当事者：乙」 and 「原因：不明」 (不明 is the cause, not the party). */}
      <Group gap="md" mt={4} wrap="wrap">
        <Text size="xs" c="dimmed" data-testid="incident-card-party">
          {t('incidents.reportedBy')}
          {t('common.colon')}
          {t(`party.${incident.reportingParty}`)}
        </Text>
        <Text size="xs" c="dimmed" data-testid="incident-card-cause">
          {t('incidents.cause')}
          {t('common.colon')}
          {pick(incident.causeEntityLabel.ja, incident.causeEntityLabel.en)}
        </Text>
      </Group>
      <Text size="sm" mt={4}>
        {t('incidents.discoveredAt')}
        {t('common.colon')}
        {formatInstant(incident.discoveredAt, lang)}
      </Text>
      <Group gap={6} mt={4} wrap="wrap">
        <Text size="sm">
          {t('incidents.nextDue')}
          {t('common.colon')}
        </Text>
        {next ? (
          <>
            <Text size="sm">{pick(next.title.ja, next.title.en)}</Text>
            <DueWithClock obligation={next} nowMs={nowMs} />
          </>
        ) : (
          <Text size="sm" c="dimmed">
            {t('incidents.noneDue')}
          </Text>
        )}
      </Group>
    </Card>
  );
}

function OpenObligations({ agreementId }: { agreementId: string }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const list = useAgreementObligations(agreementId);
  const now = useNow();
  const items = list.data?.items ?? [];
  const nowMs = now + serverSkewMs(items, list.dataUpdatedAt);
  return (
    <Stack gap="xs" data-testid="agreement-obligations">
      <Title order={4}>{t('incidents.obligations')}</Title>
      <ErrorAlert error={list.error} />
      {list.isPending && <Loader size="sm" />}
      {list.data && items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('incidents.noObligations')}
        </Text>
      )}
      {items.map((o) => (
        <Paper key={o.id} withBorder p="xs" radius="sm" data-clause={o.clause}>
          <Text size="sm" fw={600}>
            {pick(o.title.ja, o.title.en)}
          </Text>
          <Anchor
            component={Link}
            to={`/incidents/${o.incident.id}`}
            size="sm"
            style={{ overflowWrap: 'anywhere' }}
          >
            {showBidiControls(o.incident.title)}
          </Anchor>
          <Text size="xs" c="dimmed">
            {t('incidents.owedBy', { party: t(`party.${o.owedBy}`) })}
          </Text>
          <DueWithClock obligation={o} nowMs={nowMs} />
        </Paper>
      ))}
    </Stack>
  );
}

/** The agreement's incidents and open obligations, with 「事故を登録」 for those who may. */
export function AgreementIncidents({
  agreement,
  user,
}: {
  agreement: Agreement;
  user: User | null | undefined;
}) {
  const { t } = useTranslation();
  const list = useAgreementIncidents(agreement.id);
  const now = useNow();
  const items = list.data?.items ?? [];
  const nowMs =
    now +
    serverSkewMs(
      items.flatMap((i) => i.obligations ?? []),
      list.dataUpdatedAt,
    );
  const active = agreement.term.status === 'active';
  return (
    <Paper withBorder p="md" radius="md" data-testid="agreement-incidents">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={3}>{t('incidents.title')}</Title>
          {canReport(user, agreement) && active && (
            <Button component={Link} to={`/agreements/${agreement.id}/incidents/new`} color="red">
              {t('incidents.report')}
            </Button>
          )}
        </Group>
        {!active && canReport(user, agreement) && (
          <Text size="sm" c="dimmed">
            {t('incidents.notActive')}
          </Text>
        )}
        <ErrorAlert error={list.error} />
        {list.isPending && <Loader size="sm" />}
        {list.data && items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('incidents.empty')}
          </Text>
        )}
        <Stack gap="xs">
          {items.map((i) => (
            <IncidentCard key={i.id} incident={i} nowMs={nowMs} />
          ))}
        </Stack>
        {items.length > 0 && <OpenObligations agreementId={agreement.id} />}
      </Stack>
    </Paper>
  );
}
