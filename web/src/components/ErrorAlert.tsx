import { Alert, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import { useLang } from '../lib/useLang';

/** Shows an API problem in the UI language (messageJa / messageEn), with field errors. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t, i18n } = useTranslation();
  const { pick } = useLang();
  if (!error) return null;
  if (!isApiError(error)) {
    return (
      <Alert color="red" title={title} role="alert">
        {error instanceof Error ? error.message : String(error)}
      </Alert>
    );
  }
  const p = error.problem;
  const message = pick(p.messageJa, p.messageEn) || p.title || p.code;
  // Field errors by the form's words (`items.dueAt` → 回答期限), without repeating the message.
  const fieldErrors = (p.errors ?? [])
    .map((e) => {
      const key =
        e.path
          .split('.')
          .filter((s) => !/^\d+$/.test(s))
          .at(-1) ?? e.path;
      const labelKey = `fields.${key}` as 'fields.email';
      const label = i18n.exists(labelKey) ? t(labelKey) : e.path;
      return { id: e.path, label, text: pick(e.messageJa, e.messageEn) };
    })
    .filter((e) => e.text !== message);
  return (
    <Alert color="red" title={title} role="alert" data-code={p.code}>
      {message}
      {fieldErrors.length > 0 && (
        <List size="sm" mt="xs">
          {fieldErrors.map((e, i) => (
            <List.Item key={`${e.id}-${i}`}>
              {t('common.fieldError', { path: e.label, message: e.text })}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
