import { Spinner } from '@/components/ui/spinner';

/** Shown while the first page's code and data load. */
export function PageFallback() {
  return (
    <div className="page-fallback">
      <Spinner block />
    </div>
  );
}
