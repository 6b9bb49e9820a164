import { useState, type FormEvent } from 'react';
import {
  Alert,
  Badge,
  Box,
  Button,
  Collapse,
  Group,
  Paper,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  useAddAnnouncementVersion,
  useAnnouncements,
  useApproveAnnouncement,
  useCreateAnnouncement,
  usePublishAnnouncement,
  type Announcement,
} from '../../api/announcements';
import type { Incident } from '../../api/incidentTypes';
import { formatInstant } from '../../lib/dates';
import { diffStats, lineDiff } from '../../lib/lineDiff';
import { useIdempotencyKey } from '../../lib/useIdempotencyKey';
import { useLang } from '../../lib/useLang';
import { ErrorAlert } from '../ErrorAlert';

type Channel = Announcement['channel'];
type Version = Announcement['versions'][number];
type Reason = 'law_compliance' | 'prevent_harm';
const CHANNELS: Channel[] = ['press_release', 'website', 'individual_notice', 'other'];

function CreateForm({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const create = useCreateAnnouncement(incident);
  const idem = useIdempotencyKey();
  const [open, setOpen] = useState(false);
  const [channel, setChannel] = useState<Channel>('press_release');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const ready = title.trim() && body.trim();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    const payload = { channel, title: title.trim(), body };
    create.mutate(
      { body: payload, idempotencyKey: idem.keyFor({ incidentId: incident.id, ...payload }) },
      {
        onSuccess: () => {
          idem.reset();
          setOpen(false);
          setTitle('');
          setBody('');
        },
      },
    );
  };
  return (
    <Stack gap={4}>
      <Group>
        <Button size="compact-sm" variant="light" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
          {t('announcements.create')}
        </Button>
      </Group>
      <Collapse expanded={open}>
        <form onSubmit={onSubmit} noValidate data-testid="announcement-form">
          <Stack gap={6}>
            <Select
              label={t('announcements.channel')}
              required
              allowDeselect={false}
              data={CHANNELS.map((c) => ({ value: c, label: t(`announcements.channelOption.${c}`) }))}
              value={channel}
              onChange={(v) => v && setChannel(v as Channel)}
            />
            <TextInput
              label={t('announcements.headline')}
              required
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
            />
            <Textarea
              label={t('announcements.body')}
              required
              autosize
              minRows={4}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
            />
            <ErrorAlert error={create.error} />
            <Group>
              <Button type="submit" size="xs" loading={create.isPending} disabled={!ready}>
                {t('announcements.createSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Collapse>
    </Stack>
  );
}

function VersionText({ v, label }: { v: Version; label: string }) {
  const { t } = useTranslation();
  const { lang } = useLang();
  return (
    <Paper withBorder p="xs" radius="sm" data-testid="announcement-version" data-version={v.number}>
      <Stack gap={4}>
        <Text size="xs" c="dimmed">
          {label}
          {t('common.sep')}
          {t('announcements.versionBy', {
            n: v.number,
            party: t(`party.${v.byParty}`),
            at: formatInstant(v.createdAt, lang),
          })}
        </Text>
        <Text fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>
          {v.title}
        </Text>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {v.body}
        </Text>
        <Text size="xs" c={v.approvedBy.length ? 'teal.8' : 'dimmed'}>
          {v.approvedBy.length
            ? t('announcements.approvedBy', {
                parties: v.approvedBy.map((p) => t(`party.${p}`)).join(t('common.sep')),
              })
            : t('announcements.approvedByNone')}
        </Text>
      </Stack>
    </Paper>
  );
}

function Diff({ from, to }: { from: Version; to: Version }) {
  const { t } = useTranslation();
  const lines = lineDiff(`${from.title}\n\n${from.body}`, `${to.title}\n\n${to.body}`);
  const stats = diffStats(lines);
  return (
    <Stack gap={2} data-testid="announcement-diff">
      <Text size="xs" fw={600}>
        {t('announcements.diffTitle', { from: from.number, added: stats.added, removed: stats.removed })}
      </Text>
      {stats.added + stats.removed === 0 ? (
        <Text size="xs" c="dimmed">
          {t('announcements.noChange')}
        </Text>
      ) : (
        <Box
          component="pre"
          m={0}
          p="xs"
          style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', fontSize: 12, borderRadius: 4 }}
          bg="gray.0"
        >
          {lines.map((l, i) => (
            <Box
              key={i}
              component={l.kind === 'added' ? 'ins' : l.kind === 'removed' ? 'del' : 'span'}
              data-kind={l.kind}
              display="block"
              c={l.kind === 'added' ? 'teal.9' : l.kind === 'removed' ? 'red.9' : undefined}
              bg={l.kind === 'added' ? 'teal.0' : l.kind === 'removed' ? 'red.0' : undefined}
              style={{ textDecoration: 'none' }}
            >
              {l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '− ' : '  '}
              {l.text || ' '}
            </Box>
          ))}
        </Box>
      )}
    </Stack>
  );
}

function NewVersionForm({ incident, a, latest }: { incident: Incident; a: Announcement; latest: Version }) {
  const { t } = useTranslation();
  const add = useAddAnnouncementVersion(incident);
  const idem = useIdempotencyKey();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(latest.title);
  const [body, setBody] = useState(latest.body);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim() || !body.trim()) return;
    const payload = { announcementId: a.id, title: title.trim(), body };
    add.mutate(
      { ...payload, idempotencyKey: idem.keyFor(payload) },
      {
        onSuccess: () => {
          idem.reset();
          setOpen(false);
        },
      },
    );
  };
  return (
    <Stack gap={4}>
      <Group>
        <Button
          size="compact-sm"
          variant="subtle"
          aria-expanded={open}
          onClick={() => {
            if (!open) {
              setTitle(latest.title);
              setBody(latest.body);
            }
            setOpen((o) => !o);
          }}
        >
          {t('announcements.newVersion')}
        </Button>
      </Group>
      <Collapse expanded={open}>
        <form onSubmit={onSubmit} noValidate>
          <Stack gap={6}>
            <TextInput
              label={t('announcements.headline')}
              required
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
            />
            <Textarea
              label={t('announcements.body')}
              required
              autosize
              minRows={4}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
            />
            <ErrorAlert error={add.error} />
            <Group>
              <Button
                type="submit"
                size="xs"
                loading={add.isPending}
                disabled={!title.trim() || !body.trim()}
              >
                {t('announcements.newVersionSubmit', { n: a.latestVersion + 1 })}
              </Button>
            </Group>
          </Stack>
        </form>
      </Collapse>
    </Stack>
  );
}

