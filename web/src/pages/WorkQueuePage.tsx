import { useState } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useWorkQueue, type WorkQueueItem } from '../api/workQueue';
import { ErrorAlert } from '../components/ErrorAlert';
import { DueWithClock } from '../components/incident/ClockText';
import { useNow } from '../lib/clock';
import { useLang } from '../lib/useLang';
import { showBidiControls } from '../lib/visibleText';

const HOUR = 3_600_000;
type Group = 'overdue' | 'day' | 'week' | 'later';
const GROUPS: readonly Group[] = ['overdue', 'day', 'week', 'later'];

function groupOf(dueAt: string, nowMs: number): Group {
  const left = Date.parse(dueAt) - nowMs;
  if (left < 0) return 'overdue';
  if (left <= 24 * HOUR) return 'day';
  if (left <= 7 * 24 * HOUR) return 'week';
  return 'later';
}

function Row({ item, nowMs }: { item: WorkQueueItem; nowMs: number }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const other = item.agreement.parties[item.agreement.myParty === 'A' ? 'B' : 'A'];
  return (
    <Paper
      withBorder
      p="sm"
      radius="sm"
      data-testid="work-item"
      data-clause={item.clause}
      data-state={item.state}
    >
      <Stack gap={4}>
        <Group gap="xs" justify="space-between" wrap="wrap">
          <Text fw={600} size="sm">
            {pick(item.title.ja, item.title.en)}
          </Text>
          <Badge color={item.owedByUs ? 'indigo' : 'gray'} variant="light">
            {item.owedByUs ? t('work.ours') : t('work.theirs')}
          </Badge>
        </Group>
        <Anchor
          component={Link}
          to={`/incidents/${item.incident.id}`}
          size="sm"
          style={{ overflowWrap: 'anywhere' }}
        >
          {showBidiControls(item.incident.title)}
        </Anchor>
        <Text size="xs" c="dimmed">
          {t('work.with', { name: showBidiControls(other.name) })}
        </Text>
        <DueWithClock obligation={item} nowMs={nowMs} label={`${t('clocks.due')}${t('common.colon')}`} />
        <Group>
          <Button
            component={Link}
            to={`/incidents/${item.incident.id}`}
            size="xs"
            variant={item.owedByUs ? 'filled' : 'light'}
          >
            {item.owedByUs ? t('work.act') : t('work.view')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/**
 * 対応状況 — every open or overdue duty of the user's organisation across all its agreements and
 * incidents, grouped by when it falls due, each with the button that leads to settling it.
 */
export function WorkQueuePage() {
  const { t } = useTranslation();
  const [owedBy, setOwedBy] = useState<'all' | 'us' | 'them'>('all');
  const query = useWorkQueue(owedBy);
  const nowMs = useNow(15_000);
  const items = query.data?.items ?? [];
  return (
    <Stack maw={980} gap="md" data-testid="work-queue">
      <Title order={2}>{t('work.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('work.intro')}
      </Text>
      <SegmentedControl
        value={owedBy}
        onChange={(v) => setOwedBy(v as typeof owedBy)}
        data={[
          { value: 'all', label: t('work.filterAll') },
          { value: 'us', label: t('work.filterUs') },
          { value: 'them', label: t('work.filterThem') },
        ]}
        style={{ alignSelf: 'flex-start' }}
      />
      <ErrorAlert error={query.error} />
      {query.isPending && <Loader />}
      {!query.isPending && items.length === 0 && (
        <Text size="sm" data-testid="work-empty">
          {t('work.empty')}
        </Text>
      )}
      {GROUPS.map((g) => {
        const list = items.filter((i) => groupOf(i.dueAt, nowMs) === g);
        if (list.length === 0) return null;
        return (
          <Stack key={g} gap="xs" data-group={g}>
            <Title order={4} c={g === 'overdue' ? 'red.8' : undefined}>
              {t('work.groupCount', { group: t(`work.group.${g}`), count: list.length })}
            </Title>
            {list.map((i) => (
              <Row key={i.id} item={i} nowMs={nowMs} />
            ))}
          </Stack>
        );
      })}
    </Stack>
  );
}
