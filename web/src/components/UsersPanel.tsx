import { useState, type FormEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import { useAddUser, useOrganizationUsers, type AddUserInput } from '../api/organizations';
import { useIdempotencyKey } from '../lib/useIdempotencyKey';
import { ErrorAlert } from './ErrorAlert';
import { showBidiControls } from '../lib/visibleText';

/** The roles a user can be given (the administrator is not one of them). */
type OrgRole = AddUserInput['role'];
const ROLES: OrgRole[] = ['owner', 'legal', 'responder', 'viewer'];

function AddUserForm({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const add = useAddUser(orgId);
  const idem = useIdempotencyKey();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<OrgRole>('responder');
  const [password, setPassword] = useState('');

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input: AddUserInput = { email: email.trim(), name: name.trim(), role };
    if (password) input.password = password;
    add.mutate(
      { input, idempotencyKey: idem.keyFor(input) },
      {
        onSuccess: () => {
          idem.reset();
          setEmail('');
          setName('');
          setPassword('');
        },
      },
    );
  };
  const result = add.data;

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="xs">
        <Title order={5}>{t('orgs.addUser')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            name="email"
            type="email"
            label={t('orgs.email')}
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <TextInput
            name="name"
            label={t('orgs.userName')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <Select
            name="role"
            label={t('orgs.role')}
            data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            value={role}
            onChange={(v) => v && setRole(v as OrgRole)}
            allowDeselect={false}
          />
          <PasswordInput
            name="password"
            label={t('orgs.password')}
            description={t('orgs.passwordHelp')}
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
        </SimpleGrid>
        <ErrorAlert error={add.error} />
        {result && (
          <Alert color="green" data-testid="invitation-result">
            {result.invitationSent
              ? t('orgs.invitationSent', { email: result.user.email })
              : t('orgs.createdWithPassword', { email: result.user.email })}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={add.isPending} disabled={!email.trim() || !name.trim()}>
            {t('orgs.addUser')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Users of one organisation and, for those allowed, a form to add one. */
export function UsersPanel({ orgId, canAdd }: { orgId: string; canAdd: boolean }) {
  const { t } = useTranslation();
  const users = useOrganizationUsers(orgId);
  const hidden = isApiError(users.error) && (users.error.status === 403 || users.error.status === 404);
  return (
    <Stack gap="sm">
      <Title order={5}>{t('orgs.users')}</Title>
      {users.isPending && <Loader size="sm" />}
      {hidden ? (
        <Text size="sm" c="dimmed">
          {t('orgs.usersHidden')}
        </Text>
      ) : (
        <ErrorAlert error={users.error} />
      )}
      {users.data && users.data.items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('orgs.noUsers')}
        </Text>
      )}
      {users.data && users.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing={4}>
            <Table.Tbody>
              {users.data.items.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{showBidiControls(u.name)}</Table.Td>
                  <Table.Td>
                    <Badge variant="light">{t(`roles.${u.role}`)}</Badge>
                    {u.invitationPending && (
                      <Badge variant="outline" color="gray" ml={4}>
                        {t('orgs.invitationPending')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {u.email}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {canAdd && <AddUserForm orgId={orgId} />}
    </Stack>
  );
}
