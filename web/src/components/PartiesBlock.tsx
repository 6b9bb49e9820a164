import { Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Agreement, Party, PartySide } from '../api/types';
import { formatDate, formatWareki } from '../lib/dates';
import { PARAMETER_NAMES, formatArticleList, isChanged } from '../lib/parameters';
import { useLang } from '../lib/useLang';

function PartyCard({ side, party, mine }: { side: PartySide; party: Party; mine: boolean }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" radius="md" bg={mine ? 'indigo.0' : undefined} data-testid={`party-${side}`}>
      <Group gap="xs" mb={4}>
        <Badge variant="filled" color={side === 'A' ? 'indigo' : 'teal'}>
          {t(`party.${side}`)}
        </Badge>
        <Text fw={700}>{party.name}</Text>
      </Group>
      <Text size="sm">
        <Text span c="dimmed" size="sm">
          {t('agreement.address')}
          {t('common.colon')}
        </Text>
        {party.address}
      </Text>
      <Text size="sm">
        <Text span c="dimmed" size="sm">
          {t('agreement.representative')}
          {t('common.colon')}
        </Text>
        {party.representative}
      </Text>
    </Paper>
  );
}

function ParameterValue({ a, name }: { a: Agreement; name: (typeof PARAMETER_NAMES)[number] }) {
  const { t } = useTranslation();
  const { lang } = useLang();
  const p = a.parameters;
  switch (name) {
    case 'noticeTargetHours':
    case 'containmentTargetHours':
      return <>{t('params.hours', { count: p[name] })}</>;
    case 'termMonths':
    case 'renewalMonths':
    case 'terminationNoticeMonths':
      return <>{t('params.months', { count: p[name] })}</>;
    case 'countSigningDay':
      return <>{p.countSigningDay ? t('common.yes') : t('common.no')}</>;
    case 'survivingArticles':
      return <>{formatArticleList(p.survivingArticles, lang)}</>;
  }
}

/** Parties with addresses and representatives, court, signing date and parameters. */
export function PartiesBlock({ agreement: a }: { agreement: Agreement }) {
  const { t } = useTranslation();
  const { lang } = useLang();
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <PartyCard side="A" party={a.partyA} mine={a.myParty === 'A'} />
        <PartyCard side="B" party={a.partyB} mine={a.myParty === 'B'} />
      </SimpleGrid>
      <Paper withBorder p="sm" radius="md">
        <Stack gap={4}>
          <Text size="sm">
            <Text span c="dimmed" size="sm">
              {t('agreement.court')}
              {t('common.colon')}
            </Text>
            {a.court ?? t('agreement.courtDefault')}
          </Text>
          <Text size="sm">
            <Text span c="dimmed" size="sm">
              {t('agreement.signedOn')}
              {t('common.colon')}
            </Text>
            {a.signedOn
              ? `${formatDate(a.signedOn, lang)}${a.dateStyle === 'japanese' ? `（${formatWareki(a.signedOn)}）` : ''}`
              : t('agreement.notSigned')}
          </Text>
          <Text size="sm">
            <Text span c="dimmed" size="sm">
              {t('agreement.dateStyle')}
              {t('common.colon')}
            </Text>
            {a.dateStyle === 'japanese' ? t('create.japanese') : t('create.western')}
          </Text>
        </Stack>
      </Paper>
      <Paper withBorder p="sm" radius="md">
        <Title order={4} mb={6}>
          {t('agreement.parameters')}
        </Title>
        <Stack gap={2}>
          {PARAMETER_NAMES.map((name) => (
            <Group key={name} gap="xs" wrap="nowrap" align="baseline">
              <Text size="sm" c="dimmed" style={{ flex: 1 }}>
                {t(`params.${name}`)}
              </Text>
              <Text size="sm" fw={600} ta="right">
                <ParameterValue a={a} name={name} />
              </Text>
              {isChanged(a.parameters, name) && (
                <Badge size="xs" color="grape" variant="light">
                  {t('params.changed')}
                </Badge>
              )}
            </Group>
          ))}
        </Stack>
      </Paper>
    </Stack>
  );
}
