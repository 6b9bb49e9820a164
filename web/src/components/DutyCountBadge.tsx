import { Anchor, Badge, Tooltip, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useWorkQueueSummary } from '../api/workQueue';

/**
 * The count beside 対応状況: our own duties overdue (red) or due within 24 hours (orange). Nothing
 * is drawn when both are zero. The number is for the eye; the words (「期限超過1件・24時間以内2件」)
 * are read out with the link, so the count is never a bare number to a screen reader.
 */
export function DutyCountBadge({ enabled, asLink = false }: { enabled: boolean; asLink?: boolean }) {
  const { t } = useTranslation();
  const summary = useWorkQueueSummary(enabled).data;
  if (!summary) return null;
  const { overdue, dueWithin24h } = summary;
  const total = overdue + dueWithin24h;
  if (total === 0) return null;
  const words = t('duties.badge', { overdue, soon: dueWithin24h });
  const badge = (
    <Tooltip label={t('duties.badgeTitle', { overdue, soon: dueWithin24h })} withArrow>
      <Badge
        color={overdue > 0 ? 'red' : 'orange'}
        variant="filled"
        size="sm"
        circle={total < 10}
        data-testid="duty-count"
        data-overdue={overdue}
        data-soon={dueWithin24h}
      >
        <span aria-hidden="true">{total}</span>
        <VisuallyHidden>{words}</VisuallyHidden>
      </Badge>
    </Tooltip>
  );
  if (!asLink) return badge;
  // In the phone header (the navigation is folded away there): a link of its own, named in words.
  // The name carries the number shown, so one can say what one sees (WCAG 2.5.3 Label in Name).
  return (
    <Anchor
      component={Link}
      to="/work"
      underline="never"
      aria-label={`${t('nav.work')} ${total}${t('common.colon')}${words}`}
      data-testid="duty-count-link"
    >
      {badge}
    </Anchor>
  );
}
