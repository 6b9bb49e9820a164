import { useState, type FormEvent } from 'react';
import { Button, Collapse, Group, Paper, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useWaiveObligation } from '../../api/incidents';
import type { Incident, Obligation } from '../../api/incidentTypes';
import { clockStatus } from '../../lib/clock';
import { formatInstant } from '../../lib/dates';
import { formatDuration } from '../../lib/instants';
import { useIdempotencyKey } from '../../lib/useIdempotencyKey';
import { useLang } from '../../lib/useLang';
import { ErrorAlert } from '../ErrorAlert';
import { DueWithClock } from './ClockText';

function WaiveForm({ incident, obligation }: { incident: Incident; obligation: Obligation }) {
  const { t } = useTranslation();
  const waive = useWaiveObligation(incident);
  const idem = useIdempotencyKey();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const payload = { obligationId: obligation.id, reason: reason.trim() };
    if (!payload.reason) return;
    waive.mutate({ ...payload, idempotencyKey: idem.keyFor(payload) }, { onSuccess: () => idem.reset() });
  };
  return (
    <Stack gap={4}>
      <Group>
        <Button
          size="compact-sm"
          variant="subtle"
          color="gray"
          onClick={() => setOpen((o) => !o)}
          aria-expanded={open}
        >
          {t('clocks.waive')}
        </Button>
      </Group>
      <Collapse expanded={open}>
        <form onSubmit={onSubmit} noValidate>
          <Stack gap={6}>
            <Textarea
              label={t('clocks.waiveReason')}
              description={t('clocks.waiveTitle')}
              required
              autosize
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
            <ErrorAlert error={waive.error} />
            <Group>
              <Button
                type="submit"
                size="xs"
                color="gray"
                loading={waive.isPending}
                disabled={!reason.trim()}
              >
                {t('clocks.waiveSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Collapse>
    </Stack>
  );
}

function ClockRow(props: { incident: Incident; obligation: Obligation; nowMs: number; canWaive: boolean }) {
  const { incident, obligation: o, nowMs, canWaive } = props;
  const { t } = useTranslation();
  const { lang, pick } = useLang();
  const s = clockStatus(o, nowMs);
  const mine = incident.myParty === o.owedBy;
  const overdue = s.kind === 'overdue';
  // Several 3.2(6) duties look alike: name the question each one answers.
  const question =
    o.clause === '3.2(6)' ? incident.itemRequests.find((r) => r.id === o.sourceId)?.question : undefined;
  return (
    <Paper
      withBorder
      p="sm"
      radius="sm"
      data-testid="obligation-clock"
      data-clause={o.clause}
      data-owed-by={o.owedBy}
      data-state={o.state}
      style={overdue ? { borderColor: 'var(--mantine-color-red-6)', borderWidth: 2 } : undefined}
    >
      <Stack gap={4}>
        <Text fw={600} size="sm">
          {pick(o.title.ja, o.title.en)}
        </Text>
        {question && (
          <Text size="xs" c="dimmed" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
            {t('clocks.question', { question })}
          </Text>
        )}
        <Text size="xs" c={mine ? 'indigo.7' : 'dimmed'} fw={mine ? 600 : undefined}>
          {t('clocks.duty', { by: t(`party.${o.owedBy}`), to: t(`party.${o.owedTo}`) })}
          {t('common.sep')}
          {mine ? t('clocks.yours') : t('clocks.theirs')}
        </Text>
        <DueWithClock obligation={o} nowMs={nowMs} label={`${t('clocks.due')}${t('common.colon')}`} />
        {(s.kind === 'met' || s.kind === 'met_late') && (
          <Text size="xs" c="dimmed">
            {t('clocks.metAt')}
            {t('common.colon')}
            {formatInstant(s.at, lang)}
            {s.kind === 'met_late' && t('clocks.lateBy', { duration: formatDuration(s.lateMs, lang) })}
          </Text>
        )}
        {o.metBy?.takenAt && o.metBy.takenAt !== o.metBy.at && (
          <Text size="xs" c="dimmed">
            {t('clocks.takenAt', { at: formatInstant(o.metBy.takenAt, lang) })}
          </Text>
        )}
        <Text size="xs" c="dimmed" data-testid="obligation-basis">
          {t('clocks.basis', { article: o.basis.article, rule: pick(o.basis.rule.ja, o.basis.rule.en) })}
        </Text>
        {s.kind === 'waived' && !s.byDismissal && (
          <Text size="xs" c="dimmed">
            {t('clocks.reason', { reason: s.reason })}
            {t('common.sep')}
            {formatInstant(s.at, lang)}
          </Text>
        )}
        {canWaive && o.owedTo === incident.myParty && (o.state === 'open' || o.state === 'breached') && (
          <WaiveForm incident={incident} obligation={o} />
        )}
      </Stack>
    </Paper>
  );
}

/** The Art 3 clocks of one incident: due time in Japan time and time left, overdue, met or waived. */
export function ObligationClocks(props: { incident: Incident; nowMs: number; canWaive: boolean }) {
  const { incident, nowMs, canWaive } = props;
  const { t } = useTranslation();
  const [showSettled, setShowSettled] = useState(false);
  // Unmet duties first, soonest first; settled ones (met, late, waived) folded away below them.
  const byDue = (a: Obligation, b: Obligation) => Date.parse(a.dueAt) - Date.parse(b.dueAt);
  const unmet = incident.obligations.filter((o) => o.state === 'open' || o.state === 'breached').sort(byDue);
  const settled = incident.obligations
    .filter((o) => o.state !== 'open' && o.state !== 'breached')
    .sort(byDue);
  return (
    <Paper withBorder p="md" radius="md" data-testid="obligation-clocks">
      <Stack gap="sm">
        <Title order={3}>{t('clocks.title')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
          {unmet.map((o) => (
            <ClockRow key={o.id} incident={incident} obligation={o} nowMs={nowMs} canWaive={canWaive} />
          ))}
        </SimpleGrid>
        {settled.length > 0 && (
          <>
            <Group>
              <Button
                size="compact-sm"
                variant="subtle"
                onClick={() => setShowSettled((v) => !v)}
                aria-expanded={showSettled}
                data-testid="settled-toggle"
              >
                {t(showSettled ? 'clocks.hideSettled' : 'clocks.showSettled', { count: settled.length })}
              </Button>
            </Group>
            <Collapse expanded={showSettled}>
              <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
                {settled.map((o) => (
                  <ClockRow key={o.id} incident={incident} obligation={o} nowMs={nowMs} canWaive={canWaive} />
                ))}
              </SimpleGrid>
            </Collapse>
          </>
        )}
      </Stack>
    </Paper>
  );
}
