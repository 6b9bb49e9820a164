import { useState, type FormEvent } from 'react';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  Collapse,
  Group,
  Paper,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSendNotice } from '../../api/incidents';
import { NOTICE_ITEMS, type Incident, type NoticeItemKey, type NoticeItems } from '../../api/incidentTypes';
import { tokyoDate } from '../../lib/instants';
import { useIdempotencyKey } from '../../lib/useIdempotencyKey';
import { useLang } from '../../lib/useLang';
import { ErrorAlert } from '../ErrorAlert';

type Draft = Record<NoticeItemKey, { text: string; pending: boolean }>;

/** A follow-up starts from the last notice; the 第一報 from what the report already says. */
function initialDraft(incident: Incident): Draft {
  const last = incident.notices.at(-1);
  const from: Partial<NoticeItems> = last
    ? last.items
    : { occurredOn: tokyoDate(incident.discoveredAt), summary: incident.summary || incident.title };
  return Object.fromEntries(
    NOTICE_ITEMS.map((k) => {
      const v = from[k];
      return [k, { text: v ?? '', pending: last ? v === null : false }];
    }),
  ) as Draft;
}

/**
 * Art 3.2: the six items, each text or 調査中 (null). Sends 第一報, then 続報 (第N報); after sending,
 * the form keeps what was sent as the starting point of the next 続報.
 */
export function NoticeForm({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const send = useSendNotice(incident);
  const idem = useIdempotencyKey();
  const [draft, setDraft] = useState<Draft>(() => initialDraft(incident));
  const [touched, setTouched] = useState(false);
  const n = incident.notices.length + 1;
  // After the 第一報 the next one is written on purpose: the 続報 form opens on request.
  const [open, setOpen] = useState(n === 1);
  const missing = (k: NoticeItemKey) => !draft[k].pending && !draft[k].text.trim();
  const set = (k: NoticeItemKey, v: Partial<Draft[NoticeItemKey]>) =>
    setDraft((d) => ({ ...d, [k]: { ...d[k], ...v } }));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (NOTICE_ITEMS.some(missing)) return;
    const items = Object.fromEntries(
      NOTICE_ITEMS.map((k) => [k, draft[k].pending ? null : draft[k].text.trim()]),
    ) as NoticeItems;
    const payload = { incidentId: incident.id, items };
    send.mutate(
      { items, idempotencyKey: idem.keyFor(payload) },
      {
        onSuccess: () => {
          idem.reset();
          setTouched(false);
          setOpen(false);
        },
      },
    );
  };

  return (
    <Paper withBorder p="md" radius="md" data-testid="notice-form">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={3}>
            {n === 1 ? t('noticeForm.titleFirst') : t('noticeForm.titleFollowUp', { n })}
          </Title>
          {send.data && !send.isPending && (
            <Alert color="green" data-testid="notice-sent">
              {t('noticeForm.sent', { label: pick(send.data.label.ja, send.data.label.en) })}
            </Alert>
          )}
          {!open && (
            <Group>
              <Button variant="light" onClick={() => setOpen(true)}>
                {t('noticeForm.openFollowUp', { n })}
              </Button>
            </Group>
          )}
          <Collapse expanded={open}>
            <Stack gap="sm">
              <Text size="sm" c="dimmed">
                {t('noticeForm.help')}
              </Text>
              {NOTICE_ITEMS.map((k, i) => (
                <Box key={k} data-item={k}>
                  <Textarea
                    name={k}
                    label={`(${i + 1}) ${t(`noticeItems.${k}`)}`}
                    autosize
                    minRows={k === 'occurredOn' ? 1 : 2}
                    disabled={draft[k].pending}
                    placeholder={draft[k].pending ? t('noticeForm.underInvestigation') : undefined}
                    value={draft[k].text}
                    onChange={(e) => set(k, { text: e.currentTarget.value })}
                    error={touched && missing(k) ? t('noticeForm.required') : undefined}
                  />
                  <Checkbox
                    mt={6}
                    label={t('noticeForm.underInvestigation')}
                    aria-label={`${t(`noticeItems.${k}`)}${t('common.colon')}${t('noticeForm.underInvestigation')}`}
                    checked={draft[k].pending}
                    onChange={(e) => set(k, { pending: e.currentTarget.checked })}
                  />
                </Box>
              ))}
              <ErrorAlert error={send.error} />
              <Group>
                <Button type="submit" loading={send.isPending}>
                  {n === 1 ? t('noticeForm.submitFirst') : t('noticeForm.submitFollowUp', { n })}
                </Button>
              </Group>
            </Stack>
          </Collapse>
        </Stack>
      </form>
    </Paper>
  );
}
