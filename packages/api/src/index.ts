export * from './names.ts';
export * from './errors.ts';
export * from './auth.ts';
export * from './repositories.ts';
export * from './images.ts';
export * from './registries.ts';
export * from './manifests.ts';
export * from './lifecycle.ts';
