import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession, useUpdateLocale } from '../api/session';
import { isLocale, setLanguage } from '../i18n';
import { useLang } from '../lib/useLang';

/** 日本語 / English. The choice sticks on this device and, when logged in, on the account. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const { lang } = useLang();
  const session = useSession();
  const updateLocale = useUpdateLocale();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('lang.label')}
      value={lang}
      data={[
        { value: 'ja', label: t('lang.ja') },
        { value: 'en', label: t('lang.en') },
      ]}
      onChange={(v) => {
        if (!isLocale(v)) return;
        void setLanguage(v);
        if (session.data && session.data.locale !== v) updateLocale.mutate(v);
      }}
    />
  );
}
