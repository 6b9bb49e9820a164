import { useState, type FormEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
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
import { useRemoveMember, useUpdateMember, type UpdateMemberInput } from '../api/access';
import { isApiError } from '../api/client';
import { useAddUser, useOrganizationUsers, type AddUserInput } from '../api/organizations';
import { useSession } from '../api/session';
import type { User } from '../api/types';
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

/** A change waiting for the user's confirmation. */
type Pending =
  { kind: 'role'; user: User; role: OrgRole } | { kind: 'disable' | 'enable' | 'remove'; user: User };

/**
 * Role, disable/enable and remove for one member. The owner of the organisation gets all three;
 * the instance administrator only disable/enable (the server enforces it: 403 otherwise).
 */
function MemberActions({ user, full, onAsk }: { user: User; full: boolean; onAsk: (p: Pending) => void }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      {full && (
        <Select
          size="xs"
          w={130}
          aria-label={t('members.changeRole')}
          data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          value={user.role}
          onChange={(v) => v && v !== user.role && onAsk({ kind: 'role', user, role: v as OrgRole })}
          allowDeselect={false}
        />
      )}
      <Button
        size="compact-xs"
        variant="light"
        color={user.disabled ? 'green' : 'orange'}
        onClick={() => onAsk({ kind: user.disabled ? 'enable' : 'disable', user })}
      >
        {user.disabled ? t('members.enable') : t('members.disable')}
      </Button>
      {full && (
        <Button size="compact-xs" variant="light" color="red" onClick={() => onAsk({ kind: 'remove', user })}>
          {t('members.remove')}
        </Button>
      )}
    </Group>
  );
}

function ConfirmChange({
  orgId,
  pending,
  onClose,
}: {
  orgId: string;
  pending: Pending | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const update = useUpdateMember(orgId);
  const remove = useRemoveMember(orgId);
  const error = update.error ?? remove.error;
  const busy = update.isPending || remove.isPending;
  const close = () => {
    update.reset();
    remove.reset();
    onClose();
  };
  if (!pending) return null;
  const name = showBidiControls(pending.user.name);
  const text =
    pending.kind === 'role'
      ? t('members.confirmRole', { name, role: t(`roles.${pending.role}`) })
      : pending.kind === 'disable'
        ? t('members.confirmDisable', { name })
        : pending.kind === 'enable'
          ? t('members.confirmEnable', { name })
          : t('members.confirmRemove', { name });
  const run = () => {
    if (pending.kind === 'remove') {
      remove.mutate(pending.user.id, { onSuccess: close });
      return;
    }
    const input: UpdateMemberInput =
      pending.kind === 'role' ? { role: pending.role } : { disabled: pending.kind === 'disable' };
    update.mutate({ userId: pending.user.id, input }, { onSuccess: close });
  };
  return (
    <Modal opened onClose={close} title={t('members.confirmTitle')} data-testid="member-confirm">
      <Stack gap="sm">
        <Text size="sm">{text}</Text>
        <ErrorAlert error={error} />
        {isApiError(error) && error.status === 409 && (
          <Text size="xs" c="dimmed">
            {t('members.lastOwnerHint')}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button color={pending.kind === 'remove' ? 'red' : undefined} loading={busy} onClick={run}>
            {t('members.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Users of one organisation and, for those allowed, a form to add one. */
export function UsersPanel({ orgId, canAdd }: { orgId: string; canAdd: boolean }) {
  const { t } = useTranslation();
  const users = useOrganizationUsers(orgId);
  const session = useSession();
  const me = session.data ?? null;
  // The owner manages its own organisation's members; the administrator may only disable/enable.
  const isOwner = !!me && !me.isAdmin && me.organizationId === orgId && me.role === 'owner';
  const isAdmin = !!me?.isAdmin;
  const [pending, setPending] = useState<Pending | null>(null);
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
                    {u.disabled && (
                      <Badge variant="filled" color="orange" ml={4}>
                        {t('members.disabled')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {u.email}
                      {me?.id === u.id && ` ${t('members.you')}`}
                    </Text>
                  </Table.Td>
                  {(isOwner || isAdmin) && (
                    <Table.Td>
                      <MemberActions user={u} full={isOwner} onAsk={setPending} />
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {isAdmin && users.data && users.data.items.length > 0 && (
        <Text size="xs" c="dimmed">
          {t('members.adminHint')}
        </Text>
      )}
      <ConfirmChange orgId={orgId} pending={pending} onClose={() => setPending(null)} />
      {canAdd && <AddUserForm orgId={orgId} />}
    </Stack>
  );
}
