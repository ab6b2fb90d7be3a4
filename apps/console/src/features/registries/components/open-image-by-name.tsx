import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from '@/lib/use-translation';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { paths } from '@/lib/paths';
import { parseImageName } from '../lib/external';

/**
 * "Open an image by name", for a registry that does not list its repositories: `repository/image`
 * (or `image` alone, a top-level name) opens that image's tags.
 */
export function OpenImageByName({ registry }: { registry: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [value, setValue] = useState('');
  const [invalid, setInvalid] = useState(false);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseImageName(value);
    if (!parsed) {
      setInvalid(true);
      return;
    }
    void navigate(paths.registryImage(registry, parsed.repository, parsed.image));
  };
  return (
    <form className="inline-form" onSubmit={onSubmit} noValidate data-testid="open-image-form">
      <TextField
        label={t('registries.browse.openByName')}
        name="image"
        autoComplete="off"
        spellCheck={false}
        placeholder="repository/image"
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          setInvalid(false);
        }}
        hint={t('registries.browse.openByNameHint')}
        error={invalid ? t('registries.browse.openByNameInvalid') : undefined}
      />
      <Button type="submit" variant="primary" disabled={!value.trim()}>
        {t('registries.browse.open')}
      </Button>
    </form>
  );
}
