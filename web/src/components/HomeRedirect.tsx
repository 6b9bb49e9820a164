import { Navigate } from 'react-router';
import { useSession } from '../api/session';

/** Where `/` (and a login without a page to return to) lands for the signed-in user. */
export function homePath(user: { isAdmin: boolean } | null | undefined): string {
  // The instance administrator sees no incident content: it keeps the agreements as its home.
  return user && !user.isAdmin ? '/work' : '/agreements';
}

/**
 * `/`: the work queue (対応状況) for every organisation role — what is due comes first — and the
 * agreements for the instance administrator. Rendered inside RequireAuth, so the session is known.
 */
export function HomeRedirect() {
  const { data: user } = useSession();
  return <Navigate to={homePath(user)} replace />;
}
