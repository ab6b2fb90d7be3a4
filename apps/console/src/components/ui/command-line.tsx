import { useId } from 'react';
import { CopyButton } from './copy-button';

/** A shell command to copy, with a visible label. */
export function CommandLine({ label, command, copyLabel, testId }: { label: string; command: string; copyLabel: string; testId?: string }) {
  const id = useId();
  return (
    <div className="command-line">
      <span id={id} className="command-label">
        {label}
      </span>
      <code className="code" aria-labelledby={id} data-testid={testId}>
        {command}
      </code>
      <CopyButton value={command} label={copyLabel} />
    </div>
  );
}
