import { Alert, Code, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAuditTrail } from '../api/agreements';
import type { AuditEvent } from '../api/types';
import { actionLabel } from '../i18n';
import { formatInstant } from '../lib/dates';
import { useLang } from '../lib/useLang';
import { ErrorAlert } from './ErrorAlert';

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
            <Text size="sm">{t('audit.checked', { count: v.checked })}</Text>
            {v.firstBrokenEventId && (
              <Text size="sm">{t('audit.firstBroken', { id: v.firstBrokenEventId })}</Text>
            )}
            {v.reason && (
              <Text size="sm">{t('audit.reason', { reason: pick(v.reasonJa, v.reasonEn) || v.reason })}</Text>
            )}
          </Alert>
        )}
        {items && items.length === 0 && (
          <Text c="dimmed" size="sm">
            {props.emptyText ?? t('audit.empty')}
          </Text>
        )}
        {items && items.length > 0 && (
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
                    <Table.Td>{e.actor.name ?? t('audit.system')}</Table.Td>
                    <Table.Td>{actionLabel(e.action, lang)}</Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace">
                        {e.recordType} {e.recordId}
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
