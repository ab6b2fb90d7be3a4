import type { ReactNode } from 'react';

/** One labelled value of a `FactList`; `testId` goes on the value. */
export interface Fact {
  label: string;
  value: ReactNode;
  testId?: string;
}

/** Label–value pairs in a grid (`<dl>`): a record's details, a report's counts. */
export function FactList({ facts, className }: { facts: Fact[]; className?: string }) {
  return (
    <dl className={['facts', className].filter(Boolean).join(' ')}>
      {facts.map((f) => (
        <div key={f.label} className="fact">
          <dt>{f.label}</dt>
          <dd data-testid={f.testId}>{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}
