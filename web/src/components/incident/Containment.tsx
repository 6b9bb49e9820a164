import { useState, type FormEvent } from 'react';
import {
  Badge,
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useRecordContainment } from '../../api/incidents';
import {
  CONTAINMENT_KINDS,
  type ContainmentInput,
  type ContainmentKind,
  type Incident,
} from '../../api/incidentTypes';
import { formatInstant } from '../../lib/dates';
import { fromTokyoInput, toTokyoInput } from '../../lib/instants';
import { useIdempotencyKey } from '../../lib/useIdempotencyKey';
import { useLang } from '../../lib/useLang';
import { ErrorAlert } from '../ErrorAlert';

function ContainmentForm({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const record = useRecordContainment(incident);
  const idem = useIdempotencyKey();
  const [kind, setKind] = useState<ContainmentKind>('access_cutoff');
  const [description, setDescription] = useState('');
  const [takenAt, setTakenAt] = useState(() => toTokyoInput(new Date()));
  const [result, setResult] = useState('');
  const [saved, setSaved] = useState(false);
  const taken = fromTokyoInput(takenAt);
  const none = kind === 'none_needed';

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!description.trim() || !taken) return;
    const input: ContainmentInput = { kind, description: description.trim(), takenAt: taken };
    if (!none && result.trim()) input.result = result.trim();
    record.mutate(
      { input, idempotencyKey: idem.keyFor({ incidentId: incident.id, ...input }) },
      {
        onSuccess: () => {
          idem.reset();
          setSaved(true);
          setDescription('');
          setResult('');
          setTakenAt(toTokyoInput(new Date()));
        },
      },
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate data-testid="containment-form">
      <Stack gap="xs">
        <NativeSelect
          name="kind"
          label={t('containment.kind')}
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value as ContainmentKind)}
          data={CONTAINMENT_KINDS.map((k) => ({ value: k, label: t(`containment.kinds.${k}`) }))}
        />
        <Textarea
          name="description"
          label={none ? t('containment.reason') : t('containment.description')}
          required
          autosize
          minRows={2}
          value={description}
          onChange={(e) => {
            setDescription(e.currentTarget.value);
            setSaved(false);
          }}
        />
        <TextInput
          type="datetime-local"
          name="takenAt"
          label={t('containment.takenAt')}
          required
          value={takenAt}
          onChange={(e) => setTakenAt(e.currentTarget.value)}
          error={!taken ? t('report.invalidTime') : undefined}
        />
        {!none && (
          <Textarea
            name="result"
            label={t('containment.result')}
            autosize
            minRows={1}
            value={result}
            onChange={(e) => setResult(e.currentTarget.value)}
          />
        )}
        <ErrorAlert error={record.error} />
        {saved && (
          <Text size="sm" c="teal.7" role="status">
            {t('containment.recorded')}
          </Text>
        )}
        <Group>
          <Button
            type="submit"
            variant="light"
            loading={record.isPending}
            disabled={!description.trim() || !taken}
          >
            {t('containment.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Art 3.3: measures taken to stop the damage spreading (or the reasoned decision that none is needed). */
export function Containment({ incident, canRecord }: { incident: Incident; canRecord: boolean }) {
  const { t } = useTranslation();
  const { lang } = useLang();
  const list = [...incident.containmentActions].sort((a, b) => Date.parse(a.takenAt) - Date.parse(b.takenAt));
  return (
    <Paper withBorder p="md" radius="md" data-testid="containment">
      <Stack gap="sm">
        <Title order={3}>{t('containment.title')}</Title>
        {list.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('containment.empty')}
          </Text>
        )}
        {list.map((c) => (
          <Paper key={c.id} withBorder p="sm" radius="sm" data-kind={c.kind}>
            <Group gap="xs" wrap="wrap">
              <Badge color={c.kind === 'none_needed' ? 'gray' : 'teal'} variant="light">
                {t(`containment.kinds.${c.kind}`)}
              </Badge>
              <Text size="xs" c="dimmed">
                {formatInstant(c.takenAt, lang)}
                {t('common.sep')}
                {t('containment.by', { party: t(`party.${c.byParty}`), name: c.recordedBy?.name ?? '—' })}
              </Text>
            </Group>
            <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {c.description}
            </Text>
            {c.result && (
              <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                {t('containment.result')}
                {t('common.colon')}
                {c.result}
              </Text>
            )}
          </Paper>
        ))}
        {canRecord && <ContainmentForm incident={incident} />}
      </Stack>
    </Paper>
  );
}
