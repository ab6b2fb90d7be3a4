import { Badge } from '@/components/ui/badge';

/** What a setting does in a sentence, whether it is on, and which setting applies to the image. */
export function SettingIntro({ text, on, onLabel, offLabel, applies }: { text: string; on: boolean; onLabel: string; offLabel: string; applies?: string }) {
  return (
    <div className="policy-intro">
      <p className="muted">{text}</p>
      <p>
        <Badge tone={on ? 'success' : 'neutral'} testId="setting-state">
          {on ? onLabel : offLabel}
        </Badge>{' '}
        {applies && <span data-testid="setting-applies">{applies}</span>}
      </p>
    </div>
  );
}
