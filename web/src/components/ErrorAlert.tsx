import { Alert, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import { useLang } from '../lib/useLang';

/** Shows an API problem in the UI language (messageJa / messageEn), with field errors. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
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
  return (
    <Alert color="red" title={title} role="alert" data-code={p.code}>
      {message}
      {p.errors && p.errors.length > 0 && (
        <List size="sm" mt="xs">
          {p.errors.map((e, i) => (
            <List.Item key={`${e.path}-${i}`}>
              {t('common.fieldError', { path: e.path, message: pick(e.messageJa, e.messageEn) })}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
