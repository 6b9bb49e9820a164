import { Alert, Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Agreement, Party, PartySide } from '../api/types';
import { formatDate, formatInstant, formatWareki } from '../lib/dates';
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
        {party.address ?? <HiddenUntilSigned />}
      </Text>
      <Text size="sm">
        <Text span c="dimmed" size="sm">
          {t('agreement.representative')}
          {t('common.colon')}
        </Text>
        {party.representative ?? <HiddenUntilSigned />}
      </Text>
    </Paper>
  );
}

/** On a draft the other company's address and representative are not shown (issue 7). */
function HiddenUntilSigned() {
  const { t } = useTranslation();
  return (
    <Text span size="sm" c="dimmed" fs="italic">
      {t('agreement.hiddenUntilSigned')}
    </Text>
  );
}

/**
 * Both signature slots: 甲 署名済み 2026年…（name）／未署名. The memorandum takes effect when both
 * parties have signed; a memorandum signed on paper was recorded by the administrator.
 */
export function SignaturesBlock({ agreement: a }: { agreement: Agreement }) {
  const { t } = useTranslation();
  const { lang } = useLang();
  const draft = a.signedOn === null;
  const slot = (side: PartySide) => {
    const s = a.signatures[side];
    const text = !s
      ? t('signatures.unsigned')
      : s.onPaper
        ? t('signatures.onPaper', { at: formatInstant(s.at, lang) })
        : s.by?.name
          ? t('signatures.signedBy', { at: formatInstant(s.at, lang), name: s.by.name })
          : t('signatures.signed', { at: formatInstant(s.at, lang) });
    return (
      <Group
        key={side}
        gap="xs"
        wrap="nowrap"
        data-testid={`signature-${side}`}
        data-signed={s ? 'yes' : 'no'}
      >
        <Badge variant="filled" color={side === 'A' ? 'indigo' : 'teal'}>
          {t(`party.${side}`)}
        </Badge>
        <Text size="sm" c={s ? undefined : 'orange.8'} fw={s ? undefined : 600}>
          {text}
        </Text>
      </Group>
    );
  };
  const mine = a.myParty;
  const waiting = draft && mine !== null && a.signatures[mine] !== null;
  return (
    <Paper withBorder p="sm" radius="md" data-testid="signatures">
      <Stack gap={6}>
        <Title order={4}>{t('signatures.title')}</Title>
        {slot('A')}
        {slot('B')}
        {draft && (
          <Alert color="blue" variant="light" p="xs">
            <Text size="sm">{t('signatures.help')}</Text>
            {waiting && (
              <Text size="sm" fw={600} mt={4}>
                {t('signatures.waiting')}
              </Text>
            )}
          </Alert>
        )}
      </Stack>
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
    case 'itemRequestMinHours':
    case 'cooperationResponseHours':
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
      <SignaturesBlock agreement={a} />
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
              : a.proposedSignedOn
                ? t('agreement.proposedSignedOn', { date: formatDate(a.proposedSignedOn, lang) })
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
