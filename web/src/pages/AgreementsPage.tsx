import { Anchor, Button, Card, Group, SimpleGrid, Stack, Text, Title, Loader } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAgreements } from '../api/agreements';
import { useSession } from '../api/session';
import type { Agreement } from '../api/types';
import { DeadlineText } from '../components/DeadlineText';
import { ErrorAlert } from '../components/ErrorAlert';
import { StatusBadge } from '../components/StatusBadge';
import { formatDate } from '../lib/dates';
import { useLang } from '../lib/useLang';

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" w={130} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <div style={{ minWidth: 0 }}>{children}</div>
    </Group>
  );
}

function AgreementCard({ a }: { a: Agreement }) {
  const { t } = useTranslation();
  const { lang } = useLang();
  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      component={Link}
      to={`/agreements/${a.id}`}
      data-testid="agreement-card"
    >
      <Group justify="space-between" mb="xs" wrap="nowrap" align="flex-start">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text fw={600} size="sm" truncate>
            {t('party.A')}　{a.partyA.name}
          </Text>
          <Text fw={600} size="sm" truncate>
            {t('party.B')}　{a.partyB.name}
          </Text>
        </Stack>
        <StatusBadge status={a.term.status} />
      </Group>
      <Stack gap={4}>
        <Row label={t('agreements.signedOn')}>
          <Text size="sm">{a.signedOn ? formatDate(a.signedOn, lang) : t('agreement.notSigned')}</Text>
        </Row>
        <Row label={t('agreements.termEnd')}>
          <Text size="sm">{formatDate(a.term.currentTermEnd, lang)}</Text>
        </Row>
        <Row label={t('agreements.nextDeadline')}>
          <DeadlineText term={a.term} />
        </Row>
        {a.myParty && (
          <Row label={t('agreements.mySide')}>
            <Text size="sm">{t(`party.${a.myParty}`)}</Text>
          </Row>
        )}
      </Stack>
    </Card>
  );
}

export function AgreementsPage() {
  const { t } = useTranslation();
  const { data: user } = useSession();
  const list = useAgreements();
  const canCreate = Boolean(user && (user.isAdmin || user.role === 'owner'));
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('agreements.title')}</Title>
        {canCreate && (
          <Button component={Link} to="/agreements/new">
            {t('agreements.new')}
          </Button>
        )}
      </Group>
      <ErrorAlert error={list.error} />
      {list.isPending && <Loader />}
      {list.data && list.data.items.length === 0 && <Text c="dimmed">{t('agreements.empty')}</Text>}
      {user?.isAdmin && list.data && list.data.items.length === 0 && (
        <Anchor component={Link} to="/organizations" size="sm">
          {t('agreements.adminHint')}
        </Anchor>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {list.data?.items.map((a) => (
          <AgreementCard key={a.id} a={a} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}
