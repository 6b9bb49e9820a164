import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../api/types';
import { en } from './en';
import { ja } from './ja';

export const LANG_KEY = 'bp.lang';
export const resources = { ja: { translation: ja }, en: { translation: en } } as const;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof ja };
  }
}

export function isLocale(v: unknown): v is Locale {
  return v === 'ja' || v === 'en';
}

/** The language the user chose on this device, if any. */
export function storedLanguage(): Locale | null {
  try {
    const v = localStorage.getItem(LANG_KEY);
    return isLocale(v) ? v : null;
  } catch {
    return null;
  }
}

export function currentLanguage(): Locale {
  return isLocale(i18n.language) ? i18n.language : 'ja';
}

/** Switches the UI language, remembers it on this device and updates <html lang>. */
export async function setLanguage(lang: Locale): Promise<void> {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
  await i18n.changeLanguage(lang);
}

function syncDocument(lang: string): void {
  document.documentElement.lang = lang;
  document.title = lang === 'en' ? `BreachPact — ${en.app.tagline}` : `BreachPact — ${ja.app.tagline}`;
}

i18n.on('languageChanged', syncDocument);

void i18n.use(initReactI18next).init({
  resources,
  lng: storedLanguage() ?? 'ja',
  fallbackLng: 'ja',
  supportedLngs: ['ja', 'en'],
  interpolation: { escapeValue: false },
  returnNull: false,
});
syncDocument(i18n.language);

/** The label of an audit action, or its raw name when unknown. */
export function actionLabel(action: string, lang: Locale): string {
  const labels: Record<string, string> = (lang === 'en' ? en : ja).audit.actions;
  return labels[action] ?? action;
}

export default i18n;
