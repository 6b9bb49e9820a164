import type { ReactNode } from 'react';
import { Alert, Badge, Box, Button, Grid, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Agreement, IsoDate, Term, TermField } from '../api/types';
import { formatDate, formatWareki, isIsoDate } from '../lib/dates';
import { nextDeadline, ruleFor } from '../lib/term';
import { useLang } from '../lib/useLang';
import { DateField } from './DateField';
import { StatusBadge } from './StatusBadge';

function Row(props: {
  label: string;
  field?: TermField;
  highlight?: ReactNode;
  rules?: string[];
  /** Weekend / holiday badges of the row's dates. */
  notes?: ReactNode;
  children: ReactNode;
}) {
  const { label, field, highlight, rules = [], notes, children } = props;
  return (
    <Box
      data-field={field}
      px="sm"
      py={8}
      bg={highlight ? 'yellow.0' : undefined}
      style={{ borderLeft: highlight ? '4px solid var(--mantine-color-yellow-6)' : '4px solid transparent' }}
    >
      <Grid gap={4} align="baseline">
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <Text size="sm" c="dimmed" fw={500}>
            {label}
          </Text>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 8 }}>
          <Group gap="xs">
            <Box fw={600}>{children}</Box>
            {notes}
            {highlight}
          </Group>
          {rules.map((r) => (
            <Text key={r} size="xs" c="dimmed" data-testid="term-rule">
              {r}
            </Text>
          ))}
        </Grid.Col>
      </Grid>
    </Box>
  );
}

/**
 * 土曜日 / 日曜日 / 祝日（元日） badges for a term date (the server's `term.dateNotes`), with a
 * tooltip: the date is not moved (民法第142条 is not applied).
 */
export function DateNoteBadges(props: { term: Term; fields: TermField[]; format: (d: IsoDate) => string }) {
  const { term, fields, format } = props;
  const { t } = useTranslation();
  const { pick } = useLang();
  const notes = fields.flatMap((field) => {
    const note = term.dateNotes?.[field];
    return note ? [{ field, note }] : [];
  });
  if (notes.length === 0) return null;
  return (
    <>
      {notes.map(({ field, note }) =>
        note.labels.map((label) => (
          <Tooltip
            key={`${field}-${label.ja}`}
            label={`${format(note.date)}${t('common.colon')}${t('term.dateNoteHelp')}`}
            multiline
            w={320}
            withArrow
          >
            <Badge
              color={note.holiday ? 'red' : 'gray'}
              variant="light"
              size="sm"
              data-testid={`date-note-${field}`}
              tabIndex={0}
            >
              {pick(label.ja, label.en)}
            </Badge>
          </Tooltip>
        )),
      )}
    </>
  );
}

/** Art 11 term as evaluated on the reference date (基準日), each date with the rule behind it. */
export function TermBlock(props: {
  agreement: Agreement;
  on: IsoDate | null;
  onChangeOn: (on: IsoDate | null) => void;
}) {
  const { agreement, on, onChangeOn } = props;
  const { t } = useTranslation();
  const { lang } = useLang();
  const term = agreement.term;
  const next = nextDeadline(term);
  const fmt = (d: IsoDate | null) =>
    d
      ? agreement.dateStyle === 'japanese'
        ? `${formatDate(d, lang)}（${formatWareki(d)}）`
        : formatDate(d, lang)
      : '—';
  const rules = (...fields: TermField[]) =>
    fields.map((f) => ruleFor(term, f, lang)).filter((r): r is string => Boolean(r));
  const notes = (...fields: TermField[]) => (
    <DateNoteBadges term={term} fields={fields} format={(d) => formatDate(d, lang)} />
  );
  const mark = (field: TermField) =>
    next?.field === field ? (
      <Badge color={next.daysLeft <= 14 ? 'red' : 'yellow'} variant="filled" data-testid="next-deadline">
        {t('term.next')} ·{' '}
        {next.daysLeft === 0 ? t('term.dueToday') : t('term.daysLeft', { count: next.daysLeft })}
      </Badge>
    ) : null;

  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <Title order={3}>{t('term.title')}</Title>
          <Group gap="xs" align="flex-end">
            <DateField
              name="on"
              label={t('term.evaluatedOn')}
              description={t('term.evaluatedOnHelp')}
              value={on ?? term.evaluatedOn}
              onChange={(v) => isIsoDate(v) && onChangeOn(v)}
            />
            {on && (
              <Button variant="subtle" size="xs" onClick={() => onChangeOn(null)}>
                {t('term.today')}
              </Button>
            )}
          </Group>
        </Group>
        {term.status === 'draft' ? (
          <Alert color="gray">{t('term.draft')}</Alert>
        ) : (
          <Stack gap={0} data-testid="term-block">
            <Row label={t('term.status')}>
              <Group gap="xs">
                <StatusBadge status={term.status} />
                {term.endReason && (
                  <Text span size="sm" fw={400}>
                    {t(`term.endReason.${term.endReason}`)}
                  </Text>
                )}
              </Group>
            </Row>
            <Row label={t('term.start')} field="start" rules={rules('start')} notes={notes('start')}>
              {fmt(term.start)}
            </Row>
            <Row
              label={t('term.initialEnd')}
              field="initialEnd"
              rules={rules('initialEnd')}
              notes={notes('initialEnd')}
            >
              {fmt(term.initialEnd)}
            </Row>
            <Row
              label={t('term.currentTerm')}
              field="currentTermEnd"
              highlight={mark('currentTermEnd')}
              rules={rules('currentTermStart', 'currentTermEnd')}
              notes={notes('currentTermStart', 'currentTermEnd')}
            >
              {term.currentTermNumber
                ? t('term.currentTermValue', {
                    n: term.currentTermNumber,
                    start: fmt(term.currentTermStart),
                    end: fmt(term.currentTermEnd),
                  })
                : '—'}
            </Row>
            <Row
              label={t('term.terminationNoticeDeadline')}
              field="terminationNoticeDeadline"
              highlight={mark('terminationNoticeDeadline')}
              rules={rules('terminationNoticeDeadline')}
              notes={notes('terminationNoticeDeadline')}
            >
              {fmt(term.terminationNoticeDeadline)}
            </Row>
            <Row
              label={t('term.endsOn')}
              field="endsOn"
              highlight={mark('endsOn')}
              rules={rules('endsOn')}
              notes={notes('endsOn')}
            >
              {term.endsOn
                ? fmt(term.endsOn)
                : term.status === 'active' || term.status === 'not_started'
                  ? t('term.autoRenewing')
                  : '—'}
            </Row>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
