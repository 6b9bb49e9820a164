import { useState, type FormEvent } from 'react';
import {
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  Paper,
  Progress,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useEvidence, useShareEvidence, useUploadEvidence } from '../../api/cooperation';
import type { Incident } from '../../api/incidentTypes';
import { formatInstant } from '../../lib/dates';
import { useLang } from '../../lib/useLang';
import { ErrorAlert } from '../ErrorAlert';

function UploadForm({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const upload = useUploadEvidence(incident);
  const [file, setFile] = useState<File | null>(null);
  const [description, setDescription] = useState('');
  const [progress, setProgress] = useState(0);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setProgress(0);
    upload.mutate(
      { file, description: description.trim(), onProgress: setProgress },
      {
        onSuccess: () => {
          setFile(null);
          setDescription('');
        },
      },
    );
  };
  const percent = Math.round(progress * 100);
  return (
    <form onSubmit={onSubmit} noValidate data-testid="evidence-upload">
      <Stack gap={6}>
        <FileInput label={t('evidence.file')} required value={file} onChange={setFile} clearable />
        <Textarea
          label={t('evidence.description')}
          autosize
          minRows={1}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
        />
        {(upload.isPending || (upload.isSuccess && progress > 0)) && (
          <Stack gap={2}>
            <Progress
              value={percent}
              aria-label={t('evidence.progress', { percent })}
              data-testid="evidence-progress"
              data-percent={percent}
            />
            <Text size="xs" role="status">
              {t('evidence.progress', { percent })}
            </Text>
          </Stack>
        )}
        {upload.data && (
          <Text size="xs" c="teal.8" style={{ overflowWrap: 'anywhere' }}>
            {t('evidence.done', { name: upload.data.filename, hash: upload.data.sha256 })}
          </Text>
        )}
        <ErrorAlert error={upload.error} />
        <Group>
          <Button type="submit" size="xs" loading={upload.isPending} disabled={!file}>
            {t('evidence.upload')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * 証拠資料（第4条第2項第7号）: the files this party may see (its own, and those the other party
 * shared), their SHA-256, sharing, download, and the upload with a progress bar.
 */
export function Evidence(props: { incident: Incident; acting: boolean }) {
  const { incident, acting } = props;
  const { t } = useTranslation();
  const { lang } = useLang();
  const list = useEvidence(incident.id);
  const share = useShareEvidence(incident);
  const items = list.data?.items ?? [];
  if (!acting && items.length === 0 && !list.isError) return null;
  return (
    <Paper withBorder p="md" radius="md" data-testid="evidence">
      <Stack gap="sm">
        <Title order={3}>{t('evidence.title')}</Title>
        <Text size="xs" c="dimmed">
          {t('evidence.intro')}
        </Text>
        {list.isError && <ErrorAlert error={list.error} />}
        {items.length === 0 ? (
          <Text size="sm">{t('evidence.empty')}</Text>
        ) : (
          items.map((ev) => (
            <Paper
              key={ev.id}
              withBorder
              p="xs"
              radius="sm"
              data-testid="evidence-file"
              data-visibility={ev.visibility}
            >
              <Stack gap={2}>
                <Group gap="xs">
                  <Badge color={ev.visibility === 'shared' ? 'teal' : 'gray'} variant="light">
                    {t(`evidence.visibility.${ev.visibility}`)}
                  </Badge>
                  <Anchor href={`/api/v1/evidence/${encodeURIComponent(ev.id)}/content`} size="sm" download>
                    {ev.filename}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {t('evidence.size', { size: ev.size.toLocaleString(lang === 'en' ? 'en-US' : 'ja-JP') })}
                  </Text>
                </Group>
                {ev.description && (
                  <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                    {ev.description}
                  </Text>
                )}
                <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                  SHA-256 {ev.sha256}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('evidence.collected', {
                    party: t(`party.${ev.party}`),
                    at: formatInstant(ev.collectedAt, lang),
                  })}
                </Text>
                {acting && ev.visibility === 'party' && ev.party === incident.myParty && (
                  <Group>
                    <Button
                      size="compact-xs"
                      variant="light"
                      loading={share.isPending && share.variables.evidenceId === ev.id}
                      onClick={() => share.mutate({ evidenceId: ev.id })}
                    >
                      {t('evidence.share')}
                    </Button>
                  </Group>
                )}
              </Stack>
            </Paper>
          ))
        )}
        <ErrorAlert error={share.error} />
        {acting && <UploadForm incident={incident} />}
      </Stack>
    </Paper>
  );
}
