import { useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Collapse,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSignAgreement, useUpdateAgreement } from '../api/agreements';
import type { Agreement, AgreementParameters, DateStyle } from '../api/types';
import { isIsoDate, todayInTokyo } from '../lib/dates';
import { useIdempotencyKey } from '../lib/useIdempotencyKey';
import { DateField } from './DateField';
import { ErrorAlert } from './ErrorAlert';
import { ParametersFields } from './ParametersFields';

/** 締結: the signing date turns the draft into an active agreement. */
export function SignForm({ agreement }: { agreement: Agreement }) {
  const { t } = useTranslation();
  const sign = useSignAgreement(agreement.id);
  const idem = useIdempotencyKey();
  const [signedOn, setSignedOn] = useState('');
  const [touched, setTouched] = useState(false);
  const bad = !isIsoDate(signedOn);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (bad) return;
    sign.mutate({ signedOn, idempotencyKey: idem.keyFor({ signedOn }) }, { onSuccess: () => idem.reset() });
  };

  return (
    <Paper withBorder p="md" radius="md" data-testid="sign-form">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={3}>{t('sign.title')}</Title>
          <Text size="sm" c="dimmed">
            {agreement.parameters.countSigningDay ? t('sign.helpSigningDayCounted') : t('sign.help')}
          </Text>
          <Group align="flex-end">
            <DateField
              name="signedOn"
              label={t('sign.signedOn')}
              required
              value={signedOn}
              onChange={setSignedOn}
              error={touched && bad ? t('common.invalidDate') : undefined}
            />
            <Button type="submit" loading={sign.isPending}>
              {t('sign.submit')}
            </Button>
          </Group>
          <FutureSigningWarning signedOn={signedOn} />
          <ErrorAlert error={sign.error} />
        </Stack>
      </form>
    </Paper>
  );
}

/**
 * A signing date after today is allowed (a memorandum dated ahead) but rarely meant: say before the
 * click what it does, since the date cannot be changed once signed.
 */
export function FutureSigningWarning({ signedOn }: { signedOn: string }) {
  const { t } = useTranslation();
  if (!isIsoDate(signedOn) || signedOn <= todayInTokyo()) return null;
  return (
    <Alert color="orange" variant="light" data-testid="future-signing-warning">
      {t('sign.futureWarning', { date: signedOn })}
    </Alert>
  );
}

/** Parameters and date style of a draft, saved with If-Match on the draft's version. */
export function EditDraftForm({ agreement }: { agreement: Agreement }) {
  const { t } = useTranslation();
  const update = useUpdateAgreement(agreement.id);
  const [open, setOpen] = useState(false);
  const [parameters, setParameters] = useState<AgreementParameters>(agreement.parameters);
  const [dateStyle, setDateStyle] = useState<DateStyle>(agreement.dateStyle);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({ version: agreement.version, parameters, dateStyle });
  };

  return (
    <Paper withBorder p="md" radius="md">
      <UnstyledButton onClick={() => setOpen((v) => !v)} aria-expanded={open} c="indigo.7" fw={600}>
        {open ? '▾' : '▸'} {t('edit.title')}
      </UnstyledButton>
      <Collapse expanded={open}>
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="sm" mt="sm">
            <SegmentedControl
              aria-label={t('agreement.dateStyle')}
              value={dateStyle}
              onChange={(v) => setDateStyle(v === 'japanese' ? 'japanese' : 'western')}
              data={[
                { value: 'western', label: t('create.western') },
                { value: 'japanese', label: t('create.japanese') },
              ]}
              maw={360}
            />
            <ParametersFields value={parameters} onChange={setParameters} />
            <ErrorAlert error={update.error} />
            {update.isSuccess && <Alert color="green">{t('edit.saved')}</Alert>}
            <Group>
              <Button type="submit" loading={update.isPending}>
                {t('edit.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Collapse>
    </Paper>
  );
}
