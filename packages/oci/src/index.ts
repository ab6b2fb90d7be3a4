export * from './media-types.ts';
export * from './digest.ts';
export * from './manifest.ts';
export * from './reference.ts';
export * from './client.ts';
export * from './errors.ts';
export * from './v2-path.ts';
