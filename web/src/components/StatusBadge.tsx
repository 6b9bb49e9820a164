import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AgreementStatus } from '../api/types';

const colors: Record<AgreementStatus, string> = {
  draft: 'gray',
  not_started: 'blue',
  active: 'green',
  terminated: 'red',
  expired: 'orange',
};

export function StatusBadge({ status }: { status: AgreementStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={colors[status]} variant="light" data-status={status}>
      {t(`status.${status}`)}
    </Badge>
  );
}
