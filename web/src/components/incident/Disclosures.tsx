import { useState, type FormEvent } from 'react';
import {
  Badge,
  Button,
  Collapse,
  Group,
  Paper,
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
  useBuildPackage,
  useDecideDisclosure,
  useDisclosures,
  useFileDisclosure,
  useRecordDisclosed,
  type Disclosure,
  type DisclosureInput,
} from '../../api/disclosures';
import type { Incident } from '../../api/incidentTypes';
import { formatInstant } from '../../lib/dates';
import { fromTokyoInput } from '../../lib/instants';
import { useIdempotencyKey } from '../../lib/useIdempotencyKey';
import { useLang } from '../../lib/useLang';
import { ErrorAlert } from '../ErrorAlert';

type Basis = Disclosure['basis'];
const BASES: Basis[] = ['consent', 'law', 'court_order', 'authority_request'];

const STATE_COLOR: Record<Disclosure['state'], string> = {
  pending_consent: 'orange',
  consented: 'teal',
  refused: 'red',
  excepted: 'indigo',
};

function FileForm({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const file = useFileDisclosure(incident);
  const idem = useIdempotencyKey();
  const [open, setOpen] = useState(false);
  const [recipient, setRecipient] = useState('');
  const [purpose, setPurpose] = useState('');
  const [scope, setScope] = useState('');
  const [basis, setBasis] = useState<Basis>('consent');
  const [reference, setReference] = useState('');
  const needsRef = basis !== 'consent';
  const ready = recipient.trim() && purpose.trim() && scope.trim() && (!needsRef || reference.trim());
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    const body: DisclosureInput = {
      recipient: recipient.trim(),
      purpose: purpose.trim(),
      scope: scope.trim(),
      basis,
      ...(needsRef ? { basisReference: reference.trim() } : {}),
    };
    file.mutate(
      { body, idempotencyKey: idem.keyFor({ incidentId: incident.id, ...body }) },
      {
        onSuccess: () => {
          idem.reset();
          setOpen(false);
          setRecipient('');
          setPurpose('');
          setScope('');
          setReference('');
          setBasis('consent');
        },
      },
    );
  };
  return (
    <Stack gap={4}>
      <Group>
        <Button size="compact-sm" variant="light" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
          {t('disclosures.open')}
        </Button>
      </Group>
      <Collapse expanded={open}>
        <form onSubmit={onSubmit} noValidate data-testid="disclosure-form">
          <Stack gap={6}>
            <TextInput
              label={t('disclosures.recipient')}
              required
              value={recipient}
              onChange={(e) => setRecipient(e.currentTarget.value)}
            />
            <Textarea
              label={t('disclosures.purpose')}
              required
              autosize
              minRows={2}
              value={purpose}
              onChange={(e) => setPurpose(e.currentTarget.value)}
            />
            <Textarea
              label={t('disclosures.scope')}
              required
              autosize
              minRows={2}
              value={scope}
              onChange={(e) => setScope(e.currentTarget.value)}
            />
            <Select
              label={t('disclosures.basis')}
              required
              allowDeselect={false}
              data={BASES.map((b) => ({ value: b, label: t(`disclosures.basisOption.${b}`) }))}
              value={basis}
              onChange={(v) => v && setBasis(v as Basis)}
            />
            {needsRef && (
              <TextInput
                label={t('disclosures.basisReference')}
                required
                description={t('disclosures.referenceRequired')}
                value={reference}
                onChange={(e) => setReference(e.currentTarget.value)}
              />
            )}
            <ErrorAlert error={file.error} />
            <Group>
              <Button type="submit" size="xs" loading={file.isPending} disabled={!ready}>
                {t('disclosures.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Collapse>
    </Stack>
  );
}

/** The exact content consented to: recipient, purpose, scope and basis. */
function Terms({ d }: { d: Disclosure }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const row = (label: string, value: string, field: string) => (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-field={field}>
        {value}
      </Text>
    </div>
  );
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" verticalSpacing={6}>
      {row(t('disclosures.recipient'), d.recipient, 'recipient')}
      {row(t('disclosures.purpose'), d.purpose, 'purpose')}
      {row(t('disclosures.scope'), d.scope, 'scope')}
      {row(
        t('disclosures.basis'),
        d.basisReference
          ? `${pick(d.basisLabel.ja, d.basisLabel.en)}（${d.basisReference}）`
          : pick(d.basisLabel.ja, d.basisLabel.en),
        'basis',
      )}
    </SimpleGrid>
  );
}

function ConsentScreen({ incident, d }: { incident: Incident; d: Disclosure }) {
  const { t } = useTranslation();
  const decide = useDecideDisclosure(incident);
  const idem = useIdempotencyKey();
  const [conditions, setConditions] = useState('');
  const [reason, setReason] = useState('');
  const [askReason, setAskReason] = useState(false);
  const go = (decision: 'consented' | 'refused') => {
    if (decision === 'refused' && !reason.trim()) {
      setAskReason(true);
      return;
    }
    const payload = {
      disclosureId: d.id,
      decision,
      ...(decision === 'consented' && conditions.trim() ? { conditions: conditions.trim() } : {}),
      ...(decision === 'refused' ? { reason: reason.trim() } : {}),
    };
    decide.mutate({ ...payload, idempotencyKey: idem.keyFor(payload) }, { onSuccess: () => idem.reset() });
  };
  return (
    <Paper withBorder p="sm" radius="sm" bg="orange.0" data-testid="disclosure-consent">
      <Stack gap={6}>
        <Title order={4}>{t('disclosures.consentTitle')}</Title>
        <Text size="sm">{t('disclosures.consentLead', { party: t(`party.${d.byParty}`) })}</Text>
        <Terms d={d} />
        <Textarea
          label={t('disclosures.conditionsField')}
          autosize
          minRows={1}
          value={conditions}
          onChange={(e) => setConditions(e.currentTarget.value)}
        />
        <Textarea
          label={t('disclosures.reasonField')}
          autosize
          minRows={1}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={askReason && !reason.trim() ? t('disclosures.reasonNeeded') : undefined}
        />
        <ErrorAlert error={decide.error} />
        <Group gap="xs">
          <Button
            size="xs"
            loading={decide.isPending && decide.variables.decision === 'consented'}
            onClick={() => go('consented')}
          >
            {t('disclosures.consent')}
          </Button>
          <Button
            size="xs"
            variant="default"
            loading={decide.isPending && decide.variables.decision === 'refused'}
            onClick={() => go('refused')}
          >
            {t('disclosures.refuse')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function PackageButton({ incident, d }: { incident: Incident; d: Disclosure }) {
  const { t } = useTranslation();
  const build = useBuildPackage(incident);
  return (
    <Stack gap={4}>
      <Group>
        <Button
          size="xs"
          variant="light"
          loading={build.isPending}
          onClick={() => build.mutate({ disclosureId: d.id })}
          data-testid="disclosure-package"
        >
          {t('disclosures.package')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {t('disclosures.packageHelp')}
      </Text>
      {build.data && (
        <Text size="xs" c="teal.8" role="status">
          {t('disclosures.downloaded', { name: build.data.name })}
        </Text>
      )}
      <ErrorAlert error={build.error} />
    </Stack>
  );
}

function RecordDisclosed({ incident, d }: { incident: Incident; d: Disclosure }) {
  const { t } = useTranslation();
  const record = useRecordDisclosed(incident);
  const idem = useIdempotencyKey();
  // Empty means now (to the second): a minute-rounded default could fall before the consent.
  const [at, setAt] = useState('');
  const instant = at ? fromTokyoInput(at) : null;
  const invalid = Boolean(at) && instant === null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (invalid) return;
    const payload = { disclosureId: d.id, disclosedAt: instant ?? new Date().toISOString() };
    record.mutate({ ...payload, idempotencyKey: idem.keyFor(payload) }, { onSuccess: () => idem.reset() });
  };
  return (
    <form onSubmit={onSubmit} noValidate data-testid="disclosure-record">
      <Group align="flex-end" gap="xs">
        <TextInput
          type="datetime-local"
          size="xs"
          label={t('disclosures.disclosedAtField')}
          value={at}
          onChange={(e) => setAt(e.currentTarget.value)}
          error={invalid ? t('report.invalidTime') : undefined}
        />
        <Button type="submit" size="xs" variant="default" loading={record.isPending} disabled={invalid}>
          {t('disclosures.recordDisclosed')}
        </Button>
      </Group>
      <ErrorAlert error={record.error} />
    </form>
  );
}

function DisclosureRow(props: { incident: Incident; d: Disclosure; acting: boolean; deciding: boolean }) {
  const { incident, d, acting, deciding } = props;
  const { t } = useTranslation();
  const { lang, pick } = useLang();
  const ours = d.byParty === incident.myParty;
  const latest = d.packages.at(-1);
  return (
    <Paper withBorder p="xs" radius="sm" data-testid="disclosure" data-state={d.state} data-id={d.id}>
      <Stack gap={6}>
        <Group gap="xs">
          <Badge color={STATE_COLOR[d.state]} variant="light">
            {pick(d.stateLabel.ja, d.stateLabel.en)}
          </Badge>
          <Text size="xs" c="dimmed">
            {t('disclosures.byParty', { party: t(`party.${d.byParty}`) })}
            {t('common.sep')}
            {t('disclosures.filedAt', { at: formatInstant(d.filedAt, lang) })}
          </Text>
          {d.priorNotice === false && (
            <Badge color="red" variant="filled" data-testid="no-prior-notice">
              {t('disclosures.noPriorNotice')}
            </Badge>
          )}
        </Group>
        <Terms d={d} />
        {d.conditions && (
          <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
            {t('disclosures.conditions', { text: d.conditions })}
          </Text>
        )}
        {d.decisionReason && (
          <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
            {t('disclosures.refusalReason', { text: d.decisionReason })}
          </Text>
        )}
        {d.decidedAt && (
          <Text size="xs" c="dimmed">
            {t('disclosures.decidedAt', { at: formatInstant(d.decidedAt, lang) })}
          </Text>
        )}
        {d.disclosedAt && (
          <Text size="xs" data-testid="disclosed-at">
            {t('disclosures.disclosedAt', { at: formatInstant(d.disclosedAt, lang) })}
          </Text>
        )}
        {latest && (
          <Text size="xs" c="dimmed">
            {t('disclosures.packages', { count: d.packages.length, at: formatInstant(latest.builtAt, lang) })}
          </Text>
        )}
        {d.state === 'pending_consent' && !ours && deciding && <ConsentScreen incident={incident} d={d} />}
        {d.state === 'pending_consent' && ours && (
          <Text size="xs" c="orange.8">
            {t('disclosures.waiting')}
          </Text>
        )}
        {(d.state === 'consented' || d.state === 'excepted') && ours && acting && (
          <PackageButton incident={incident} d={d} />
        )}
        {(d.state === 'consented' || d.state === 'excepted') && ours && acting && !d.disclosedAt && (
          <RecordDisclosed incident={incident} d={d} />
        )}
      </Stack>
    </Paper>
  );
}

/**
 * 第三者提供（第5条）: the register of the incident's third-party disclosures, the form that files
 * one, the counterparty's consent screen (exactly what is consented to) and, once consented or
 * excepted, the package for the recipient.
 */
export function Disclosures(props: { incident: Incident; acting: boolean; deciding: boolean }) {
  const { incident, acting, deciding } = props;
  const { t } = useTranslation();
  const list = useDisclosures(incident.id);
  const items = list.data?.items ?? [];
  if (!acting && items.length === 0 && !list.isError) return null;
  return (
    <Paper withBorder p="md" radius="md" data-testid="disclosures">
      <Stack gap="sm">
        <Title order={3}>{t('disclosures.title')}</Title>
        <Text size="xs" c="dimmed">
          {t('disclosures.intro')}
        </Text>
        {list.isError && <ErrorAlert error={list.error} />}
        {items.length === 0 ? (
          <Text size="sm">{t('disclosures.empty')}</Text>
        ) : (
          items.map((d) => (
            <DisclosureRow key={d.id} incident={incident} d={d} acting={acting} deciding={deciding} />
          ))
        )}
        {acting && <FileForm incident={incident} />}
      </Stack>
    </Paper>
  );
}
