import {
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  NativeSelect,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAgreements } from '../api/agreements';
import { useSession } from '../api/session';
import type { User } from '../api/types';
import { useWorkQueue, type WorkQueueFilters, type WorkQueueItem } from '../api/workQueue';
import { ErrorAlert } from '../components/ErrorAlert';
import { DueWithClock } from '../components/incident/ClockText';
import { useNow } from '../lib/clock';
import { formatDate } from '../lib/dates';
import { dutyAction } from '../lib/dutyTarget';
import { useLang } from '../lib/useLang';
import { showBidiControls } from '../lib/visibleText';
import { CLAUSES } from '../../../src/domain/obligation/clauses/index';
import { DUE_GROUPS, dueGroup } from '../../../src/domain/shared/deadline';

/** The filters as the URL query carries them (?owedBy=us&agreementId=…&clause=3.1), so a view can be shared. */
function useFilters() {
  const [search, setSearch] = useSearchParams();
  const owed = search.get('owedBy');
  const clause = search.get('clause');
  const filters: WorkQueueFilters = {
    owedBy: owed === 'us' || owed === 'them' ? owed : undefined,
    agreementId: search.get('agreementId') || undefined,
    clause: clause && CLAUSES.some((c) => c.clause === clause) ? clause : undefined,
  };
  const set = (key: keyof WorkQueueFilters, value: string | undefined) =>
    setSearch(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const clear = () => setSearch(new URLSearchParams(), { replace: true });
  const active = Boolean(filters.owedBy || filters.agreementId || filters.clause);
  return { filters, set, clear, active };
}

function Row(props: { item: WorkQueueItem; nowMs: number; user: User | null | undefined; testId?: string }) {
  const { item, nowMs, user, testId = 'work-item' } = props;
  const { t } = useTranslation();
  const { pick } = useLang();
  const other = item.agreement.parties[item.agreement.myParty === 'A' ? 'B' : 'A'];
  const action = dutyAction(item, user);
  return (
    <Paper
      withBorder
      p="sm"
      radius="sm"
      data-testid={testId}
      data-obligation-id={item.id}
      data-clause={item.clause}
      data-state={item.state}
      data-owed-by-us={item.owedByUs ? 'yes' : 'no'}
      data-incident-id={item.incident.id}
    >
      <Group justify="space-between" align="center" gap="xs" wrap="wrap">
        <Stack gap={2} style={{ flex: '1 1 320px', minWidth: 0 }}>
          <Group gap="xs" wrap="wrap">
            <Text fw={600} size="sm">
              {pick(item.title.ja, item.title.en)}
            </Text>
            <Badge color={item.owedByUs ? 'indigo' : 'gray'} variant="light" data-testid="owed-by">
              {t('duties.owedByParty', {
                who: item.owedByUs ? t('work.ours') : t('work.theirs'),
                party: t(`party.${item.owedBy}`),
              })}
            </Badge>
          </Group>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            <Anchor component={Link} to={`/incidents/${item.incident.id}`} inherit>
              {showBidiControls(item.incident.title)}
            </Anchor>
            {'　'}
            {/* One unit: on a phone it moves to the next line whole instead of breaking inside. */}
            <Text span size="xs" c="dimmed" style={{ display: 'inline-block' }}>
              {t('work.with', { name: showBidiControls(other.name) })}
            </Text>
          </Text>
          <DueWithClock obligation={item} nowMs={nowMs} label={`${t('clocks.due')}${t('common.colon')}`} />
        </Stack>
        <Button
          component={Link}
          to={action.to}
          size="xs"
          variant={action.primary ? 'filled' : 'light'}
          data-testid="work-item-action"
        >
          {t(action.label)}
        </Button>
      </Group>
    </Paper>
  );
}

function Filters({ state }: { state: ReturnType<typeof useFilters> }) {
  const { t } = useTranslation();
  const { pick, lang } = useLang();
  const agreements = useAgreements().data?.items ?? [];
  const { filters, set, clear, active } = state;
  const signed = agreements.filter((a) => a.myParty && a.term.status !== 'draft');
  return (
    <Group
      gap="sm"
      align="flex-end"
      wrap="wrap"
      data-testid="work-filters"
      role="search"
      aria-label={t('duties.filters')}
    >
      <Stack gap={4}>
        <Text size="sm" fw={500} id="work-owed-by">
          {t('duties.owedBy')}
        </Text>
        <SegmentedControl
          aria-labelledby="work-owed-by"
          value={filters.owedBy ?? 'all'}
          onChange={(v) => set('owedBy', v === 'all' ? undefined : v)}
          data={[
            { value: 'all', label: t('work.filterAll') },
            { value: 'us', label: t('work.filterUs') },
            { value: 'them', label: t('work.filterThem') },
          ]}
        />
      </Stack>
      <NativeSelect
        label={t('duties.agreement')}
        value={filters.agreementId ?? ''}
        onChange={(e) => set('agreementId', e.currentTarget.value || undefined)}
        data={[
          { value: '', label: t('duties.allAgreements') },
          ...signed.map((a) => ({
            value: a.id,
            label: t('duties.agreementOption', {
              other: a.myParty === 'A' ? a.partyB.name : a.partyA.name,
              date: formatDate(a.signedOn, lang),
            }),
          })),
        ]}
        w={{ base: '100%', xs: 260 }}
      />
      <NativeSelect
        label={t('duties.clause')}
        value={filters.clause ?? ''}
        onChange={(e) => set('clause', e.currentTarget.value || undefined)}
        data={[
          { value: '', label: t('duties.allClauses') },
          ...CLAUSES.map((c) => ({ value: c.clause, label: pick(c.title.ja, c.title.en) })),
        ]}
        w={{ base: '100%', xs: 260 }}
      />
      {active && (
        <Button variant="subtle" size="sm" onClick={clear}>
          {t('duties.clear')}
        </Button>
      )}
    </Group>
  );
}

/**
 * 対応状況 — the home page: every open or overdue duty of the user's organisation across all its
 * agreements and incidents, grouped by when it falls due, each with the button that leads to the
 * form settling it. Filters (owed by, agreement, clause) live in the URL.
 */
export function WorkQueuePage() {
  const { t } = useTranslation();
  const { data: user } = useSession();
  const filterState = useFilters();
  const query = useWorkQueue(filterState.filters);
  const nowMs = useNow(15_000);
  const items = query.data?.items ?? [];
  // Our soonest unmet duty leads the page, so it is on the first screen however many of the other
  // party's duties fall due before it (the list below stays complete).
  const next = items.find((i) => i.owedByUs);
  return (
    <Stack maw={980} gap="md" data-testid="work-queue">
      <Title order={2}>{t('work.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('work.intro')}
      </Text>
      {next && (
        <Stack gap={6} data-testid="work-next">
          <Title order={3} size="h4">
            {t('nextAction.title')}
          </Title>
          <Row item={next} nowMs={nowMs} user={user} testId="work-next-item" />
        </Stack>
      )}
      <Filters state={filterState} />
      <ErrorAlert error={query.error} />
      {query.isPending && <Loader />}
      {!query.isPending && items.length === 0 && (
        <Text size="sm" data-testid="work-empty">
          {filterState.active ? t('duties.emptyFiltered') : t('work.empty')}
        </Text>
      )}
      {DUE_GROUPS.map((g) => {
        const list = items.filter((i) => dueGroup(Date.parse(i.dueAt), nowMs) === g);
        if (list.length === 0) return null;
        return (
          <Stack key={g} gap="xs" data-group={g} component="section">
            <Title order={3} size="h4" c={g === 'overdue' ? 'red.8' : undefined}>
              {t('work.groupCount', { group: t(`work.group.${g}`), count: list.length })}
            </Title>
            {list.map((i) => (
              <Row key={i.id} item={i} nowMs={nowMs} user={user} />
            ))}
          </Stack>
        );
      })}
    </Stack>
  );
}
