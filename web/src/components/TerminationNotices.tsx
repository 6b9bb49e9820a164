import { useState, type FormEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useRecordTerminationNotice } from '../api/agreements';
import type { Agreement, PartySide, TerminationNotice } from '../api/types';
import { formatDate, formatInstant, isIsoDate, todayInTokyo } from '../lib/dates';
import { useLang } from '../lib/useLang';
import { useIdempotencyKey } from '../lib/useIdempotencyKey';
import { DateField } from './DateField';
import { ErrorAlert } from './ErrorAlert';

function Outcome({ onTime }: { onTime: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap">
      <Badge color={onTime ? 'green' : 'orange'} variant="light">
        {onTime ? t('notices.onTime') : t('notices.late')}
      </Badge>
      <Text size="sm">{onTime ? t('notices.endsThisTerm') : t('notices.endsNextTerm')}</Text>
    </Group>
  );
}

function NoticeList({ notices }: { notices: TerminationNotice[] }) {
  const { t } = useTranslation();
  const { lang } = useLang();
  if (notices.length === 0)
    return (
      <Text c="dimmed" size="sm">
        {t('notices.empty')}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped verticalSpacing="xs" data-testid="termination-notices">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('notices.byParty')}</Table.Th>
            <Table.Th>{t('notices.receivedOn')}</Table.Th>
            <Table.Th>{t('notices.outcome')}</Table.Th>
            <Table.Th>{t('notices.effectiveEnd')}</Table.Th>
            <Table.Th>{t('notices.recordedBy')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {notices.map((n) => (
            <Table.Tr key={n.id}>
              <Table.Td>{t(`party.${n.byParty}`)}</Table.Td>
              <Table.Td>{formatDate(n.receivedOn, lang)}</Table.Td>
              <Table.Td>
                <Outcome onTime={n.onTime} />
              </Table.Td>
              <Table.Td>{formatDate(n.effectiveEnd, lang)}</Table.Td>
              <Table.Td>
                <Text size="sm">{n.recordedBy?.name ?? t('audit.system')}</Text>
                <Text size="xs" c="dimmed">
                  {formatInstant(n.recordedAt, lang)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Art 11.2 notices: the list, and a form that shows the API's verdict (on time → ends this term). */
export function TerminationNotices({ agreement, canRecord }: { agreement: Agreement; canRecord: boolean }) {
  const { t } = useTranslation();
  const { lang, pick } = useLang();
  const record = useRecordTerminationNotice(agreement.id);
  const idem = useIdempotencyKey();
  const [byParty, setByParty] = useState<PartySide>(agreement.myParty ?? 'A');
  const [receivedOn, setReceivedOn] = useState(todayInTokyo());
  const bad = !isIsoDate(receivedOn);
  const result = record.data;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (bad) return;
    const body = { byParty, receivedOn };
    record.mutate({ ...body, idempotencyKey: idem.keyFor(body) }, { onSuccess: () => idem.reset() });
  };

  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={3}>{t('notices.title')}</Title>
        <NoticeList notices={agreement.terminationNotices} />
        {result && (
          <Alert
            color={result.onTime ? 'green' : 'orange'}
            title={t('notices.result')}
            data-testid="notice-result"
          >
            <Stack gap={4}>
              <Text size="sm">{pick(result.messageJa, result.messageEn)}</Text>
              <Outcome onTime={result.onTime} />
              {result.deadline && (
                <Text size="sm">
                  {t('term.terminationNoticeDeadline')}
                  {t('common.colon')}
                  {formatDate(result.deadline, lang)}
                </Text>
              )}
              <Text size="sm">
                {t('notices.effectiveEnd')}
                {t('common.colon')}
                <b>{formatDate(result.effectiveEnd, lang)}</b>
              </Text>
            </Stack>
          </Alert>
        )}
        {canRecord && agreement.term.status === 'active' && agreement.terminationNotices.length === 0 && (
          <form onSubmit={onSubmit} noValidate>
            <Group align="flex-end" gap="sm">
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('notices.byParty')}
                </Text>
                <SegmentedControl
                  aria-label={t('notices.byParty')}
                  value={byParty}
                  onChange={(v) => setByParty(v === 'B' ? 'B' : 'A')}
                  data={[
                    { value: 'A', label: t('party.A') },
                    { value: 'B', label: t('party.B') },
                  ]}
                />
              </Stack>
              <DateField
                name="receivedOn"
                label={t('notices.receivedOn')}
                description={t('notices.receivedOnHelp')}
                value={receivedOn}
                onChange={setReceivedOn}
                error={bad ? t('common.invalidDate') : undefined}
              />
              <Button type="submit" color="red" variant="light" loading={record.isPending}>
                {t('notices.submit')}
              </Button>
            </Group>
          </form>
        )}
        <ErrorAlert error={record.error} />
      </Stack>
    </Paper>
  );
}
