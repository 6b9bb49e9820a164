import { Badge, Box, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAcknowledgeNotice } from '../../api/incidents';
import { NOTICE_ITEMS, type Incident, type ItemChange, type Notice } from '../../api/incidentTypes';
import { formatInstant } from '../../lib/dates';
import { useIdempotencyKey } from '../../lib/useIdempotencyKey';
import { useLang } from '../../lib/useLang';
import { ErrorAlert } from '../ErrorAlert';

const changeStyle: Record<Exclude<ItemChange, 'unchanged'>, { bg: string; color: string }> = {
  added: { bg: 'green.0', color: 'green' },
  changed: { bg: 'yellow.0', color: 'yellow' },
  withdrawn: { bg: 'red.0', color: 'red' },
};

function Acknowledgement({
  incident,
  notice,
  canAck,
}: {
  incident: Incident;
  notice: Notice;
  canAck: boolean;
}) {
  const { t } = useTranslation();
  const { lang } = useLang();
  const ack = useAcknowledgeNotice(incident);
  const idem = useIdempotencyKey();
  if (notice.acknowledgedAt) {
    return (
      <Text size="sm" c="green.8" fw={600} data-testid="notice-acknowledged">
        ✓ {t('noticeList.acknowledged', { name: notice.acknowledgedBy?.name ?? '—' })}
        {t('common.sep')}
        {formatInstant(notice.acknowledgedAt, lang)}
      </Text>
    );
  }
  if (!canAck) {
    return (
      <Text size="sm" c="dimmed">
        {t('noticeList.notAcknowledged')}
      </Text>
    );
  }
  return (
    <Stack gap={4}>
      <Group>
        <Button
          size="sm"
          loading={ack.isPending}
          onClick={() =>
            ack.mutate(
              { noticeId: notice.id, idempotencyKey: idem.keyFor({ ack: notice.id }) },
              { onSuccess: () => idem.reset() },
            )
          }
        >
          {t('noticeList.acknowledge')}
        </Button>
      </Group>
      <ErrorAlert error={ack.error} />
    </Stack>
  );
}

function NoticeCard({ incident, notice, canAck }: { incident: Incident; notice: Notice; canAck: boolean }) {
  const { t } = useTranslation();
  const { lang, pick } = useLang();
  const changes = new Map((notice.diff ?? []).map((d) => [d.item, d]));
  return (
    <Paper withBorder p="sm" radius="md" data-testid="notice" data-number={notice.number}>
      <Stack gap="xs">
        <Group gap="xs" wrap="wrap">
          <Badge color={notice.number === 1 ? 'indigo' : 'teal'} size="lg" variant="filled">
            {pick(notice.label.ja, notice.label.en)}
          </Badge>
          <Text size="sm">
            {t('noticeList.sentBy', { name: notice.sentBy?.name ?? t(`party.${notice.fromParty}`) })}
            {t('common.sep')}
            {formatInstant(notice.sentAt, lang)}
          </Text>
        </Group>
        {notice.pendingItems.length > 0 && (
          <Text size="xs" c="orange.8">
            {t('noticeList.pending', { n: notice.pendingItems.length })}
          </Text>
        )}
        <Stack gap={4}>
          {NOTICE_ITEMS.map((k, i) => {
            const v = notice.items[k];
            const d = changes.get(k);
            const change = d && d.change !== 'unchanged' ? d.change : null;
            const style = change ? changeStyle[change] : null;
            return (
              <Box
                key={k}
                p={6}
                bg={style?.bg}
                data-item={k}
                data-change={change ?? undefined}
                style={{
                  borderRadius: 4,
                  borderLeft: `3px solid var(--mantine-color-${style?.color ?? 'gray'}-4)`,
                }}
              >
                <Group gap={6} wrap="wrap">
                  <Text size="xs" c="dimmed" fw={600}>
                    ({i + 1}) {t(`noticeItems.${k}`)}
                  </Text>
                  {change && (
                    <Badge size="xs" color={style?.color} variant="filled">
                      {t(`noticeList.${change}`)}
                    </Badge>
                  )}
                </Group>
                {v === null ? (
                  <Badge color="orange" variant="light" mt={2}>
                    {t('noticeForm.underInvestigation')}
                  </Badge>
                ) : (
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    {v}
                  </Text>
                )}
                {change && d && d.before !== null && (
                  <Text size="xs" c="dimmed" td="line-through" style={{ overflowWrap: 'anywhere' }}>
                    {t('noticeList.before', { text: d.before })}
                  </Text>
                )}
              </Box>
            );
          })}
        </Stack>
        <Acknowledgement incident={incident} notice={notice} canAck={canAck} />
      </Stack>
    </Paper>
  );
}

/** Notices newest first, each with its items (null = 調査中), its diff and its acknowledgement. */
export function NoticeList({ incident, canAck }: { incident: Incident; canAck: boolean }) {
  const { t } = useTranslation();
  const notices = [...incident.notices].reverse();
  return (
    <Paper withBorder p="md" radius="md" data-testid="notice-list">
      <Stack gap="sm">
        <Title order={3}>{t('noticeList.title')}</Title>
        {notices.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('noticeList.empty')}
          </Text>
        )}
        {notices.map((n) => (
          <NoticeCard key={n.id} incident={incident} notice={n} canAck={canAck} />
        ))}
      </Stack>
    </Paper>
  );
}
