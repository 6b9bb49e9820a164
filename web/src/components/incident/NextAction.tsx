import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Incident, Obligation } from '../../api/incidentTypes';
import { useLang } from '../../lib/useLang';
import { DueWithClock } from './ClockText';
import { dutyTarget, goTo } from '../../lib/dutyTarget';

const unmet = (o: Obligation) => o.state === 'open' || o.state === 'breached';
const soonest = (a: Obligation, b: Obligation) => Date.parse(a.dueAt) - Date.parse(b.dueAt);

/**
 * 次にやること: the viewing party's soonest unmet duty on this incident — what, by when, and the
 * button to the form that settles it — then the other party's soonest, for information.
 */
export function NextAction(props: { incident: Incident; nowMs: number; canAct: boolean }) {
  const { incident, nowMs, canAct } = props;
  const { t } = useTranslation();
  const { pick } = useLang();
  const mine = incident.obligations.filter((o) => o.owedBy === incident.myParty && unmet(o)).sort(soonest);
  const theirs = incident.obligations.filter((o) => o.owedBy !== incident.myParty && unmet(o)).sort(soonest);
  const next = mine[0];
  const target = next ? dutyTarget(next) : null;
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      data-testid="next-action"
      style={
        next?.state === 'breached' ? { borderColor: 'var(--mantine-color-red-6)', borderWidth: 2 } : undefined
      }
    >
      <Stack gap={6}>
        <Title order={3}>{t('nextAction.title')}</Title>
        {next ? (
          <>
            <Text fw={600}>{pick(next.title.ja, next.title.en)}</Text>
            <DueWithClock obligation={next} nowMs={nowMs} label={`${t('clocks.due')}${t('common.colon')}`} />
            {target && canAct && (
              <Group>
                <Button onClick={() => goTo(target.selector)} data-testid="next-action-go">
                  {t(`nextAction.go.${target.label}`)}
                </Button>
              </Group>
            )}
            {mine.length > 1 && (
              <Text size="xs" c="dimmed">
                {t('nextAction.more', { count: mine.length - 1 })}
              </Text>
            )}
          </>
        ) : (
          <Text size="sm">{t('nextAction.none')}</Text>
        )}
        {theirs[0] && (
          <Text size="xs" c="dimmed" data-testid="next-action-theirs">
            {t('nextAction.theirs', { duty: pick(theirs[0].title.ja, theirs[0].title.en) })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
