import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Term } from '../api/types';
import { formatDate } from '../lib/dates';
import { nextDeadline } from '../lib/term';
import { useLang } from '../lib/useLang';

/** "終了の意思表示の期限 2027年3月1日(月) あと93日" — or a dash when nothing is pending. */
export function DeadlineText({ term }: { term: Term }) {
  const { t } = useTranslation();
  const { lang } = useLang();
  const d = nextDeadline(term);
  if (!d) return <Text size="sm">{t('common.none')}</Text>;
  return (
    <Group gap={6} wrap="wrap">
      <Text size="sm">
        {t(`term.${d.field}`)}: {formatDate(d.date, lang)}
      </Text>
      <Badge size="sm" color={d.daysLeft <= 14 ? 'red' : 'yellow'} variant="light">
        {d.daysLeft === 0 ? t('term.dueToday') : t('term.daysLeft', { count: d.daysLeft })}
      </Badge>
    </Group>
  );
}
