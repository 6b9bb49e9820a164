import { useState, type FormEvent } from 'react';
import { Alert, Button, Collapse, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useUpdateIncident } from '../../api/incidents';
import type { Incident } from '../../api/incidentTypes';
import { factsErrors, factsFromIncident, factsPatch, type FactsForm } from '../../lib/incidentFacts';
import { ErrorAlert } from '../ErrorAlert';
import { IncidentDetailsFields, type IncidentDetails } from './IncidentDetailsFields';

/**
 * The short first report grows here: the reporting side fills in or corrects the facts as they
 * become known. Only changed fields are sent, with If-Match on the version the form was opened on,
 * so an edit made meanwhile by someone else answers 409 instead of being overwritten.
 */
export function EditFacts({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const update = useUpdateIncident(incident);
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<FactsForm>(() => factsFromIncident(incident));
  const [baseVersion, setBaseVersion] = useState(incident.version);
  const [touched, setTouched] = useState(false);
  const [saved, setSaved] = useState(false);

  const start = () => {
    setForm(factsFromIncident(incident));
    setBaseVersion(incident.version);
    setTouched(false);
    setSaved(false);
    update.reset();
    setOpen(true);
  };
  const errors = factsErrors(form);
  const patch = factsPatch(incident, form);
  const changed = Object.keys(patch).length > 0;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (errors.length > 0 || !changed) return;
    update.mutate(
      { patch, version: baseVersion },
      {
        onSuccess: () => {
          setOpen(false);
          setSaved(true);
        },
      },
    );
  };
  const { title, discoveredAt, ...details } = form;

  return (
    <Paper withBorder p="md" radius="md" data-testid="edit-facts">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Title order={3}>{t('facts.title')}</Title>
          {!open && (
            <Button variant="light" onClick={start}>
              {t('facts.edit')}
            </Button>
          )}
        </Group>
        {saved && !open && (
          <Alert color="teal" variant="light" py={6}>
            {t('facts.saved')}
          </Alert>
        )}
        <Collapse expanded={open}>
          <form onSubmit={onSubmit} noValidate data-testid="edit-facts-form">
            <Stack gap="sm">
              <Text size="sm" c="dimmed">
                {t('facts.intro')}
              </Text>
              <TextInput
                name="title"
                label={t('report.titleLabel')}
                required
                maxLength={200}
                value={title}
                onChange={(e) => setForm({ ...form, title: e.currentTarget.value })}
                error={touched && errors.includes('title') ? t('common.required') : undefined}
              />
              <TextInput
                type="datetime-local"
                name="discoveredAt"
                label={t('report.discoveredAt')}
                description={t('facts.clockHint')}
                required
                value={discoveredAt}
                onChange={(e) => setForm({ ...form, discoveredAt: e.currentTarget.value })}
                error={touched && errors.includes('discoveredAt') ? t('report.invalidTime') : undefined}
              />
              <IncidentDetailsFields
                value={details}
                onChange={(d: IncidentDetails) => setForm({ ...d, title, discoveredAt })}
              />
              {touched && !changed && (
                <Text size="sm" c="dimmed">
                  {t('facts.noChanges')}
                </Text>
              )}
              <ErrorAlert error={update.error} />
              <Group>
                <Button type="submit" loading={update.isPending}>
                  {t('facts.save')}
                </Button>
                <Button variant="default" onClick={() => setOpen(false)}>
                  {t('facts.cancel')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Collapse>
      </Stack>
    </Paper>
  );
}
