import { useState, type FormEvent } from 'react';
import {
  Badge,
  Button,
  Collapse,
  Group,
  Paper,
  Radio,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  useCooperationRequests,
  useRequestCooperation,
  useRespondCooperation,
  type CooperationRequest,
  type CooperationResponse,
} from '../../api/cooperation';
import type { Incident } from '../../api/incidentTypes';
import { formatInstant } from '../../lib/dates';
import { fromTokyoInput } from '../../lib/instants';
import { useIdempotencyKey } from '../../lib/useIdempotencyKey';
import { useLang } from '../../lib/useLang';
import { ErrorAlert } from '../ErrorAlert';

type Category = CooperationRequest['category'];
const CATEGORIES: Category[] = [
  'cause_analysis',
  'damage_scope',
  'prevention_plan',
  'authority_report',
  'individual_notice',
  'public_relations',
  'evidence_and_logs',
  'other',
];
const STATE_COLOR: Record<CooperationRequest['state'], string> = {
  requested: 'orange',
  accepted: 'indigo',
  declined: 'red',
  delivered: 'teal',
};

function AskForm({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const ask = useRequestCooperation(incident);
  const idem = useIdempotencyKey();
  const [open, setOpen] = useState(false);
  const [category, setCategory] = useState<Category>('cause_analysis');
  const [details, setDetails] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!details.trim()) return;
    const payload = { category, details: details.trim() };
    ask.mutate(
      { ...payload, idempotencyKey: idem.keyFor({ incidentId: incident.id, ...payload }) },
      {
        onSuccess: () => {
          idem.reset();
          setOpen(false);
          setDetails('');
        },
      },
    );
  };
  return (
    <Stack gap={4}>
      <Group>
        <Button size="compact-sm" variant="light" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
          {t('cooperation.open')}
        </Button>
      </Group>
      <Collapse expanded={open}>
        <form onSubmit={onSubmit} noValidate data-testid="cooperation-form">
          <Stack gap={6}>
            <Select
              label={t('cooperation.category')}
              required
              allowDeselect={false}
              data={CATEGORIES.map((c) => ({ value: c, label: t(`cooperation.categoryOption.${c}`) }))}
              value={category}
              onChange={(v) => v && setCategory(v as Category)}
            />
            <Textarea
              label={t('cooperation.details')}
              required
              autosize
              minRows={2}
              value={details}
              onChange={(e) => setDetails(e.currentTarget.value)}
            />
            <ErrorAlert error={ask.error} />
            <Group>
              <Button type="submit" size="xs" loading={ask.isPending} disabled={!details.trim()}>
                {t('cooperation.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Collapse>
    </Stack>
  );
}

function RespondForm({ incident, r }: { incident: Incident; r: CooperationRequest }) {
  const { t } = useTranslation();
  const respond = useRespondCooperation(incident);
  const idem = useIdempotencyKey();
  // An accepted request is next delivered; a new one is accepted, declined or delivered at once.
  const [decision, setDecision] = useState<CooperationResponse['decision']>(
    r.state === 'accepted' ? 'delivered' : 'accepted',
  );
  const [reason, setReason] = useState('');
  const [answer, setAnswer] = useState('');
  const [deliverBy, setDeliverBy] = useState('');
  const deliverByInstant = deliverBy ? fromTokyoInput(deliverBy) : null;
  const ready =
    (decision === 'declined' && reason.trim()) ||
    (decision === 'delivered' && answer.trim()) ||
    (decision === 'accepted' && (!deliverBy || deliverByInstant));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    const body: CooperationResponse = {
      decision,
      ...(decision === 'declined' ? { reason: reason.trim() } : {}),
      ...(decision === 'delivered' ? { answer: answer.trim() } : {}),
      ...(decision === 'accepted' && deliverByInstant ? { deliverBy: deliverByInstant } : {}),
    };
    respond.mutate(
      { requestId: r.id, body, idempotencyKey: idem.keyFor({ id: r.id, ...body }) },
      { onSuccess: () => idem.reset() },
    );
  };
  return (
    <form onSubmit={onSubmit} noValidate data-testid="cooperation-response">
      <Stack gap={6}>
        <Radio.Group
          label={t('cooperation.decision')}
          value={decision}
          onChange={(v) => setDecision(v as CooperationResponse['decision'])}
        >
          <Group gap="md" mt={4}>
            {r.state === 'requested' && <Radio value="accepted" label={t('cooperation.accept')} />}
            {r.state === 'requested' && <Radio value="declined" label={t('cooperation.decline')} />}
            <Radio value="delivered" label={t('cooperation.deliver')} />
          </Group>
        </Radio.Group>
        {decision === 'declined' && (
          <Textarea
            label={t('cooperation.reason')}
            required
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
        )}
        {decision === 'delivered' && (
          <Textarea
            label={t('cooperation.answer')}
            required
            autosize
            minRows={2}
            value={answer}
            onChange={(e) => setAnswer(e.currentTarget.value)}
          />
        )}
        {decision === 'accepted' && (
          <TextInput
            type="datetime-local"
            label={t('cooperation.deliverByField')}
            value={deliverBy}
            onChange={(e) => setDeliverBy(e.currentTarget.value)}
            error={deliverBy && !deliverByInstant ? t('report.invalidTime') : undefined}
          />
        )}
        <ErrorAlert error={respond.error} />
        <Group>
          <Button type="submit" size="xs" loading={respond.isPending} disabled={!ready}>
            {t('cooperation.submitResponse')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * 協力の求め（第4条第2項）: each request with its matter, direction, due time and answer; the
 * requested party answers (accept with a delivery time, decline with a reason, deliver).
 */
export function Cooperation(props: { incident: Incident; acting: boolean }) {
  const { incident, acting } = props;
  const { t } = useTranslation();
  const { lang, pick } = useLang();
  const list = useCooperationRequests(incident.id);
  const items = list.data?.items ?? [];
  if (!acting && items.length === 0 && !list.isError) return null;
  return (
    <Paper withBorder p="md" radius="md" data-testid="cooperation-requests">
      <Stack gap="sm">
        <Title order={3}>{t('cooperation.title')}</Title>
        <Text size="xs" c="dimmed">
          {t('cooperation.intro')}
        </Text>
        {list.isError && <ErrorAlert error={list.error} />}
        {items.length === 0 ? (
          <Text size="sm">{t('cooperation.empty')}</Text>
        ) : (
          items.map((r) => (
            <Paper
              key={r.id}
              withBorder
              p="xs"
              radius="sm"
              data-testid="cooperation-request"
              data-request-id={r.id}
              data-state={r.state}
            >
              <Stack gap={4}>
                <Group gap="xs">
                  <Badge color={STATE_COLOR[r.state]} variant="light">
                    {t(`cooperation.state.${r.state}`)}
                  </Badge>
                  <Text size="sm" fw={600}>
                    {pick(r.categoryLabel.ja, r.categoryLabel.en)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('cooperation.direction', {
                      from: t(`party.${r.fromParty}`),
                      to: t(`party.${r.toParty}`),
                    })}
                  </Text>
                </Group>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {r.details}
                </Text>
                <Text size="xs" c={r.state === 'requested' ? 'orange.8' : 'dimmed'}>
                  {t('cooperation.due', { at: formatInstant(r.dueAt, lang) })}
                </Text>
                {r.deliverBy && (
                  <Text size="xs">
                    {t('cooperation.deliverBy', { at: formatInstant(r.deliverBy, lang) })}
                  </Text>
                )}
                {r.reason && (
                  <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                    {t('cooperation.reasonShown', { text: r.reason })}
                  </Text>
                )}
                {r.answer && (
                  <Text size="xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    {t('cooperation.answerShown', { text: r.answer })}
                  </Text>
                )}
                {acting &&
                  r.toParty === incident.myParty &&
                  (r.state === 'requested' || r.state === 'accepted') && (
                    <RespondForm key={r.state} incident={incident} r={r} />
                  )}
              </Stack>
            </Paper>
          ))
        )}
        {acting && <AskForm incident={incident} />}
      </Stack>
    </Paper>
  );
}
