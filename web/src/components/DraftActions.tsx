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
import { formatDate, isIsoDate, todayInTokyo } from '../lib/dates';
import { useLang } from '../lib/useLang';
import { useIdempotencyKey } from '../lib/useIdempotencyKey';
import { DateField } from './DateField';
import { ErrorAlert } from './ErrorAlert';
import { ParametersFields } from './ParametersFields';

/**
 * 署名: the caller's party signs the draft (owner or legal of a party that has not signed yet). The
 * memorandum takes effect when both parties have signed. The first signature may state the signing
 * date (optional: without one it is the date of the later signature); the second accepts the draft
 * as the other party signed it, so it shows the date instead of asking for one.
 */
export function SignForm({ agreement }: { agreement: Agreement }) {
  const { t } = useTranslation();
  const { lang } = useLang();
  const sign = useSignAgreement(agreement.id);
  const idem = useIdempotencyKey();
  const [signedOn, setSignedOn] = useState('');
  const [touched, setTouched] = useState(false);
  const mine = agreement.myParty;
  if (!mine) return null;
  const other = mine === 'A' ? 'B' : 'A';
  const second = agreement.signatures[other] !== null;
  const bad = !second && signedOn !== '' && !isIsoDate(signedOn);
  const party = t(`party.${mine}`);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (bad) return;
    const body = !second && signedOn ? { signedOn } : {};
    sign.mutate({ ...body, idempotencyKey: idem.keyFor(body) }, { onSuccess: () => idem.reset() });
  };

  return (
    <Paper withBorder p="md" radius="md" data-testid="sign-form">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={3}>{t('sign.title')}</Title>
          <Text size="sm" c="dimmed">
            {second
              ? t('sign.helpSecond', {
                  party,
                  date: agreement.proposedSignedOn
                    ? formatDate(agreement.proposedSignedOn, lang)
                    : t('sign.laterSignature'),
                })
              : t('sign.helpFirst', { party })}
          </Text>
          {!second && (
            <Text size="sm" c="dimmed">
              {agreement.parameters.countSigningDay ? t('sign.helpSigningDayCounted') : t('sign.help')}
            </Text>
          )}
          <Group align="flex-end">
            {!second && (
              <DateField
                name="signedOn"
                label={t('sign.signedOnOptional')}
                value={signedOn}
                onChange={setSignedOn}
                error={touched && bad ? t('common.invalidDate') : undefined}
              />
            )}
            <Button type="submit" loading={sign.isPending}>
              {t('sign.submit')}
            </Button>
          </Group>
          {!second && <FutureSigningWarning signedOn={signedOn} />}
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
