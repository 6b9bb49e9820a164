import { Alert, Anchor, Button, Code, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { UseMutationResult } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { DemoResult } from '../api/admin';
import { useIdempotencyKey } from '../lib/useIdempotencyKey';
import { ErrorAlert } from './ErrorAlert';

type LoadDemo = UseMutationResult<DemoResult, Error, { idempotencyKey: string }>;

/** First run: load the demo beside creating organisations; shows the accounts and password once. */
export function DemoLoader({ load }: { load: LoadDemo }) {
  const { t } = useTranslation();
  const idem = useIdempotencyKey();
  const r = load.data;
  return (
    <Paper withBorder p="md" radius="md" bg="indigo.0" data-testid="first-run">
      <Stack gap="sm">
        <Title order={3}>{t('demo.title')}</Title>
        {!r && (
          <>
            <Text size="sm">{t('demo.intro')}</Text>
            <Button
              variant="filled"
              loading={load.isPending}
              onClick={() => load.mutate({ idempotencyKey: idem.keyFor('demo') })}
              style={{ alignSelf: 'flex-start' }}
            >
              {t('demo.load')}
            </Button>
          </>
        )}
        <ErrorAlert error={load.error} />
        {r && !r.created && <Alert color="yellow">{t('demo.already')}</Alert>}
        {r?.created && (
          <Stack gap="xs" data-testid="demo-result">
            <Alert color="green">{t('demo.loaded')}</Alert>
            {r.password && (
              <Alert color="orange" title={t('demo.passwordOnce')}>
                {t('demo.password')}
                {t('common.colon')}
                <Code fz="md" data-testid="demo-password">
                  {r.password}
                </Code>
              </Alert>
            )}
            <Table.ScrollContainer minWidth={560}>
              <Table verticalSpacing={4} bg="white">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('demo.party')}</Table.Th>
                    <Table.Th>{t('demo.organization')}</Table.Th>
                    <Table.Th>{t('demo.name')}</Table.Th>
                    <Table.Th>{t('demo.role')}</Table.Th>
                    <Table.Th>{t('demo.email')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.accounts.map((a) => (
                    <Table.Tr key={a.email}>
                      <Table.Td>{t(`party.${a.party}`)}</Table.Td>
                      <Table.Td>{a.organization}</Table.Td>
                      <Table.Td>{a.name}</Table.Td>
                      <Table.Td>{t(`roles.${a.role}`)}</Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {a.email}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {r.agreementId && (
              <Anchor component={Link} to={`/agreements/${r.agreementId}`}>
                {t('demo.openAgreement')}
              </Anchor>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
