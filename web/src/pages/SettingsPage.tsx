import { useState, type FormEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Loader,
  Modal,
  NumberInput,
  PasswordInput,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  useChangePassword,
  useCreateToken,
  useMyTokens,
  useRevokeToken,
  type ApiToken,
  type CreateApiTokenInput,
} from '../api/access';
import { useSession, useUpdateDailyDigest } from '../api/session';
import { CalendarFeeds } from '../components/CalendarFeeds';
import { ErrorAlert } from '../components/ErrorAlert';
import { formatInstant } from '../lib/dates';
import { useLang } from '../lib/useLang';
import { showBidiControls } from '../lib/visibleText';

function PasswordForm() {
  const { t } = useTranslation();
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const mismatch = again.length > 0 && next !== again;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    change.mutate(
      { currentPassword: current, newPassword: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setAgain('');
        },
      },
    );
  };
  return (
    <Card withBorder>
      <form onSubmit={onSubmit} noValidate data-testid="password-form">
        <Stack gap="xs">
          <Title order={4}>{t('settings.passwordTitle')}</Title>
          <PasswordInput
            name="currentPassword"
            label={t('settings.currentPassword')}
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
          />
          <PasswordInput
            name="newPassword"
            label={t('settings.newPassword')}
            autoComplete="new-password"
            required
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
          />
          <PasswordInput
            name="confirmPassword"
            label={t('settings.confirmPassword')}
            autoComplete="new-password"
            required
            value={again}
            error={mismatch ? t('settings.mismatch') : undefined}
            onChange={(e) => setAgain(e.currentTarget.value)}
          />
          <ErrorAlert error={change.error} />
          {change.data && (
            <Alert color="green" data-testid="password-changed">
              {t('settings.passwordChanged', { count: change.data.sessionsEnded })}
            </Alert>
          )}
          <Group>
            <Button
              type="submit"
              loading={change.isPending}
              disabled={!current || next.length < 8 || next !== again}
            >
              {t('settings.changePassword')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function CreateTokenForm() {
  const { t } = useTranslation();
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [days, setDays] = useState<number | ''>(90);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input: CreateApiTokenInput = { name: name.trim() };
    if (days !== '') input.expiresInDays = days;
    create.mutate(input, { onSuccess: () => setName('') });
  };
  const secret = create.data?.token;
  return (
    <form onSubmit={onSubmit} noValidate data-testid="token-form">
      <Stack gap="xs">
        <Group align="flex-end" gap="xs">
          <TextInput
            name="name"
            label={t('settings.tokenName')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <NumberInput
            name="expiresInDays"
            label={t('settings.expiresInDays')}
            min={1}
            max={3650}
            allowDecimal={false}
            value={days}
            onChange={(v) => setDays(typeof v === 'number' ? v : '')}
          />
          <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
            {t('settings.createToken')}
          </Button>
        </Group>
        <ErrorAlert error={create.error} />
        {secret && (
          <Alert color="orange" title={t('settings.tokenOnce')} data-testid="token-secret">
            <Group gap="xs" wrap="nowrap">
              <Code style={{ overflowWrap: 'anywhere' }}>{secret}</Code>
              <CopyButton value={secret}>
                {({ copied, copy }) => (
                  <Button size="compact-xs" variant="light" onClick={copy}>
                    {copied ? t('settings.copied') : t('settings.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Alert>
        )}
      </Stack>
    </form>
  );
}

function TokensCard() {
  const { t } = useTranslation();
  const { lang } = useLang();
  const tokens = useMyTokens();
  const revoke = useRevokeToken();
  const [pending, setPending] = useState<ApiToken | null>(null);
  const now = new Date().toISOString();
  const close = () => {
    revoke.reset();
    setPending(null);
  };
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={4}>{t('settings.tokensTitle')}</Title>
        <Text size="sm" c="dimmed">
          {t('settings.tokensIntro')}
        </Text>
        {tokens.isPending && <Loader size="sm" />}
        <ErrorAlert error={tokens.error} />
        {tokens.data && tokens.data.items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('settings.noTokens')}
          </Text>
        )}
        {tokens.data && tokens.data.items.length > 0 && (
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing={4} data-testid="token-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('settings.tokenName')}</Table.Th>
                  <Table.Th>{t('settings.created')}</Table.Th>
                  <Table.Th>{t('settings.lastUsed')}</Table.Th>
                  <Table.Th>{t('settings.expires')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tokens.data.items.map((tok) => (
                  <Table.Tr key={tok.id}>
                    <Table.Td>
                      {showBidiControls(tok.name)}{' '}
                      <Text span size="xs" c="dimmed">
                        {tok.id}
                      </Text>
                    </Table.Td>
                    <Table.Td>{formatInstant(tok.createdAt, lang)}</Table.Td>
                    <Table.Td>
                      {tok.lastUsedAt ? formatInstant(tok.lastUsedAt, lang) : t('settings.neverUsed')}
                    </Table.Td>
                    <Table.Td>
                      {tok.expiresAt ? formatInstant(tok.expiresAt, lang) : t('settings.never')}
                      {tok.expiresAt && tok.expiresAt <= now && (
                        <Badge color="gray" ml={4}>
                          {t('settings.expired')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Button size="compact-xs" variant="light" color="red" onClick={() => setPending(tok)}>
                        {t('settings.revoke')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <CreateTokenForm />
      </Stack>
      {pending && (
        <Modal opened onClose={close} title={t('members.confirmTitle')}>
          <Stack gap="sm">
            <Text size="sm">{t('settings.confirmRevoke', { name: showBidiControls(pending.name) })}</Text>
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
                {t('settings.revoke')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </Card>
  );
}

/** My account: change my password (my other sessions end), manage my API tokens and my calendar feeds. */
/** The daily digest opt-out (PATCH /me {dailyDigest}); not for the administrator, who gets none. */
function DigestCard() {
  const { t } = useTranslation();
  const session = useSession();
  const update = useUpdateDailyDigest();
  const user = session.data;
  if (!user || user.isAdmin) return null;
  return (
    <Card withBorder data-testid="digest-card">
      <Stack gap="xs">
        <Title order={4}>{t('settings.digestTitle')}</Title>
        <Switch
          name="dailyDigest"
          label={t('settings.digestLabel')}
          description={t('settings.digestHelp')}
          checked={user.dailyDigest}
          disabled={update.isPending}
          onChange={(e) => update.mutate(e.currentTarget.checked)}
        />
        {update.error ? <ErrorAlert error={update.error} /> : null}
      </Stack>
    </Card>
  );
}

export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="md" maw={900}>
      <Title order={2}>{t('settings.title')}</Title>
      <DigestCard />
      <PasswordForm />
      <TokensCard />
      <CalendarFeeds />
    </Stack>
  );
}
