import { CopyButton } from './copy-button';

/** A shell command to copy, with a visible label. */
export function CommandLine({ label, command, copyLabel, testId }: { label: string; command: string; copyLabel: string; testId?: string }) {
  return (
    <div className="command-line">
      <span className="command-label">
        {label}
      </span>
      <code className="code" data-testid={testId}>
        {command}
      </code>
      <CopyButton value={command} label={copyLabel} />
    </div>
  );
}
