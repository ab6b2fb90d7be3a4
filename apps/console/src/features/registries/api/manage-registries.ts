import { useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  ConnectionTest,
  CreateRegistryRequest,
  DeleteRegistryResult,
  Registry,
  RegistryConnectionRequest,
  RetestRegistryRequest,
  UpdateRegistryRequest,
} from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { registryKeys } from './keys';

/** POST /registries/test (admin): tests settings that are not saved; answers whether it passed or not. */
export function testConnection(body: RegistryConnectionRequest): Promise<ConnectionTest> {
  return api.post('/registries/test', body);
}

/** POST /registries (admin): saved once its own connection test passed (else 422 CONNECTION_FAILED). */
export function createRegistry(body: CreateRegistryRequest): Promise<Registry> {
  return api.post('/registries', body);
}

/** POST /registries/{registry}/test (admin): `{}` tests the saved settings (kept as the last test); an account is tested, not saved. */
export function retestRegistry(name: string, body: RetestRegistryRequest): Promise<ConnectionTest> {
  return api.post(`/registries/${seg(name)}/test`, body);
}

/** PATCH /registries/{registry} (admin): tested with the change, saved only when it passes. */
export function updateRegistry(name: string, body: UpdateRegistryRequest): Promise<Registry> {
  return api.patch(`/registries/${seg(name)}`, body);
}

/** DELETE /registries/{registry} (admin), optionally deleting its repository's content upstream first. */
export function deleteRegistry(name: string, deleteUpstream: boolean): Promise<DeleteRegistryResult> {
  return api.delete(`/registries/${seg(name)}${deleteUpstream ? '?deleteUpstream=true' : ''}`);
}

export function useTestConnection() {
  return useMutation({ mutationFn: testConnection, meta: { errorToast: false } });
}

export function useRetestRegistry(name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RetestRegistryRequest) => retestRegistry(name, body),
    meta: { errorToast: false },
    onSuccess: (_t, body) => {
      // Only a test of the saved settings is kept as the registry's last test.
      if (Object.keys(body).length === 0) return queryClient.invalidateQueries({ queryKey: registryKeys.all });
    },
  });
}

/** Create and update refresh every registry list and detail (and what was browsed: the account may see other things). */
function useRegistryMutation<V, R>(fn: (v: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    meta: { errorToast: false },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: registryKeys.all }),
  });
}

export const useCreateRegistry = () => useRegistryMutation(createRegistry);
export const useUpdateRegistry = (name: string) => useRegistryMutation((body: UpdateRegistryRequest) => updateRegistry(name, body));
/**
 * Deleting refreshes the lists; the registry's own page keeps what it shows (the dialog's
 * report) until it is left, and a registry that stays (part of its repository could not be
 * deleted upstream) is read again.
 */
export function useDeleteRegistry(name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deleteUpstream: boolean) => deleteRegistry(name, deleteUpstream),
    meta: { errorToast: false },
    onSuccess: (result) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: registryKeys.lists() }),
        !result.deleted && queryClient.invalidateQueries({ queryKey: registryKeys.detail(name) }),
        !result.deleted && queryClient.invalidateQueries({ queryKey: registryKeys.browse(name) }),
      ]),
  });
}
