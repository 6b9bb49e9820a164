import { TextInput, type TextInputProps } from '@mantine/core';

/** A native date input (phones show their own picker); value is YYYY-MM-DD or ''. */
export function DateField(
  props: Omit<TextInputProps, 'type' | 'onChange'> & { onChange: (v: string) => void },
) {
  const { onChange, ...rest } = props;
  return <TextInput type="date" {...rest} onChange={(e) => onChange(e.currentTarget.value)} />;
}
