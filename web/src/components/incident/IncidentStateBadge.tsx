import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { IncidentState } from '../../api/incidentTypes';

const colors: Record<IncidentState, string> = {
  suspected: 'orange',
  confirmed: 'red',
  contained: 'yellow',
  recovering: 'blue',
  closed: 'green',
  dismissed: 'gray',
};

/** 発生のおそれ / 発生確認 / … / 非該当 in the UI language (the short names: a badge has little room). */
export function IncidentStateBadge({ state, size }: { state: IncidentState; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={colors[state]}
      variant="light"
      size={size}
      data-incident-state={state}
      // Never squeezed to 「発…」 beside a long title on a phone: the title wraps instead.
      style={{ flexShrink: 0, maxWidth: 'none', overflow: 'visible' }}
    >
      {t(`incidentStateShort.${state}`)}
    </Badge>
  );
}
