import { useState } from 'react';
import { Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useTransitionIncident } from '../../api/incidents';
import type { Incident, IncidentState } from '../../api/incidentTypes';
import { useIdempotencyKey } from '../../lib/useIdempotencyKey';
import { useLang } from '../../lib/useLang';
import { ErrorAlert } from '../ErrorAlert';
import { IncidentStateBadge } from './IncidentStateBadge';

/** The allowed next states as buttons (If-Match on the incident's version); dismissal asks for a reason. */
export function StateActions({ incident, canTransition }: { incident: Incident; canTransition: boolean }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const move = useTransitionIncident(incident);
  const idem = useIdempotencyKey();
  const [dismissing, setDismissing] = useState(false);
  const [closing, setClosing] = useState(false);
  const [reason, setReason] = useState('');

  const go = (to: IncidentState, why?: string) => {
    const payload = { to, reason: why, version: incident.version };
    move.mutate(
      { ...payload, idempotencyKey: idem.keyFor({ incidentId: incident.id, ...payload }) },
      {
        onSuccess: () => {
          idem.reset();
          setDismissing(false);
          setClosing(false);
          setReason('');
        },
      },
    );
  };
  const next = incident.allowedTransitions;
  // Closing leaves unmet duties owed but unmeetable: say so before the click.
  const unmet = incident.obligations.filter((o) => o.state === 'open' || o.state === 'breached');
  // Art 3.1: closing is refused while the notice is owed (the server answers 409 otherwise).
  const noticeOwed = unmet.some((o) => o.clause === '3.1');

  return (
    <Paper withBorder p="md" radius="md" data-testid="state-actions">
      <Stack gap="sm">
        <Title order={3}>{t('stateActions.title')}</Title>
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            {t('stateActions.current')}
            {t('common.colon')}
          </Text>
          <IncidentStateBadge state={incident.state} />
        </Group>
        {next.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('stateActions.terminal')}
          </Text>
        )}
        {canTransition && next.length > 0 && (
          <Group gap="xs">
            {next.map((s) => (
              <Button
                key={s}
                variant={s === 'dismissed' ? 'default' : 'light'}
                color={s === 'dismissed' ? 'gray' : undefined}
                loading={move.isPending && move.variables.to === s}
                disabled={s === 'closed' && noticeOwed}
                onClick={() =>
                  s === 'dismissed'
                    ? setDismissing((d) => !d)
                    : s === 'closed'
                      ? setClosing((c) => !c)
                      : go(s)
                }
                aria-expanded={s === 'dismissed' ? dismissing : s === 'closed' ? closing : undefined}
              >
                {t('stateActions.to', { state: t(`incidentState.${s}`) })}
              </Button>
            ))}
          </Group>
        )}
        {canTransition && next.includes('closed') && noticeOwed && (
          <Text size="xs" c="red.8" data-testid="close-needs-notice">
            {t('stateActions.closeNeedsNotice')}
          </Text>
        )}
        {canTransition && incident.state === 'dismissed' && noticeOwed && (
          <Text size="xs" c="orange.8" data-testid="dismissed-notice-owed">
            {t('stateActions.dismissNoticeOwed')}
          </Text>
        )}
        {canTransition && next.includes('closed') && !noticeOwed && unmet.length > 0 && (
          <Text size="xs" c="orange.8" data-testid="close-unmet">
            {t('stateActions.closeBlocked', {
              duties: unmet.map((o) => pick(o.title.ja, o.title.en)).join(t('common.listSep')),
            })}
          </Text>
        )}
        {canTransition && closing && !noticeOwed && (
          <Stack gap={6} data-testid="close-confirm">
            <Text size="sm">{t('stateActions.closeConfirm')}</Text>
            <Group>
              <Button loading={move.isPending} onClick={() => go('closed')}>
                {t('stateActions.confirmClose')}
              </Button>
              <Button variant="default" onClick={() => setClosing(false)}>
                {t('common.cancel')}
              </Button>
            </Group>
          </Stack>
        )}
        {canTransition && dismissing && (
          <Stack gap={6}>
            <Textarea
              label={t('stateActions.dismissReason')}
              description={t('stateActions.dismissHelp')}
              required
              autosize
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
            <Group>
              <Button
                color="gray"
                disabled={!reason.trim()}
                loading={move.isPending}
                onClick={() => go('dismissed', reason.trim())}
              >
                {t('stateActions.confirmDismiss')}
              </Button>
            </Group>
          </Stack>
        )}
        <ErrorAlert error={move.error} />
      </Stack>
    </Paper>
  );
}
