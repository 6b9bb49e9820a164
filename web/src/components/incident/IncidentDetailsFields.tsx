import {
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  CAUSE_ENTITIES,
  INCIDENT_FLAGS,
  INCIDENT_KINDS,
  INFO_CATEGORIES,
  type CauseEntity,
  type IncidentKind,
  type InfoCategory,
  type ReportIncidentInput,
} from '../../api/incidentTypes';
import { countOrNull, splitDataItems, type FactsForm } from '../../lib/incidentFacts';
import { fromTokyoInput } from '../../lib/instants';

/** The optional facts (everything but the title and the discovery time). */
export type IncidentDetails = Omit<FactsForm, 'title' | 'discoveredAt'>;

export const EMPTY_DETAILS: IncidentDetails = {
  summary: '',
  infoCategories: [],
  kinds: [],
  causeEntity: 'unknown',
  occurredAt: '',
  affectedPersons: '',
  affectedPersonsEstimated: false,
  affectedRecords: '',
  affectedRecordsEstimated: false,
  dataItems: '',
  sensitiveData: false,
  financialHarmRisk: false,
  improperPurpose: false,
  encrypted: false,
};

/** Only what the reporter filled in (the server applies its defaults to the rest). */
export function detailsInput(d: IncidentDetails): Partial<ReportIncidentInput> {
  const out: Partial<ReportIncidentInput> = {};
  if (d.summary.trim()) out.summary = d.summary.trim();
  if (d.infoCategories.length) out.infoCategories = d.infoCategories;
  if (d.kinds.length) out.kinds = d.kinds;
  if (d.causeEntity !== 'unknown') out.causeEntity = d.causeEntity;
  const occurred = fromTokyoInput(d.occurredAt);
  if (occurred) out.occurredAt = occurred;
  const persons = countOrNull(d.affectedPersons);
  if (persons !== null) {
    out.affectedPersons = persons;
    out.affectedPersonsEstimated = d.affectedPersonsEstimated;
  }
  const records = countOrNull(d.affectedRecords);
  if (records !== null) {
    out.affectedRecords = records;
    out.affectedRecordsEstimated = d.affectedRecordsEstimated;
  }
  const items = splitDataItems(d.dataItems);
  if (items.length) out.dataItems = items;
  for (const f of INCIDENT_FLAGS) if (d[f]) out[f] = true;
  return out;
}

/** The optional facts of a report (詳細): Art 2 classification, cause, counts, items, flags. */
export function IncidentDetailsFields(props: {
  value: IncidentDetails;
  onChange: (v: IncidentDetails) => void;
}) {
  const { t } = useTranslation();
  const { value: v, onChange } = props;
  const set = <K extends keyof IncidentDetails>(k: K, x: IncidentDetails[K]) => onChange({ ...v, [k]: x });
  const badOccurred = v.occurredAt !== '' && !fromTokyoInput(v.occurredAt);

  return (
    <Stack gap="sm">
      <Textarea
        name="summary"
        label={t('report.summary')}
        autosize
        minRows={2}
        value={v.summary}
        onChange={(e) => set('summary', e.currentTarget.value)}
      />
      <Checkbox.Group
        label={t('report.infoCategories')}
        value={v.infoCategories}
        onChange={(x) => set('infoCategories', x as InfoCategory[])}
      >
        <Stack gap={6} mt={4}>
          {INFO_CATEGORIES.map((c) => (
            <Checkbox key={c} value={c} label={t(`classification.infoCategories.${c}`)} />
          ))}
        </Stack>
      </Checkbox.Group>
      <Checkbox.Group
        label={t('report.kinds')}
        value={v.kinds}
        onChange={(x) => set('kinds', x as IncidentKind[])}
      >
        <Stack gap={6} mt={4}>
          {INCIDENT_KINDS.map((k) => (
            <Checkbox key={k} value={k} label={t(`classification.kinds.${k}`)} />
          ))}
        </Stack>
      </Checkbox.Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NativeSelect
          name="causeEntity"
          label={t('report.causeEntity')}
          value={v.causeEntity}
          onChange={(e) => set('causeEntity', e.currentTarget.value as CauseEntity)}
          data={CAUSE_ENTITIES.map((c) => ({ value: c, label: t(`classification.causes.${c}`) }))}
        />
        <TextInput
          type="datetime-local"
          name="occurredAt"
          label={t('report.occurredAt')}
          value={v.occurredAt}
          onChange={(e) => set('occurredAt', e.currentTarget.value)}
          error={badOccurred ? t('report.invalidTime') : undefined}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Group align="flex-end" wrap="nowrap" gap="xs">
          <NumberInput
            name="affectedPersons"
            label={t('report.affectedPersons')}
            min={0}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator=","
            value={v.affectedPersons}
            onChange={(x) => set('affectedPersons', x)}
            style={{ flex: 1 }}
          />
          <Checkbox
            mb={8}
            label={t('report.estimated')}
            aria-label={`${t('report.affectedPersons')}（${t('report.estimated')}）`}
            checked={v.affectedPersonsEstimated}
            onChange={(e) => set('affectedPersonsEstimated', e.currentTarget.checked)}
          />
        </Group>
        <Group align="flex-end" wrap="nowrap" gap="xs">
          <NumberInput
            name="affectedRecords"
            label={t('report.affectedRecords')}
            min={0}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator=","
            value={v.affectedRecords}
            onChange={(x) => set('affectedRecords', x)}
            style={{ flex: 1 }}
          />
          <Checkbox
            mb={8}
            label={t('report.estimated')}
            aria-label={`${t('report.affectedRecords')}（${t('report.estimated')}）`}
            checked={v.affectedRecordsEstimated}
            onChange={(e) => set('affectedRecordsEstimated', e.currentTarget.checked)}
          />
        </Group>
      </SimpleGrid>
      <Textarea
        name="dataItems"
        label={t('report.dataItems')}
        description={t('report.dataItemsHelp')}
        autosize
        minRows={1}
        value={v.dataItems}
        onChange={(e) => set('dataItems', e.currentTarget.value)}
      />
      <Stack gap={6}>
        {INCIDENT_FLAGS.map((f) => (
          <Checkbox
            key={f}
            label={t(`report.${f}`)}
            checked={v[f]}
            onChange={(e) => set(f, e.currentTarget.checked)}
          />
        ))}
      </Stack>
    </Stack>
  );
}
