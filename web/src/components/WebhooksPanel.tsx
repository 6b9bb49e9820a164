import { useState, type FormEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Loader,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  WEBHOOK_EVENTS,
  useCreateWebhook,
  useDeleteWebhook,
  useWebhooks,
  type WebhookEvent,
} from '../api/admin';
import { formatInstant } from '../lib/dates';
import { useIdempotencyKey } from '../lib/useIdempotencyKey';
import { useLang } from '../lib/useLang';
import { en } from '../i18n/en';
import { ja } from '../i18n/ja';
import { ErrorAlert } from './ErrorAlert';

function useEventName() {
  const { lang } = useLang();
  return (e: WebhookEvent) => (lang === 'en' ? en : ja).webhooks.eventNames[e];
}

function CreateWebhookForm({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const name = useEventName();
  const create = useCreateWebhook(orgId);
  const idem = useIdempotencyKey();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>([...WEBHOOK_EVENTS]);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const payload = { orgId, url: url.trim(), events };
    if (!payload.url || events.length === 0) return;
    create.mutate(
      { url: payload.url, events, idempotencyKey: idem.keyFor(payload) },
      {
        onSuccess: () => {
          idem.reset();
          setUrl('');
        },
      },
    );
  };
  const secret = create.data?.secret;
  return (
    <form onSubmit={onSubmit} noValidate data-testid="webhook-form">
      <Stack gap="xs">
        <TextInput
          name="url"
          type="url"
          label={t('webhooks.url')}
          placeholder="https://example.jp/hooks/breachpact"
          required
          value={url}
          onChange={(e) => setUrl(e.currentTarget.value)}
        />
        <Checkbox.Group
          label={t('webhooks.events')}
          value={events}
          onChange={(v) => setEvents(v as WebhookEvent[])}
          error={events.length === 0 ? t('webhooks.pickEvent') : undefined}
        >
          <Stack gap={4} mt={4}>
            {WEBHOOK_EVENTS.map((ev) => (
              <Checkbox key={ev} value={ev} label={`${name(ev)}（${ev}）`} />
            ))}
          </Stack>
        </Checkbox.Group>
        <ErrorAlert error={create.error} />
        {secret && (
          <Alert color="orange" title={t('webhooks.secretOnce')} data-testid="webhook-secret">
            <Group gap="xs" wrap="nowrap">
              <Code style={{ overflowWrap: 'anywhere' }}>{secret}</Code>
              <CopyButton value={secret}>
                {({ copied, copy }) => (
                  <Button size="compact-xs" variant="light" onClick={copy}>
                    {copied ? t('webhooks.copied') : t('webhooks.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={create.isPending} disabled={!url.trim() || events.length === 0}>
            {t('webhooks.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** An organisation's webhooks (owner or administrator): register (secret shown once), list, delete. */
export function WebhooksPanel({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const { lang } = useLang();
  const name = useEventName();
  const list = useWebhooks(orgId);
  const remove = useDeleteWebhook(orgId);
  return (
    <Stack gap="sm" data-testid="webhooks">
      <Title order={5}>{t('webhooks.title')}</Title>
      <Text size="xs" c="dimmed">
        {t('webhooks.help')}
      </Text>
      {list.isPending && <Loader size="sm" />}
      <ErrorAlert error={list.error ?? remove.error} />
      {list.data && list.data.items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('webhooks.empty')}
        </Text>
      )}
      {list.data?.items.map((h) => (
        <Paper key={h.id} withBorder p="xs" radius="sm">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Stack gap={2} style={{ minWidth: 0 }}>
              <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                {h.url}
              </Text>
              <Text size="xs" c="dimmed">
                {h.events.map(name).join(t('common.listSep'))}
              </Text>
              <Text size="xs" c="dimmed">
                {t('webhooks.createdAt')}
                {t('common.colon')}
                {formatInstant(h.createdAt, lang)}
              </Text>
            </Stack>
            <Stack gap={4} align="flex-end">
              <Badge color={h.active ? 'green' : 'gray'} variant="light">
                {h.active ? t('webhooks.active') : t('webhooks.inactive')}
              </Badge>
              <Button
                size="compact-xs"
                color="red"
                variant="subtle"
                loading={remove.isPending && remove.variables === h.id}
                onClick={() => {
                  if (window.confirm(t('webhooks.confirmRemove'))) remove.mutate(h.id);
                }}
              >
                {t('webhooks.remove')}
              </Button>
            </Stack>
          </Group>
        </Paper>
      ))}
      <CreateWebhookForm orgId={orgId} />
    </Stack>
  );
}
