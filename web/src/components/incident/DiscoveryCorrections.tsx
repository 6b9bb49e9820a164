import { useState, type FormEvent } from 'react';
import {
  Badge,
  Button,
  Collapse,
  Group,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  useDecideDiscoveryCorrection,
  useDiscoveryCorrections,
  useRequestDiscoveryCorrection,
  type DiscoveryCorrection,
} from '../../api/discoveryCorrections';
import type { Incident } from '../../api/incidentTypes';
import { formatInstant } from '../../lib/dates';
import { fromTokyoInput, toTokyoInput } from '../../lib/instants';
import { useIdempotencyKey } from '../../lib/useIdempotencyKey';
import { useLang } from '../../lib/useLang';
import { ErrorAlert } from '../ErrorAlert';

const STATE_COLOR: Record<DiscoveryCorrection['state'], string> = {
  pending: 'orange',
  accepted: 'teal',
  rejected: 'red',
  applied: 'teal',
  superseded: 'gray',
};

function RequestForm({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const request = useRequestDiscoveryCorrection(incident);
  const idem = useIdempotencyKey();
  const [open, setOpen] = useState(false);
  const [at, setAt] = useState(() => toTokyoInput(incident.discoveredAt));
  const [reason, setReason] = useState('');
  const instant = fromTokyoInput(at);
  const later = instant !== null && Date.parse(instant) > Date.parse(incident.discoveredAt);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!instant || !reason.trim()) return;
    const payload = { discoveredAt: instant, reason: reason.trim() };
    request.mutate(
      { ...payload, idempotencyKey: idem.keyFor({ incidentId: incident.id, ...payload }) },
      {
        onSuccess: () => {
          idem.reset();
          setOpen(false);
          setReason('');
        },
      },
    );
  };
  return (
    <Stack gap={4}>
      <Group>
        <Button size="compact-sm" variant="light" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
          {t('corrections.open')}
        </Button>
      </Group>
      <Collapse expanded={open}>
        <form onSubmit={onSubmit} noValidate>
          <Stack gap={6}>
            <TextInput
              type="datetime-local"
              label={t('corrections.newTime')}
              required
              value={at}
              onChange={(e) => setAt(e.currentTarget.value)}
              error={instant === null ? t('report.invalidTime') : undefined}
            />
            <Text size="xs" c={later ? 'orange.8' : 'dimmed'}>
              {later ? t('corrections.laterHelp') : t('corrections.earlierHelp')}
            </Text>
            <Textarea
              label={t('corrections.reason')}
              required
              autosize
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
            <ErrorAlert error={request.error} />
            <Group>
              <Button
                type="submit"
                size="xs"
                loading={request.isPending}
                disabled={!instant || !reason.trim()}
              >
                {t('corrections.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Collapse>
    </Stack>
  );
}

function Decide({ incident, correction }: { incident: Incident; correction: DiscoveryCorrection }) {
  const { t } = useTranslation();
  const decide = useDecideDiscoveryCorrection(incident);
  const idem = useIdempotencyKey();
  const [reason, setReason] = useState('');
  const go = (decision: 'accepted' | 'rejected') => {
    const payload = { correctionId: correction.id, decision, reason: reason.trim() || undefined };
    decide.mutate({ ...payload, idempotencyKey: idem.keyFor(payload) }, { onSuccess: () => idem.reset() });
  };
  return (
    <Stack gap={6}>
      <Textarea
        label={t('corrections.decisionReason')}
        autosize
        minRows={1}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
      />
      <ErrorAlert error={decide.error} />
      <Group gap="xs">
        <Button
          size="xs"
          loading={decide.isPending && decide.variables.decision === 'accepted'}
          onClick={() => go('accepted')}
        >
          {t('corrections.accept')}
        </Button>
        <Button
          size="xs"
          variant="default"
          loading={decide.isPending && decide.variables.decision === 'rejected'}
          onClick={() => go('rejected')}
        >
          {t('corrections.reject')}
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * Corrections of the discovery time (Art 3): the reporting party files one with a reason; moving
 * it later waits for the other party, who accepts (the clocks move) or rejects it.
 */
export function DiscoveryCorrections(props: { incident: Incident; canRequest: boolean; canDecide: boolean }) {
  const { incident, canRequest, canDecide } = props;
  const { t } = useTranslation();
  const { lang } = useLang();
  const list = useDiscoveryCorrections(incident.id);
  const items = list.data?.items ?? [];
  if (!canRequest && items.length === 0) return null;
  return (
    <Paper withBorder p="md" radius="md" data-testid="discovery-corrections">
      <Stack gap="sm">
        <Title order={3}>{t('corrections.title')}</Title>
        <Text size="xs" c="dimmed">
          {t('corrections.intro')}
        </Text>
        {items.map((c) => (
          <Paper key={c.id} withBorder p="xs" radius="sm" data-state={c.state}>
            <Stack gap={4}>
              <Group gap="xs">
                <Badge color={STATE_COLOR[c.state]} variant="light">
                  {t(`corrections.state.${c.state}`)}
                </Badge>
                <Text size="sm">
                  {formatInstant(c.fromDiscoveredAt, lang)} → {formatInstant(c.toDiscoveredAt, lang)}
                </Text>
              </Group>
              <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                {t('corrections.reasonShown', { reason: c.reason })}
              </Text>
              {c.decisionReason && (
                <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {t('corrections.decisionShown', { reason: c.decisionReason })}
                </Text>
              )}
              {c.state === 'pending' && canDecide && <Decide incident={incident} correction={c} />}
            </Stack>
          </Paper>
        ))}
        {canRequest && <RequestForm incident={incident} />}
      </Stack>
    </Paper>
  );
}
