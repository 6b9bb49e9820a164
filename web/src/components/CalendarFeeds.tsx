import { useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  List,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  useCreateCalendarFeed,
  useMyCalendarFeeds,
  useRevokeCalendarFeed,
  type CalendarFeed,
} from '../api/calendar';
import { useSession } from '../api/session';
import { formatInstant } from '../lib/dates';
import { useLang } from '../lib/useLang';
import { ErrorAlert } from './ErrorAlert';

/**
 * 期限をカレンダーに (issue 8, item 4): create a secret iCalendar URL of my organisation's open
 * duties (shown once, with a copy button and how to subscribe in Outlook and Google Calendar), list
 * my feeds and end one. Not shown to the instance administrator (it sees no incident content).
 */
export function CalendarFeeds() {
  const { t } = useTranslation();
  const { lang } = useLang();
  const session = useSession();
  const feeds = useMyCalendarFeeds();
  const create = useCreateCalendarFeed();
  const revoke = useRevokeCalendarFeed();
  const [pending, setPending] = useState<CalendarFeed | null>(null);
  if (session.data && (session.data.isAdmin || !session.data.organizationId)) return null;
  const close = () => {
    revoke.reset();
    setPending(null);
  };
  const url = create.data?.url;
  return (
    <Card withBorder data-testid="calendar-feeds">
      <Stack gap="sm">
        <Title order={4}>{t('calendar.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('calendar.intro')}
        </Text>
        {feeds.isPending && <Loader size="sm" />}
        <ErrorAlert error={feeds.error} />
        {feeds.data && feeds.data.items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('calendar.none')}
          </Text>
        )}
        {feeds.data && feeds.data.items.length > 0 && (
          <Table.ScrollContainer minWidth={480}>
            <Table verticalSpacing={4} data-testid="calendar-feed-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('calendar.created')}</Table.Th>
                  <Table.Th>{t('calendar.lastUsed')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {feeds.data.items.map((f) => (
                  <Table.Tr key={f.id}>
                    <Table.Td>
                      {formatInstant(f.createdAt, lang)}{' '}
                      <Text span size="xs" c="dimmed">
                        {f.id}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {f.lastUsedAt ? formatInstant(f.lastUsedAt, lang) : t('calendar.neverUsed')}
                    </Table.Td>
                    <Table.Td>
                      <Button size="compact-xs" variant="light" color="red" onClick={() => setPending(f)}>
                        {t('calendar.revoke')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <Group>
          <Button onClick={() => create.mutate()} loading={create.isPending}>
            {t('calendar.create')}
          </Button>
        </Group>
        <ErrorAlert error={create.error} />
        {url && (
          <Alert color="orange" title={t('calendar.urlOnce')} data-testid="calendar-feed-url">
            <Stack gap="xs">
              <Group gap="xs" wrap="nowrap">
                <Code style={{ overflowWrap: 'anywhere' }}>{url}</Code>
                <CopyButton value={url}>
                  {({ copied, copy }) => (
                    <Button size="compact-xs" variant="light" onClick={copy}>
                      {copied ? t('calendar.copied') : t('calendar.copy')}
                    </Button>
                  )}
                </CopyButton>
              </Group>
              <List size="sm">
                <List.Item>{t('calendar.howOutlook')}</List.Item>
                <List.Item>{t('calendar.howGoogle')}</List.Item>
              </List>
              <Text size="xs">{t('calendar.secretHint')}</Text>
            </Stack>
          </Alert>
        )}
      </Stack>
      {pending && (
        <Modal opened onClose={close} title={t('calendar.confirmTitle')}>
          <Stack gap="sm">
            <Text size="sm">{t('calendar.confirmRevoke')}</Text>
            <ErrorAlert error={revoke.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button
                color="red"
                loading={revoke.isPending}
                onClick={() => revoke.mutate(pending.id, { onSuccess: close })}
              >
                {t('calendar.revoke')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </Card>
  );
}
