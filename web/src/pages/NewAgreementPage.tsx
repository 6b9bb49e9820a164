import { useState, type FormEvent } from 'react';
import {
  Button,
  Collapse,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCreateAgreement } from '../api/agreements';
import { useDirectory } from '../api/organizations';
import { useSession } from '../api/session';
import {
  DEFAULT_PARAMETERS,
  type AgreementParameters,
  type CreateAgreementInput,
  type DateStyle,
} from '../api/types';
import { DateField } from '../components/DateField';
import { FutureSigningWarning } from '../components/DraftActions';
import { ErrorAlert } from '../components/ErrorAlert';
import { ParametersFields } from '../components/ParametersFields';
import { isIsoDate } from '../lib/dates';
import { changedOnly } from '../lib/parameters';
import { useIdempotencyKey } from '../lib/useIdempotencyKey';

export function NewAgreementPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data: user } = useSession();
  const directory = useDirectory();
  const create = useCreateAgreement();
  const idem = useIdempotencyKey();

  const [partyA, setPartyA] = useState<string | null>(user?.isAdmin ? null : (user?.organizationId ?? null));
  const [partyB, setPartyB] = useState<string | null>(null);
  const [signedOn, setSignedOn] = useState('');
  const [dateStyle, setDateStyle] = useState<DateStyle>('western');
  const [parameters, setParameters] = useState<AgreementParameters>({ ...DEFAULT_PARAMETERS });
  const [advanced, setAdvanced] = useState(false);
  const [touched, setTouched] = useState(false);

  const options = (directory.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }));
  const sameParty = partyA !== null && partyA === partyB;
  const badDate = signedOn !== '' && !isIsoDate(signedOn);
  const valid = partyA !== null && partyB !== null && !sameParty && !badDate;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!valid || partyA === null || partyB === null) return;
    const input: CreateAgreementInput = { partyA, partyB, dateStyle };
    if (signedOn) input.signedOn = signedOn;
    const changed = changedOnly(parameters);
    if (changed) input.parameters = changed;
    create.mutate(
      { input, idempotencyKey: idem.keyFor(input) },
      {
        onSuccess: (a) => {
          idem.reset();
          void navigate(`/agreements/${a.id}`);
        },
      },
    );
  };

  return (
    <Stack maw={820}>
      <Title order={2}>{t('create.title')}</Title>
      <Paper withBorder p="md" radius="md">
        <form onSubmit={onSubmit} noValidate>
          <Stack>
            <ErrorAlert error={directory.error} title={t('create.noDirectory')} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                name="partyA"
                label={t('create.partyA')}
                placeholder={t('create.choose')}
                data={options}
                value={partyA}
                onChange={setPartyA}
                searchable
                required
                error={touched && partyA === null ? t('common.required') : undefined}
              />
              <Select
                name="partyB"
                label={t('create.partyB')}
                placeholder={t('create.choose')}
                data={options}
                value={partyB}
                onChange={setPartyB}
                searchable
                required
                error={
                  sameParty
                    ? t('create.sameParty')
                    : touched && partyB === null
                      ? t('common.required')
                      : undefined
                }
              />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <DateField
                name="signedOn"
                label={t('create.signedOn')}
                description={user?.isAdmin ? t('create.signedOnHelpAdmin') : t('create.signedOnHelpOwner')}
                value={signedOn}
                onChange={setSignedOn}
                error={badDate ? t('common.invalidDate') : undefined}
              />
              <FutureSigningWarning signedOn={signedOn} />
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('create.dateStyle')}
                </Text>
                <SegmentedControl
                  aria-label={t('create.dateStyle')}
                  value={dateStyle}
                  onChange={(v) => setDateStyle(v === 'japanese' ? 'japanese' : 'western')}
                  data={[
                    { value: 'western', label: t('create.western') },
                    { value: 'japanese', label: t('create.japanese') },
                  ]}
                />
              </Stack>
            </SimpleGrid>
            <UnstyledButton
              onClick={() => setAdvanced((v) => !v)}
              aria-expanded={advanced}
              c="indigo.7"
              fw={600}
            >
              {advanced ? '▾' : '▸'} {t('create.advanced')}
            </UnstyledButton>
            <Collapse expanded={advanced}>
              <Stack gap="xs">
                <Text size="sm" c="dimmed">
                  {t('create.advancedHelp')}
                </Text>
                <ParametersFields value={parameters} onChange={setParameters} />
              </Stack>
            </Collapse>
            <ErrorAlert error={create.error} />
            <Group>
              <Button type="submit" loading={create.isPending}>
                {signedOn
                  ? user?.isAdmin
                    ? t('create.submitSignedAdmin')
                    : t('create.submitSignedOwner')
                  : t('create.submitDraft')}
              </Button>
              <Button variant="default" onClick={() => void navigate('/agreements')}>
                {t('common.cancel')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
