import { AppShell, Box, Burger, Button, Group, NavLink, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/types';
import { useLogout } from '../api/session';
import { LanguageSwitch } from './LanguageSwitch';
import { DutyCountBadge } from './DutyCountBadge';
import { useRefreshDutiesAfterChanges } from '../api/workQueue';
import { homePath } from './HomeRedirect';
import { showBidiControls } from '../lib/visibleText';

function UserInfo({ user }: { user: User }) {
  const { t } = useTranslation();
  return (
    <Stack gap={0} data-testid="current-user">
      <Text size="sm" fw={600} lh={1.2}>
        {showBidiControls(user.name)}
      </Text>
      <Text size="xs" c="dimmed" lh={1.2}>
        {user.isAdmin ? t('nav.admin') : (user.organizationName ?? '')}
        {!user.isAdmin && ` · ${t(`roles.${user.role}`)}`}
      </Text>
    </Stack>
  );
}

/** Header (user, language, logout) and navigation around every signed-in page. */
export function Layout({ user }: { user: User }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();
  const onLogout = () => logout.mutate(undefined, { onSettled: () => void navigate('/login') });
  useRefreshDutiesAfterChanges();
  const links = [
    // The work queue shows incident content: not for the instance administrator.
    ...(user.isAdmin
      ? []
      : [{ to: '/work', label: t('nav.work'), badge: <DutyCountBadge enabled={!user.isAdmin} /> }]),
    { to: '/agreements', label: t('nav.agreements') },
    { to: '/organizations', label: t('nav.organizations') },
    { to: '/settings', label: t('settings.nav') },
  ];

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="xs" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <Text component={Link} to={homePath(user)} fw={700} size="lg" c="indigo.8" td="none">
              {t('app.name')}
            </Text>
            {!user.isAdmin && (
              // On a phone the navigation is folded away: the count stays in sight in the header.
              <Box hiddenFrom="sm">
                <DutyCountBadge enabled asLink />
              </Box>
            )}
            <Text size="xs" c="dimmed" visibleFrom="md">
              {t('app.tagline')}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Group visibleFrom="sm" gap="sm" wrap="nowrap">
              <UserInfo user={user} />
            </Group>
            <LanguageSwitch />
            <Button variant="default" size="xs" onClick={onLogout} visibleFrom="sm">
              {t('nav.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        {links.map((l) => (
          <NavLink
            key={l.to}
            component={Link}
            to={l.to}
            label={l.label}
            rightSection={'badge' in l ? l.badge : undefined}
            active={location.pathname.startsWith(l.to)}
            onClick={close}
          />
        ))}
        <Stack hiddenFrom="sm" mt="md" gap="sm">
          <UserInfo user={user} />
          <Button variant="default" size="xs" onClick={onLogout}>
            {t('nav.logout')}
          </Button>
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
