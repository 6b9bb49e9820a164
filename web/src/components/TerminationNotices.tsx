import { useState, type FormEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Radio,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useRecordTerminationNotice } from '../api/agreements';
import type {
  Agreement,
  IsoDate,
  LateNoticeEffect,
  LateReading,
  PartySide,
  TerminationNotice,
  TerminationNoticeMethod,
} from '../api/types';
import { formatDate, formatInstant, isIsoDate, todayInTokyo } from '../lib/dates';
import { useLang } from '../lib/useLang';
import { useIdempotencyKey } from '../lib/useIdempotencyKey';
import { DateField } from './DateField';
import { ErrorAlert } from './ErrorAlert';

const METHODS: TerminationNoticeMethod[] = ['letter', 'pdf_email', 'other'];

/**
 * A late notice: 第11条第2項 does not say what it does, so the system's reading is shown as a
 * reading (not as the memorandum's rule), with the recorder's choice.
 */
function LateReadingText({ reading }: { reading: LateReading }) {
  const { t } = useTranslation();
  const { lang } = useLang();
  if (reading.effect === 'not_effective') {
    return (
      <Text size="sm" data-testid="late-not-effective">
        {t('notices.notEffectiveHelp')}
      </Text>
    );
  }
  return (
    <Text size="sm" data-testid="late-reading">
      {t('notices.lateReading')}
      {t('notices.lateReadingDate', { date: formatDate(reading.nextTermEnd, lang) })}
      {lang === 'ja' ? '。' : '.'}
    </Text>
  );
}

function Outcome({ onTime, lateReading }: { onTime: boolean; lateReading: LateReading | null }) {
  const { t } = useTranslation();
  const notEffective = !onTime && lateReading?.effect === 'not_effective';
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="nowrap">
        <Badge color={onTime ? 'green' : 'orange'} variant="light">
          {onTime ? t('notices.onTime') : t('notices.late')}
        </Badge>
        {notEffective ? (
          <Badge color="gray" variant="outline">
            {t('notices.notEffective')}
          </Badge>
        ) : (
          <Text size="sm">{onTime ? t('notices.endsThisTerm') : t('notices.endsNextTerm')}</Text>
        )}
      </Group>
      {!onTime && lateReading && lateReading.effect === 'next_term' && (
        <Text size="xs" c="dimmed">
          {t('notices.lateReading')}
        </Text>
      )}
    </Stack>
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
    <Table.ScrollContainer minWidth={760}>
      <Table striped verticalSpacing="xs" data-testid="termination-notices">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('notices.byParty')}</Table.Th>
            <Table.Th>{t('notices.receivedOn')}</Table.Th>
            <Table.Th>{t('notices.method')}</Table.Th>
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
              <Table.Td data-testid="notice-method">
                <Text size="sm" c={n.method ? undefined : 'dimmed'}>
                  {t(`notices.methods.${n.method ?? 'none'}`)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Outcome onTime={n.onTime} lateReading={n.lateReading ?? null} />
              </Table.Td>
              <Table.Td>{n.effectiveEnd ? formatDate(n.effectiveEnd, lang) : '—'}</Table.Td>
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

/**
 * Art 11.2 notices: the list, and a form that shows the API's verdict (on time → ends this term).
 * The date received cannot be in the future (the server refuses it too). A date after the current
 * term's deadline is a late notice: the form shows the system's reading and lets the recorder
 * record it as not effective instead.
 */
export function TerminationNotices({ agreement, canRecord }: { agreement: Agreement; canRecord: boolean }) {
  const { t } = useTranslation();
  const { lang, pick } = useLang();
  const record = useRecordTerminationNotice(agreement.id);
  const idem = useIdempotencyKey();
  const [byParty, setByParty] = useState<PartySide>(agreement.myParty ?? 'A');
  const [receivedOn, setReceivedOn] = useState<IsoDate>(todayInTokyo());
  const [method, setMethod] = useState<TerminationNoticeMethod | 'none'>('none');
  const [lateEffect, setLateEffect] = useState<LateNoticeEffect>('next_term');
  const today = todayInTokyo();
  const invalid = !isIsoDate(receivedOn);
  const future = !invalid && receivedOn > today;
  const deadline = agreement.term.terminationNoticeDeadline;
  // Late for the current term (the server decides; this only decides whether to ask).
  const late = !invalid && !future && deadline !== null && receivedOn > deadline;
  const result = record.data;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (invalid || future) return;
    const body = {
      byParty,
      receivedOn,
      ...(method !== 'none' ? { method } : {}),
      ...(late && lateEffect === 'not_effective' ? { lateNoticeEffect: lateEffect } : {}),
    };
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
              <Outcome onTime={result.onTime} lateReading={result.lateReading ?? null} />
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
                <b>{result.effectiveEnd ? formatDate(result.effectiveEnd, lang) : '—'}</b>
              </Text>
            </Stack>
          </Alert>
        )}
        {canRecord && agreement.term.status === 'active' && agreement.term.endsOn === null && (
          <form onSubmit={onSubmit} noValidate>
            <Stack gap="sm">
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
                  max={today}
                  onChange={setReceivedOn}
                  error={invalid ? t('common.invalidDate') : future ? t('notices.futureDate') : undefined}
                />
                <Select
                  name="method"
                  label={t('notices.method')}
                  description={t('notices.methodHelp')}
                  value={method}
                  allowDeselect={false}
                  onChange={(v) =>
                    setMethod(
                      METHODS.includes(v as TerminationNoticeMethod)
                        ? (v as TerminationNoticeMethod)
                        : 'none',
                    )
                  }
                  data={[...METHODS, 'none' as const].map((m) => ({
                    value: m,
                    label: t(`notices.methods.${m}`),
                  }))}
                />
              </Group>
              {late && (
                <Alert color="orange" title={t('notices.lateTitle')} data-testid="late-notice-choice">
                  <Stack gap="xs">
                    <Text size="sm">
                      {t('notices.lateReading')}
                      {lang === 'ja' ? '。' : '.'} {t('notices.lateSilent')}
                    </Text>
                    <Radio.Group
                      name="lateNoticeEffect"
                      label={t('notices.lateEffect')}
                      value={lateEffect}
                      onChange={(v) => setLateEffect(v === 'not_effective' ? 'not_effective' : 'next_term')}
                    >
                      <Stack gap={4} mt={4}>
                        <Radio value="next_term" label={t('notices.lateEffects.next_term')} />
                        <Radio value="not_effective" label={t('notices.lateEffects.not_effective')} />
                      </Stack>
                    </Radio.Group>
                  </Stack>
                </Alert>
              )}
              <Group>
                <Button
                  type="submit"
                  color="red"
                  variant="light"
                  loading={record.isPending}
                  disabled={future}
                >
                  {t('notices.submit')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        {agreement.terminationNotices.some((n) => n.lateReading) && (
          <Stack gap={2}>
            {agreement.terminationNotices
              .filter((n): n is TerminationNotice & { lateReading: LateReading } => Boolean(n.lateReading))
              .map((n) => (
                <LateReadingText key={n.id} reading={n.lateReading} />
              ))}
          </Stack>
        )}
        <ErrorAlert error={record.error} />
      </Stack>
    </Paper>
  );
}
