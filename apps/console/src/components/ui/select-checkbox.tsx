import { useEffect, useRef, type ChangeEventHandler } from 'react';

/** A row or all-rows selection checkbox with an accessible name and a mixed state. */
export function SelectCheckbox({
  label,
  checked,
  indeterminate = false,
  onChange,
}: {
  label: string;
  checked: boolean;
  indeterminate?: boolean;
  onChange: ChangeEventHandler<HTMLInputElement> | ((e: unknown) => void);
}) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = indeterminate && !checked;
  }, [indeterminate, checked]);
  return <input ref={ref} type="checkbox" className="checkbox" aria-label={label} checked={checked} onChange={onChange} />;
}