function EmergencyForm({ incident, a }: { incident: Incident; a: Announcement }) {
  const { t } = useTranslation();
  const publish = usePublishAnnouncement(incident);
  const idem = useIdempotencyKey();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<Reason>('prevent_harm');
  const [explanation, setExplanation] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!explanation.trim()) return;
    const body = { version: a.latestVersion, emergency: { reason, explanation: explanation.trim() } };
    publish.mutate(
      { announcementId: a.id, body, idempotencyKey: idem.keyFor({ id: a.id, ...body }) },
      { onSuccess: () => idem.reset() },
    );
  };
  return (
    <Stack gap={4}>
      <Group>
        <Button
          size="compact-sm"
          variant="subtle"
          color="red"
          onClick={() => setOpen((o) => !o)}
          aria-expanded={open}
        >
          {t('announcements.emergencyOpen')}
        </Button>
      </Group>
      <Collapse expanded={open}>
        <form onSubmit={onSubmit} noValidate data-testid="announcement-emergency">
          <Stack gap={6}>
            <Alert color="red" variant="light" title={t('announcements.emergency')} role="alert">
              {t('announcements.emergencyWarning')}
            </Alert>
            <Radio.Group
              label={t('announcements.emergencyReason')}
              required
              value={reason}
              onChange={(v) => setReason(v as Reason)}
            >
              <Group gap="md" mt={4}>
                <Radio value="law_compliance" label={t('announcements.reasonOption.law_compliance')} />
                <Radio value="prevent_harm" label={t('announcements.reasonOption.prevent_harm')} />
              </Group>
            </Radio.Group>
            <Textarea
              label={t('announcements.explanation')}
              required
              autosize
              minRows={2}
              value={explanation}
              onChange={(e) => setExplanation(e.currentTarget.value)}
            />
            <ErrorAlert error={publish.error} />
            <Group>
              <Button
                type="submit"
                size="xs"
                color="red"
                loading={publish.isPending}
                disabled={!explanation.trim()}
              >
                {t('announcements.emergencySubmit', { n: a.latestVersion })}
              </Button>
            </Group>
          </Stack>
        </form>
      </Collapse>
    </Stack>
  );
}

