import { useEffect, useId, useRef, useState } from 'react';

export interface SearchFieldProps {
  label: string;
  value: string;
  /** Called with the trimmed text after the user pauses typing (`delayMs`). */
  onChange: (value: string) => void;
  placeholder?: string;
  delayMs?: number;
}

/** A labelled search box that reports changes debounced; Escape clears it. */
export function SearchField({ label, value, onChange, placeholder, delayMs = 250 }: SearchFieldProps) {
  const id = useId();
  const [text, setText] = useState(value);
  const latest = useRef(onChange);
  latest.current = onChange;
  const committed = useRef(value);

  // Follow outside changes (back/forward navigation).
  useEffect(() => {
    if (value !== committed.current) {
      committed.current = value;
      setText(value);
    }
  }, [value]);

  useEffect(() => {
    const next = text.trim();
    if (next === committed.current) return;
    const timer = setTimeout(() => {
      committed.current = next;
      latest.current(next);
    }, delayMs);
    return () => clearTimeout(timer);
  }, [text, delayMs]);

  return (
    <div className="search-field">
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input
        id={id}
        type="search"
        className="input"
        value={text}
        placeholder={placeholder ?? label}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && text) {
            e.preventDefault();
            setText('');
          }
        }}
        autoComplete="off"
        spellCheck={false}
      />
    </div>
  );
}
