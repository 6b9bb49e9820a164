import { useEffect } from 'react';
import { Center, Loader, Container } from '@mantine/core';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../api/session';
import { setLanguage, storedLanguage } from '../i18n';
import { ErrorAlert } from './ErrorAlert';
import { Layout } from './Layout';

/** Signed-in area: waits for the session, sends strangers to /login, adopts the account's language. */
export function RequireAuth() {
  const session = useSession();
  const location = useLocation();
  const user = session.data;

  useEffect(() => {
    // A device without a language choice of its own follows the account's.
    if (user && !storedLanguage()) void setLanguage(user.locale);
  }, [user]);

  if (session.isPending) {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  }
  if (session.isError) {
    return (
      <Container size="sm" py="xl">
        <ErrorAlert error={session.error} />
      </Container>
    );
  }
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <Layout user={user} />;
}
