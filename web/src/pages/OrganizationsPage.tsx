import { useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Card,
  Collapse,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useLoadDemo } from '../api/admin';
import { useCreateOrganization, useOrganizations, type CreateOrganizationInput } from '../api/organizations';
import { useSession } from '../api/session';
import type { Organization, User } from '../api/types';
import { DemoLoader } from '../components/DemoLoader';
import { ErrorAlert } from '../components/ErrorAlert';
import { UsersPanel } from '../components/UsersPanel';
import { WebhooksPanel } from '../components/WebhooksPanel';
import { useIdempotencyKey } from '../lib/useIdempotencyKey';
import { showBidiControls } from '../lib/visibleText';

function CreateOrganizationForm() {
  const { t } = useTranslation();
  const create = useCreateOrganization();
  const idem = useIdempotencyKey();
  const empty = { name: '', address: '', representative: '', court: '' };
  const [v, setV] = useState(empty);
  const field = (k: keyof typeof empty) => ({
    name: k,
    value: v[k],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setV({ ...v, [k]: e.currentTarget.value }),
  });
  const ready = v.name.trim() && v.address.trim() && v.representative.trim();

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input: CreateOrganizationInput = {
      name: v.name.trim(),
      address: v.address.trim(),
      representative: v.representative.trim(),
    };
    if (v.court.trim()) input.court = v.court.trim();
    create.mutate(
      { input, idempotencyKey: idem.keyFor(input) },
      {
        onSuccess: () => {
          idem.reset();
          setV(empty);
        },
      },
    );
  };

  return (
    <Paper withBorder p="md" radius="md">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="xs">
          <Title order={4}>{t('orgs.create')}</Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('orgs.name')} required {...field('name')} />
            <TextInput label={t('orgs.representative')} required {...field('representative')} />
            <TextInput label={t('orgs.address')} required {...field('address')} />
            <TextInput label={t('orgs.court')} description={t('orgs.courtHelp')} {...field('court')} />
          </SimpleGrid>
          <ErrorAlert error={create.error} />
          {create.data && <Alert color="green">{t('orgs.created', { name: create.data.name })}</Alert>}
          <Group>
            <Button type="submit" loading={create.isPending} disabled={!ready}>
              {t('orgs.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function OrganizationCard({ org, user }: { org: Organization; user: User }) {
  const { t } = useTranslation();
  const own = user.organizationId === org.id;
  const manage = user.isAdmin || (own && user.role === 'owner');
  const [open, setOpen] = useState(own);
  return (
    <Card withBorder radius="md" data-testid="organization-card">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Text fw={700}>{showBidiControls(org.name)}</Text>
          <Text size="sm">{org.address}</Text>
          <Text size="sm" c="dimmed">
            {t('orgs.representative')}
            {t('common.colon')}
            {org.representative}
          </Text>
          {org.court && (
            <Text size="sm" c="dimmed">
              {t('agreement.court')}
              {t('common.colon')}
              {org.court}
              {org.courtDerived && t('orgs.courtDerived')}
            </Text>
          )}
        </Stack>
        <Button variant="subtle" size="xs" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
          {open ? t('orgs.hideUsers') : t('orgs.showUsers')}
        </Button>
      </Group>
      <Collapse expanded={open} keepMounted={false}>
        <Stack mt="sm">
          <UsersPanel orgId={org.id} canAdd={manage} />
          {/* Webhooks are the organisation owner's alone (the administrator gets 403). */}
          {own && user.role === 'owner' && <WebhooksPanel orgId={org.id} />}
        </Stack>
      </Collapse>
    </Card>
  );
}

export function OrganizationsPage() {
  const { t } = useTranslation();
  const { data: user } = useSession();
  const orgs = useOrganizations();
  const demo = useLoadDemo();
  if (!user) return null;
  // The first-run choice stays on screen after loading, so the accounts and password can be noted.
  const firstRun = user.isAdmin && ((orgs.data && orgs.data.items.length === 0) || demo.data !== undefined);
  return (
    <Stack maw={980}>
      <Title order={2}>{t('orgs.title')}</Title>
      {firstRun && <DemoLoader load={demo} />}
      {user.isAdmin && <CreateOrganizationForm />}
      <ErrorAlert error={orgs.error} />
      {orgs.isPending && <Loader />}
      {orgs.data && orgs.data.items.length === 0 && <Text c="dimmed">{t('orgs.empty')}</Text>}
      <Stack>
        {orgs.data?.items.map((o) => (
          <OrganizationCard key={o.id} org={o} user={user} />
        ))}
      </Stack>
    </Stack>
  );
}
