import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';

/** The current UI language, and a picker for API texts that come in both languages. */
export function useLang() {
  const { i18n } = useTranslation();
  const lang: Locale = i18n.language === 'en' ? 'en' : 'ja';
  const pick = (ja: string | null | undefined, en: string | null | undefined): string =>
    (lang === 'en' ? (en ?? ja) : (ja ?? en)) ?? '';
  return { lang, pick };
}
