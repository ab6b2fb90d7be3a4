export * from './media-types.ts';
export * from './digest.ts';
export * from './manifest.ts';
export * from './reference.ts';
export * from './client.ts';
