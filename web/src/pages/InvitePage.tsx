import { useState, type FormEvent } from 'react';
import { Button, Container, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAcceptInvitation } from '../api/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { LanguageSwitch } from '../components/LanguageSwitch';

/** /invite/:token — the link in the invitation mail: choose a password, then log in. */
export function InvitePage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const accept = useAcceptInvitation();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const tooShort = password.length < 8;
  const mismatch = confirm !== password;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (tooShort || mismatch) return;
    accept.mutate(
      { token, password },
      {
        onSuccess: ({ user }) =>
          void navigate('/login', { replace: true, state: { email: user.email, passwordSet: true } }),
      },
    );
  };

  return (
    <Container size={440} py={40}>
      <Group justify="space-between" mb="lg">
        <Title order={2} c="indigo.8">
          {t('app.name')}
        </Title>
        <LanguageSwitch />
      </Group>
      <Paper withBorder shadow="sm" p="lg" radius="md">
        <form onSubmit={onSubmit} noValidate>
          <Stack>
            <Title order={3}>{t('invite.title')}</Title>
            <Text size="sm" c="dimmed">
              {t('invite.intro')}
            </Text>
            <ErrorAlert error={accept.error} />
            <PasswordInput
              label={t('invite.password')}
              autoComplete="new-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={touched && tooShort ? t('invite.tooShort') : undefined}
            />
            <PasswordInput
              label={t('invite.confirm')}
              autoComplete="new-password"
              required
              value={confirm}
              onChange={(e) => setConfirm(e.currentTarget.value)}
              error={touched && mismatch ? t('invite.mismatch') : undefined}
            />
            <Button type="submit" loading={accept.isPending}>
              {t('invite.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Container>
  );
}
