import { useState } from 'react';
import { Badge, Checkbox, Group, NumberInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AgreementParameters, ParameterName } from '../api/types';
import { isChanged, parseArticles } from '../lib/parameters';

type NumberName = Exclude<ParameterName, 'countSigningDay' | 'survivingArticles'>;

const numberFields: { name: NumberName; min: number; max: number }[] = [
  { name: 'noticeTargetHours', min: 1, max: 720 },
  { name: 'itemRequestMinHours', min: 1, max: 720 },
  { name: 'containmentTargetHours', min: 1, max: 720 },
  { name: 'cooperationResponseHours', min: 1, max: 720 },
  { name: 'termMonths', min: 1, max: 120 },
  { name: 'renewalMonths', min: 0, max: 120 },
  { name: 'terminationNoticeMonths', min: 0, max: 12 },
];

/** The agreement's parameters, prefilled with the memorandum's values; changes are marked. */
export function ParametersFields({
  value,
  onChange,
}: {
  value: AgreementParameters;
  onChange: (v: AgreementParameters) => void;
}) {
  const { t } = useTranslation();
  const [articles, setArticles] = useState(value.survivingArticles.join(', '));
  const mark = (name: ParameterName) =>
    isChanged(value, name) ? (
      <Badge size="xs" color="grape" variant="light" ml={6}>
        {t('params.changed')}
      </Badge>
    ) : null;

  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {numberFields.map((f) => (
          <NumberInput
            key={f.name}
            name={f.name}
            label={
              <Group gap={0} component="span" wrap="nowrap">
                {t(`params.${f.name}`)}
                {mark(f.name)}
              </Group>
            }
            min={f.min}
            max={f.max}
            allowDecimal={false}
            allowNegative={false}
            value={value[f.name]}
            onChange={(v) => onChange({ ...value, [f.name]: typeof v === 'number' ? v : Number(v) || 0 })}
          />
        ))}
        <TextInput
          name="survivingArticles"
          label={
            <Group gap={0} component="span" wrap="nowrap">
              {t('params.survivingArticles')}
              {mark('survivingArticles')}
            </Group>
          }
          description={t('params.survivingHelp')}
          value={articles}
          onChange={(e) => {
            setArticles(e.currentTarget.value);
            onChange({ ...value, survivingArticles: parseArticles(e.currentTarget.value) });
          }}
        />
      </SimpleGrid>
      <Checkbox
        name="countSigningDay"
        label={
          <>
            {t('params.countSigningDay')}
            {mark('countSigningDay')}
          </>
        }
        checked={value.countSigningDay}
        onChange={(e) => onChange({ ...value, countSigningDay: e.currentTarget.checked })}
      />
    </Stack>
  );
}
