import type { ReactNode } from 'react';
import { Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { INCIDENT_FLAGS, type Incident } from '../../api/incidentTypes';
import type { Agreement } from '../../api/types';
import { formatInstant } from '../../lib/dates';
import { useLang } from '../../lib/useLang';
import { IncidentStateBadge } from './IncidentStateBadge';
import { showBidiControls } from '../../lib/visibleText';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <div style={{ fontSize: 'var(--mantine-font-size-sm)', overflowWrap: 'anywhere' }}>{children}</div>
    </Stack>
  );
}

/** Title, state, reporting party and cause, and the facts known so far. */
export function IncidentHeader({ incident: i, agreement }: { incident: Incident; agreement?: Agreement }) {
  const { t } = useTranslation();
  const { lang, pick } = useLang();
  const party = i.reportingParty;
  const org = agreement ? (party === 'A' ? agreement.partyA.name : agreement.partyB.name) : null;
  const partyText = org
    ? t('incident.partyWithOrg', { party: t(`party.${party}`), org })
    : t(`party.${party}`);
  const est = (b: boolean) => (b ? t('incident.estimatedMark') : '');
  const flags = INCIDENT_FLAGS.filter((f) => i[f]);
  return (
    <Paper withBorder p="md" radius="md" data-testid="incident-header">
      <Stack gap="sm">
        <Title order={2} style={{ overflowWrap: 'anywhere' }}>
          {showBidiControls(i.title)}
        </Title>
        <Group gap="xs">
          <IncidentStateBadge state={i.state} size="lg" />
          <Badge color={party === 'A' ? 'indigo' : 'teal'} variant="filled">
            {t('incident.reportingParty')}
            {t('common.colon')}
            {t(`party.${party}`)}
          </Badge>
          <Badge color="gray" variant="light">
            {t('incident.cause')}
            {t('common.colon')}
            {pick(i.causeEntityLabel.ja, i.causeEntityLabel.en)}
          </Badge>
          <Text size="xs" c="dimmed">
            {i.myParty === party
              ? t('incident.ownSide', { party: partyText })
              : t('incident.otherSide', { party: partyText })}
          </Text>
        </Group>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="xs">
          <Fact label={t('incident.discoveredAt')}>{formatInstant(i.discoveredAt, lang)}</Fact>
          {i.occurredAt && <Fact label={t('incident.occurredAt')}>{formatInstant(i.occurredAt, lang)}</Fact>}
          <Fact label={t('incident.reportedBy')}>{i.createdByName ?? '—'}</Fact>
          {i.infoCategoryLabels.length > 0 && (
            <Fact label={t('incident.infoCategories')}>
              {i.infoCategoryLabels.map((l) => pick(l.ja, l.en)).join(t('common.listSep'))}
            </Fact>
          )}
          {i.kindLabels.length > 0 && (
            <Fact label={t('incident.kinds')}>
              {i.kindLabels.map((l) => pick(l.ja, l.en)).join(t('common.listSep'))}
            </Fact>
          )}
          {(i.affectedPersons !== null || i.affectedRecords !== null) && (
            <Fact label={t('incident.affected')}>
              {[
                i.affectedPersons !== null &&
                  `${t('incident.persons', { n: i.affectedPersons.toLocaleString() })}${est(i.affectedPersonsEstimated)}`,
                i.affectedRecords !== null &&
                  `${t('incident.records', { n: i.affectedRecords.toLocaleString() })}${est(i.affectedRecordsEstimated)}`,
              ]
                .filter(Boolean)
                .join(' / ')}
            </Fact>
          )}
          {i.dataItems.length > 0 && (
            <Fact label={t('incident.dataItems')}>{i.dataItems.join(t('common.listSep'))}</Fact>
          )}
          {flags.length > 0 && (
            <Fact label={t('incident.flags')}>
              {flags.map((f) => t(`report.${f}`)).join(t('common.listSep'))}
            </Fact>
          )}
        </SimpleGrid>
        {i.summary && (
          <Fact label={t('incident.summary')}>
            <span style={{ whiteSpace: 'pre-wrap' }}>{showBidiControls(i.summary)}</span>
          </Fact>
        )}
        {i.dismissedReason && <Fact label={t('incident.dismissedReason')}>{i.dismissedReason}</Fact>}
      </Stack>
    </Paper>
  );
}
