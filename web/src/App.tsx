import { WorkQueuePage } from './pages/WorkQueuePage';
import { Route, Routes } from 'react-router';
import { HomeRedirect } from './components/HomeRedirect';
import { RequireAuth } from './components/RequireAuth';
import { AgreementPage } from './pages/AgreementPage';
import { AgreementsPage } from './pages/AgreementsPage';
import { IncidentPage } from './pages/IncidentPage';
import { InvitePage } from './pages/InvitePage';
import { LoginPage } from './pages/LoginPage';
import { NewAgreementPage } from './pages/NewAgreementPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OrganizationsPage } from './pages/OrganizationsPage';
import { ReportIncidentPage } from './pages/ReportIncidentPage';
import { SettingsPage } from './pages/SettingsPage';

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/invite/:token" element={<InvitePage />} />
      <Route element={<RequireAuth />}>
        <Route index element={<HomeRedirect />} />
        <Route path="/work" element={<WorkQueuePage />} />
        <Route path="/agreements" element={<AgreementsPage />} />
        <Route path="/agreements/new" element={<NewAgreementPage />} />
        <Route path="/agreements/:id" element={<AgreementPage />} />
        <Route path="/agreements/:id/incidents/new" element={<ReportIncidentPage />} />
        <Route path="/incidents/:id" element={<IncidentPage />} />
        <Route path="/organizations" element={<OrganizationsPage />} />
        <Route path="/settings" element={<SettingsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
