import { Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/types';
import { useWorkQueue } from '../api/workQueue';
import { useNow } from '../lib/clock';
import { dutyAction } from '../lib/dutyTarget';
import { useLang } from '../lib/useLang';
import { showBidiControls } from '../lib/visibleText';
import { DueWithClock } from './incident/ClockText';

/**
 * The agreement page's lead: our party's soonest unmet incident duty under this agreement — what,
 * the incident, the due time with its weekday and the time left, and the button to the form — or a
 * calm 「対応が必要な事項はありません」. Shown above the term dates (issue 8: a responder must not
 * read the termination deadline 63 days away first while an answer is due in 18 hours).
 */
export function AgreementNextDuty({
  agreementId,
  user,
}: {
  agreementId: string;
  user: User | null | undefined;
}) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const nowMs = useNow(15_000);
  const query = useWorkQueue({ owedBy: 'us', agreementId });
  if (query.isPending || query.isError) return null;
  const [next, ...more] = query.data.items;
  const action = next ? dutyAction(next, user) : null;
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      data-testid="agreement-next-duty"
      style={
        next?.state === 'breached' || (next && Date.parse(next.dueAt) < nowMs)
          ? { borderColor: 'var(--mantine-color-red-6)', borderWidth: 2 }
          : undefined
      }
    >
      <Stack gap={6}>
        <Title order={3} size="h4">
          {t('duties.nextTitle')}
        </Title>
        {next && action ? (
          <>
            <Text fw={600}>{pick(next.title.ja, next.title.en)}</Text>
            <Anchor
              component={Link}
              to={`/incidents/${next.incident.id}`}
              size="sm"
              style={{ overflowWrap: 'anywhere' }}
            >
              {t('duties.nextIncident', { title: showBidiControls(next.incident.title) })}
            </Anchor>
            <DueWithClock obligation={next} nowMs={nowMs} label={`${t('clocks.due')}${t('common.colon')}`} />
            <Group gap="sm">
              <Button
                component={Link}
                to={action.to}
                size="sm"
                variant={action.primary ? 'filled' : 'light'}
                data-testid="agreement-next-duty-go"
              >
                {t(action.label)}
              </Button>
              {more.length > 0 && (
                <Anchor
                  component={Link}
                  to={`/work?owedBy=us&agreementId=${encodeURIComponent(agreementId)}`}
                  size="sm"
                >
                  {t('duties.nextMore', { count: more.length })}
                </Anchor>
              )}
            </Group>
          </>
        ) : (
          <Text size="sm" data-testid="agreement-next-duty-none">
            {t('duties.nextNone')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