function AnnouncementCard(props: {
  incident: Incident;
  a: Announcement;
  acting: boolean;
  deciding: boolean;
}) {
  const { incident, a, acting, deciding } = props;
  const { t } = useTranslation();
  const { lang, pick } = useLang();
  const approve = useApproveAnnouncement(incident);
  const publish = usePublishAnnouncement(incident);
  const approveIdem = useIdempotencyKey();
  const publishIdem = useIdempotencyKey();
  const [url, setUrl] = useState('');
  const versions = [...a.versions].sort((x, y) => x.number - y.number);
  const latest = versions.at(-1);
  const previous = versions.length > 1 ? versions.at(-2) : undefined;
  const draft = a.state === 'draft';
  const iApproved = Boolean(latest?.approvedBy.includes(incident.myParty));
  if (!latest) return null;
  const doApprove = () => {
    const payload = { announcementId: a.id, version: latest.number };
    approve.mutate(
      { ...payload, idempotencyKey: approveIdem.keyFor(payload) },
      { onSuccess: () => approveIdem.reset() },
    );
  };
  const doPublish = () => {
    const body = { version: latest.number, ...(url.trim() ? { url: url.trim() } : {}) };
    publish.mutate(
      { announcementId: a.id, body, idempotencyKey: publishIdem.keyFor({ id: a.id, ...body }) },
      { onSuccess: () => publishIdem.reset() },
    );
  };
  return (
    <Paper withBorder p="sm" radius="sm" data-testid="announcement" data-state={a.state} data-id={a.id}>
      <Stack gap={6}>
        <Group gap="xs">
          <Badge color={draft ? 'orange' : 'teal'} variant="light">
            {t(`announcements.state.${a.state}`)}
          </Badge>
          <Badge color="gray" variant="outline">
            {pick(a.channelLabel.ja, a.channelLabel.en)}
          </Badge>
          <Text size="xs" c="dimmed">
            {t('announcements.version', { n: a.latestVersion })}
          </Text>
        </Group>
        {a.publication && (
          <Stack gap={2} data-testid="announcement-publication">
            <Text size="sm" fw={600} c="teal.8">
              {t('announcements.published', {
                n: a.publication.version,
                at: formatInstant(a.publication.publishedAt, lang),
                party: t(`party.${a.publication.byParty}`),
              })}
            </Text>
            {a.publication.emergency && (
              <Text size="xs" c="red.8" style={{ overflowWrap: 'anywhere' }}>
                {t('announcements.emergencyShown', {
                  reason: pick(
                    a.publication.emergency.reasonLabel.ja,
                    a.publication.emergency.reasonLabel.en,
                  ),
                  explanation: a.publication.emergency.explanation,
                })}
              </Text>
            )}
          </Stack>
        )}
        <SimpleGrid cols={{ base: 1, md: previous ? 2 : 1 }} spacing="xs">
          {previous && <VersionText v={previous} label={t('announcements.previous')} />}
          <VersionText v={latest} label={t('announcements.latest')} />
        </SimpleGrid>
        {previous && <Diff from={previous} to={latest} />}
        {a.approvals.length > 0 && (
          <Stack gap={0}>
            {a.approvals.map((ap) => (
              <Text
                key={`${ap.party}-${ap.version}`}
                size="xs"
                c="dimmed"
                data-testid="announcement-approval"
              >
                {t('announcements.approvalLine', {
                  party: t(`party.${ap.party}`),
                  n: ap.version,
                  at: formatInstant(ap.approvedAt, lang),
                })}
              </Text>
            ))}
          </Stack>
        )}
        {draft && deciding && !iApproved && (
          <Group>
            <Button size="xs" loading={approve.isPending} onClick={doApprove}>
              {t('announcements.approve', { n: latest.number })}
            </Button>
          </Group>
        )}
        <ErrorAlert error={approve.error} />
        {draft && a.approvedByBoth && acting && (
          <Stack gap={4}>
            <Text size="xs" c="teal.8">
              {t('announcements.bothApproved')}
            </Text>
            <TextInput
              label={t('announcements.url')}
              size="xs"
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
            />
            <Group>
              <Button size="xs" loading={publish.isPending} onClick={doPublish}>
                {t('announcements.publish', { n: latest.number })}
              </Button>
            </Group>
            <ErrorAlert error={publish.error} />
          </Stack>
        )}
        {draft && acting && <NewVersionForm key={latest.number} incident={incident} a={a} latest={latest} />}
        {draft && deciding && !a.approvedByBoth && <EmergencyForm incident={incident} a={a} />}
      </Stack>
    </Paper>
  );
}

/**
 * 公表（第6条）: each announcement's latest version beside the previous one with the lines changed,
 * who approved which version, publication once both approved the latest, and the emergency path
 * (Art 6.2) with its duty to consult afterwards.
 */
export function Announcements(props: { incident: Incident; acting: boolean; deciding: boolean }) {
  const { incident, acting, deciding } = props;
  const { t } = useTranslation();
  const list = useAnnouncements(incident.id);
  const items = list.data?.items ?? [];
  if (!acting && items.length === 0 && !list.isError) return null;
  return (
    <Paper withBorder p="md" radius="md" data-testid="announcements">
      <Stack gap="sm">
        <Title order={3}>{t('announcements.title')}</Title>
        <Text size="xs" c="dimmed">
          {t('announcements.intro')}
        </Text>
        {list.isError && <ErrorAlert error={list.error} />}
        {items.length === 0 ? (
          <Text size="sm">{t('announcements.empty')}</Text>
        ) : (
          items.map((a) => (
            <AnnouncementCard key={a.id} incident={incident} a={a} acting={acting} deciding={deciding} />
          ))
        )}
        {acting && <CreateForm incident={incident} />}
      </Stack>
    </Paper>
  );
}
