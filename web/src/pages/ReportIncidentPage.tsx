import { useState, type FormEvent } from 'react';
import {
  Anchor,
  Button,
  Collapse,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAgreement } from '../api/agreements';
import { useReportIncident } from '../api/incidents';
import type { ReportIncidentInput } from '../api/incidentTypes';
import { useSession } from '../api/session';
import { ErrorAlert } from '../components/ErrorAlert';
import {
  EMPTY_DETAILS,
  IncidentDetailsFields,
  detailsInput,
  type IncidentDetails,
} from '../components/incident/IncidentDetailsFields';
import { fromTokyoInput, toTokyoInput } from '../lib/instants';
import { reportBlocker } from '../lib/reportAccess';
import { useIdempotencyKey } from '../lib/useIdempotencyKey';

/** /agreements/:id/incidents/new — the short first report (works on a phone); details are optional. */
export function ReportIncidentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { data: user } = useSession();
  const agreement = useAgreement(id);
  const report = useReportIncident(id);
  const idem = useIdempotencyKey();
  const [title, setTitle] = useState('');
  const [discoveredAt, setDiscoveredAt] = useState(() => toTokyoInput(new Date()));
  const [suspected, setSuspected] = useState(true);
  const [open, setOpen] = useState(false);
  const [details, setDetails] = useState<IncidentDetails>(EMPTY_DETAILS);
  const [touched, setTouched] = useState(false);

  const a = agreement.data;
  if (agreement.isPending) return <Loader />;
  if (!a) return <ErrorAlert error={agreement.error} />;
  const back = (
    <Anchor component={Link} to={`/agreements/${a.id}`} size="sm">
      {t('incident.back')}
    </Anchor>
  );
  // The agreement's state is left to the server: an incident discovered while it was in force may
  // still be reported after it ended where Art 3 survives (Art 11.3).
  const blocker = reportBlocker(user, a);
  if ((blocker !== null && blocker !== 'notActive') || !a.myParty) {
    // The real reason: the role (and which roles may), not the agreement, when it is the role.
    const reason =
      blocker === 'role' && user
        ? t('incidents.roleCannotReport', { role: t(`roles.${user.role}`) })
        : blocker === 'admin'
          ? t('incidents.adminCannotReport')
          : t('incidents.notPartyCannotReport');
    return (
      <Stack align="flex-start">
        <Text data-testid="report-blocked" data-reason={blocker ?? 'notParty'}>
          {reason}
        </Text>
        {back}
      </Stack>
    );
  }
  const side = a.myParty;
  const discovered = fromTokyoInput(discoveredAt);
  const valid = title.trim() !== '' && discovered !== null;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!valid || !discovered) return;
    const input: ReportIncidentInput = {
      reportingParty: side,
      title: title.trim(),
      suspected,
      discoveredAt: discovered,
      ...detailsInput(details),
    };
    report.mutate(
      { input, idempotencyKey: idem.keyFor(input) },
      {
        onSuccess: (incident) => {
          idem.reset();
          void navigate(`/incidents/${incident.id}`);
        },
      },
    );
  };

  return (
    <Stack maw={720} gap="sm">
      {back}
      <Title order={2}>{t('report.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('report.intro')}
      </Text>
      <Paper withBorder p="md" radius="md">
        <form onSubmit={onSubmit} noValidate data-testid="report-incident-form">
          <Stack gap="sm">
            <Text size="sm" fw={600}>
              {t('report.side', { party: t(`party.${side}`) })}
            </Text>
            <TextInput
              name="title"
              label={t('report.titleLabel')}
              placeholder={t('report.titlePlaceholder')}
              required
              maxLength={200}
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              error={touched && !title.trim() ? t('common.required') : undefined}
            />
            <TextInput
              type="datetime-local"
              name="discoveredAt"
              label={t('report.discoveredAt')}
              description={t('report.discoveredAtHelp')}
              required
              value={discoveredAt}
              onChange={(e) => setDiscoveredAt(e.currentTarget.value)}
              error={touched && !discovered ? t('report.invalidTime') : undefined}
            />
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('report.certainty')}
              </Text>
              <SegmentedControl
                aria-label={t('report.certainty')}
                fullWidth
                value={suspected ? 'suspected' : 'confirmed'}
                onChange={(v) => setSuspected(v !== 'confirmed')}
                data={[
                  { value: 'suspected', label: t('report.suspected') },
                  { value: 'confirmed', label: t('report.confirmed') },
                ]}
              />
              <Text size="xs" c="dimmed">
                {t('report.suspectedHelp')}
              </Text>
            </Stack>
            <UnstyledButton onClick={() => setOpen((o) => !o)} aria-expanded={open} c="indigo.7" fw={600}>
              {open ? '▾' : '▸'} {t('report.details')}
            </UnstyledButton>
            <Collapse expanded={open}>
              <IncidentDetailsFields value={details} onChange={setDetails} />
            </Collapse>
            <ErrorAlert error={report.error} />
            <Group>
              <Button type="submit" color="red" loading={report.isPending} fullWidth>
                {t('report.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
