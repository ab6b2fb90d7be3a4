import { useMe } from '@/features/auth/api/get-me';

/** Whether the signed-in account may change things (admins); viewers only read. */
export function useCanEdit(): boolean {
  return useMe().data?.role === 'admin';
}
