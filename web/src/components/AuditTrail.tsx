import { Alert, Anchor, Code, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useAgreement, useAuditTrail } from '../api/agreements';
import { api } from '../api/client';
import { useSession } from '../api/session';
import type { IncidentState } from '../api/incidentTypes';
import type { AuditEvent } from '../api/types';
import type { AuditPublicKeySchema } from '../../../src/http/routes/audit/schema';
import type { z } from 'zod';
import { auditActionText, auditActorText } from '../lib/auditLabels';
import { formatInstant } from '../lib/dates';
import { useLang } from '../lib/useLang';
import { ErrorAlert } from './ErrorAlert';

const RECORD_TYPES = [
  'agreement',
  'termination_notice',
  'incident',
  'notice',
  'item_request',
  'containment_action',
  'obligation',
  'organization',
  'user',
  'api_token',
  'webhook',
] as const;

/** 覚書 / 事故 / 通知 …, or the raw type for one this version does not know. */
function recordLabel(type: string, t: TFunction): string {
  return (RECORD_TYPES as readonly string[]).includes(type)
    ? t(`audit.records.${type as (typeof RECORD_TYPES)[number]}`)
    : type;
}

/** 「復旧中 → 終結」 for a state change (its payload has before/after states). */
function stateChange(e: AuditEvent, t: TFunction): string {
  if (e.action !== 'incident.state_changed') return '';
  const p = e.payload as { before?: { state?: IncidentState }; after?: { state?: IncidentState } } | null;
  const from = p?.before?.state;
  const to = p?.after?.state;
  return from && to ? `（${t(`incidentState.${from}`)} → ${t(`incidentState.${to}`)}）` : '';
}

/**
 * The agreement's hash-chained audit events and whether the chain verifies; with `filter`, only
 * the events it picks (e.g. one incident's), the verification still covering the whole chain.
 */
export function AuditTrail(props: {
  agreementId: string;
  filter?: (e: AuditEvent) => boolean;
  title?: string;
  emptyText?: string;
}) {
  const { agreementId, filter } = props;
  const { t } = useTranslation();
  const { lang, pick } = useLang();
  const trail = useAuditTrail(agreementId);
  // The parties' names, so each actor is shown with its company (usually already loaded by the page).
  const agreement = useAgreement(agreementId);
  const parties = agreement.data ?? null;
  const session = useSession();
  // The instance's public key: its fingerprint is what the parties compare their receipts' key with.
  const publicKey = useQuery({
    queryKey: ['audit', 'public-key'],
    queryFn: () => api<z.output<typeof AuditPublicKeySchema>>('/api/v1/audit/public-key'),
    staleTime: Infinity,
  });
  const narrow = useMediaQuery('(max-width: 36em)') ?? false;
  const v = trail.data?.verification;
  const items = trail.data ? (filter ? trail.data.items.filter(filter) : trail.data.items) : null;

  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={3}>{props.title ?? t('audit.title')}</Title>
        <ErrorAlert error={trail.error} />
        {trail.isPending && <Loader size="sm" />}
        {v && (
          <Alert
            color={v.ok ? 'green' : 'red'}
            title={v.ok ? t('audit.verified') : t('audit.broken')}
            data-testid="audit-verification"
            data-ok={v.ok}
          >
            <Text size="sm">
              {v.mode === 'incremental'
                ? t('audit.checkedIncremental', { count: v.checked, seq: v.checkpointSeq ?? 0 })
                : t('audit.checked', { count: v.checked })}
            </Text>
            {v.firstBrokenEventId && (
              <Text size="sm">{t('audit.firstBroken', { id: v.firstBrokenEventId })}</Text>
            )}
            {v.reason && (
              <Text size="sm">{t('audit.reason', { reason: pick(v.reasonJa, v.reasonEn) || v.reason })}</Text>
            )}
            <Text size="sm" data-testid="audit-last-full">
              {v.lastFullVerification
                ? t('audit.lastFull', {
                    at: formatInstant(v.lastFullVerification.finishedAt, lang),
                    result: v.lastFullVerification.ok
                      ? t('audit.lastFullOk')
                      : t('audit.lastFullBroken', { seq: v.lastFullVerification.firstBrokenSeq ?? 0 }),
                  })
                : t('audit.lastFullNever')}
            </Text>
          </Alert>
        )}
        <Group gap="xs" wrap="wrap">
          {publicKey.data && (
            <Text
              size="xs"
              c="dimmed"
              data-testid="audit-public-key"
              style={{ minWidth: 0, maxWidth: '100%' }}
            >
              {t('audit.publicKey')}:{' '}
              <Code
                title={publicKey.data.publicKeyPem}
                style={{ overflowWrap: 'anywhere', wordBreak: 'break-all' }}
              >
                {publicKey.data.fingerprint}
              </Code>
            </Text>
          )}
          {/* Receipts are the parties' evidence: the administrator keeps none. */}
          {session.data && !session.data.isAdmin && (
            <Anchor
              size="xs"
              href={`/api/v1/agreements/${agreementId}/audit-receipts?download=true`}
              download
            >
              {t('audit.downloadReceipts')}
            </Anchor>
          )}
        </Group>
        {items && items.length === 0 && (
          <Text c="dimmed" size="sm">
            {props.emptyText ?? t('audit.empty')}
          </Text>
        )}
        {items && items.length > 0 && narrow && (
          // On a phone each event is a small card: no sideways scrolling through six columns.
          <Stack gap={6} data-testid="audit-events">
            {items.map((e) => (
              <Paper
                key={e.id}
                withBorder
                p="xs"
                radius="sm"
                bg={v?.firstBrokenEventId === e.id ? 'red.0' : undefined}
              >
                <Group justify="space-between" gap="xs" wrap="nowrap">
                  <Text size="xs" c="dimmed">
                    #{e.seq}
                    {t('common.sep')}
                    {formatInstant(e.occurredAt, lang)}
                  </Text>
                  <Code title={e.hash}>{e.hash.slice(0, 8)}</Code>
                </Group>
                <Text size="sm">
                  {auditActionText(e, lang)}
                  {stateChange(e, t)}
                </Text>
                <Text size="xs" c="dimmed" title={`${e.recordType} ${e.recordId}`}>
                  {auditActorText(e.actor, parties, lang)}
                  {t('common.sep')}
                  {recordLabel(e.recordType, t)} …{e.recordId.slice(-6)}
                </Text>
              </Paper>
            ))}
          </Stack>
        )}
        {items && items.length > 0 && !narrow && (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="xs" data-testid="audit-events">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>#</Table.Th>
                  <Table.Th>{t('audit.time')}</Table.Th>
                  <Table.Th>{t('audit.actor')}</Table.Th>
                  <Table.Th>{t('audit.action')}</Table.Th>
                  <Table.Th>{t('audit.record')}</Table.Th>
                  <Table.Th>{t('audit.hash')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((e) => (
                  <Table.Tr key={e.id} bg={v?.firstBrokenEventId === e.id ? 'red.0' : undefined}>
                    <Table.Td>{e.seq}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatInstant(e.occurredAt, lang)}</Table.Td>
                    <Table.Td>{auditActorText(e.actor, parties, lang)}</Table.Td>
                    <Table.Td>
                      {auditActionText(e, lang)}
                      {stateChange(e, t)}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Text size="xs" title={`${e.recordType} ${e.recordId}`}>
                        {recordLabel(e.recordType, t)}{' '}
                        <Text span ff="monospace" size="xs" c="dimmed">
                          …{e.recordId.slice(-6)}
                        </Text>
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Code title={e.hash}>{e.hash.slice(0, 12)}</Code>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
