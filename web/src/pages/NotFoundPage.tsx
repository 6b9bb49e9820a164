import { Button, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Stack align="flex-start">
      <Text>{t('common.notFound')}</Text>
      <Button component={Link} to="/agreements" variant="default">
        {t('common.toTop')}
      </Button>
    </Stack>
  );
}
