import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Obligation } from '../../api/incidentTypes';
import { clockStatus } from '../../lib/clock';
import { formatDue } from '../../lib/dates';
import { formatDuration } from '../../lib/instants';
import { useLang } from '../../lib/useLang';

/** 残り 3時間12分 / 期限超過 2時間 (red) / 履行済み / 期限後に履行 / 免除 — one obligation's clock. */
export function ClockBadge({ obligation, nowMs }: { obligation: Obligation; nowMs: number }) {
  const { t } = useTranslation();
  const { lang } = useLang();
  const s = clockStatus(obligation, nowMs);
  switch (s.kind) {
    case 'left':
      return (
        <Badge color={s.urgent ? 'orange' : 'blue'} variant="light" data-clock="left">
          {t('clocks.left', { duration: formatDuration(s.ms, lang) })}
        </Badge>
      );
    case 'overdue':
      return (
        <Badge color="red" variant="filled" data-clock="overdue">
          {t('clocks.overdue', { duration: formatDuration(s.ms, lang) })}
        </Badge>
      );
    case 'met':
      return (
        <Badge color="green" variant="light" data-clock="met">
          {t('clocks.met')}
        </Badge>
      );
    case 'met_late':
      return (
        <Badge color="orange" variant="light" data-clock="met_late">
          {t('clocks.metLate')}
        </Badge>
      );
    case 'waived':
      return (
        <Badge color="gray" variant="light" data-clock="waived">
          {s.byDismissal ? t('clocks.waivedByDismissal') : t('clocks.waived')}
        </Badge>
      );
  }
}

/** The due time in Japan time (after `label`, when given) with its clock beside it. */
export function DueWithClock(props: { obligation: Obligation; nowMs: number; label?: string }) {
  const { obligation, nowMs, label } = props;
  const { lang } = useLang();
  const overdue = clockStatus(obligation, nowMs).kind === 'overdue';
  return (
    <Group gap={6} wrap="wrap">
      <Text size="sm" c={overdue ? 'red.7' : undefined} fw={overdue ? 600 : undefined}>
        {label}
        {formatDue(obligation.dueAt, lang)}
      </Text>
      <ClockBadge obligation={obligation} nowMs={nowMs} />
    </Group>
  );
}
