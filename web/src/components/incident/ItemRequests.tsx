import { useState, type FormEvent } from 'react';
import { Badge, Button, Group, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAnswerItemRequest, useRequestItems } from '../../api/incidents';
import type { Incident, ItemRequest } from '../../api/incidentTypes';
import { formatInstant } from '../../lib/dates';
import { fromTokyoInput } from '../../lib/instants';
import { useIdempotencyKey } from '../../lib/useIdempotencyKey';
import { useLang } from '../../lib/useLang';
import { ErrorAlert } from '../ErrorAlert';

function RequestForm({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const ask = useRequestItems(incident);
  const idem = useIdempotencyKey();
  const [question, setQuestion] = useState('');
  const [dueAt, setDueAt] = useState('');
  const due = dueAt ? fromTokyoInput(dueAt) : null;
  const badDue = dueAt !== '' && !due;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!question.trim() || badDue) return;
    const payload = { incidentId: incident.id, question: question.trim(), ...(due ? { dueAt: due } : {}) };
    ask.mutate(
      { ...payload, idempotencyKey: idem.keyFor(payload) },
      {
        onSuccess: () => {
          idem.reset();
          setQuestion('');
          setDueAt('');
        },
      },
    );
  };
  return (
    <form onSubmit={onSubmit} noValidate data-testid="item-request-form">
      <Stack gap="xs">
        <Textarea
          name="question"
          label={t('itemRequests.question')}
          required
          autosize
          minRows={2}
          value={question}
          onChange={(e) => setQuestion(e.currentTarget.value)}
        />
        <TextInput
          type="datetime-local"
          name="dueAt"
          label={t('itemRequests.dueAt')}
          description={t('itemRequests.dueHelp', { hours: incident.agreement.noticeTargetHours })}
          value={dueAt}
          onChange={(e) => setDueAt(e.currentTarget.value)}
          error={badDue ? t('report.invalidTime') : undefined}
        />
        <ErrorAlert error={ask.error} />
        <Group>
          <Button type="submit" variant="light" loading={ask.isPending} disabled={!question.trim()}>
            {t('itemRequests.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function AnswerForm({ incident, request }: { incident: Incident; request: ItemRequest }) {
  const { t } = useTranslation();
  const answer = useAnswerItemRequest(incident);
  const idem = useIdempotencyKey();
  const [text, setText] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const payload = { requestId: request.id, answer: text.trim() };
    if (!payload.answer) return;
    answer.mutate({ ...payload, idempotencyKey: idem.keyFor(payload) }, { onSuccess: () => idem.reset() });
  };
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap={6}>
        <Textarea
          label={t('itemRequests.answer')}
          autosize
          minRows={2}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <ErrorAlert error={answer.error} />
        <Group>
          <Button type="submit" size="xs" loading={answer.isPending} disabled={!text.trim()}>
            {t('itemRequests.answerSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Art 3.2(6): the counterparty asks for further items by a time; the reporting side answers. */
export function ItemRequests(props: { incident: Incident; canAsk: boolean; canAnswer: boolean }) {
  const { incident, canAsk, canAnswer } = props;
  const { t } = useTranslation();
  const { lang } = useLang();
  return (
    <Paper withBorder p="md" radius="md" data-testid="item-requests">
      <Stack gap="sm">
        <Title order={3}>{t('itemRequests.title')}</Title>
        {incident.itemRequests.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('itemRequests.empty')}
          </Text>
        )}
        {incident.itemRequests.map((r) => {
          // The Art 3.2(6) duty of this request: waived by the asking side → no answer is owed.
          const duty = incident.obligations.find((o) => o.clause === '3.2(6)' && o.sourceId === r.id);
          const waived = !r.answer && duty?.state === 'waived';
          return (
            <Paper
              key={r.id}
              withBorder
              p="sm"
              radius="sm"
              data-testid="item-request"
              data-request-id={r.id}
              data-state={r.answer ? 'answered' : waived ? 'waived' : 'open'}
            >
              <Stack gap={4}>
                <Group gap="xs" justify="space-between">
                  <Text size="xs" c="dimmed">
                    {t('itemRequests.requestedBy', { party: t(`party.${r.requestedByParty}`) })}
                    {t('common.sep')}
                    {formatInstant(r.requestedAt, lang)}
                  </Text>
                  <Badge color={r.answer ? 'green' : waived ? 'gray' : 'orange'} variant="light">
                    {r.answer
                      ? t('itemRequests.answered')
                      : waived
                        ? t('itemRequests.waived')
                        : t('itemRequests.unanswered')}
                  </Badge>
                </Group>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {r.question}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('clocks.due')}
                  {t('common.colon')}
                  {formatInstant(r.dueAt, lang)}
                </Text>
                {r.answer ? (
                  <Paper bg="gray.0" p="xs" radius="sm">
                    <Text size="xs" c="dimmed">
                      {t('itemRequests.answer')}
                      {t('common.sep')}
                      {formatInstant(r.answeredAt, lang)}
                    </Text>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                      {r.answer}
                    </Text>
                  </Paper>
                ) : (
                  canAnswer && !waived && <AnswerForm incident={incident} request={r} />
                )}
              </Stack>
            </Paper>
          );
        })}
        {canAsk && <RequestForm incident={incident} />}
      </Stack>
    </Paper>
  );
}
