import { CopyButton } from './copy-button';

/** One shell command with what it does. */
export interface CommandItem {
  /** What the command does, shown above it. */
  label: string;
  command: string;
  /** The copy button's accessible name. */
  copyLabel: string;
}

/** Commands to paste, one per row, each with its own copy button. */
export function CommandList({ items, testId }: { items: CommandItem[]; testId?: string }) {
  return (
    <dl className="command-list" data-testid={testId}>
      {items.map((item) => (
        <div key={item.command} className="command-item">
          <dt className="command-item-label">{item.label}</dt>
          <dd className="code-row">
            <code className="code">{item.command}</code>
            <CopyButton value={item.command} label={item.copyLabel} size="md" />
          </dd>
        </div>
      ))}
    </dl>
  );
}
