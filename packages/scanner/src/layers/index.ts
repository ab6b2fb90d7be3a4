export { isLayerMediaType, layerCompression, openLayerTar, sniffCompression, createZstdDecompress, type LayerCompression, type OpenedLayer } from './decompress.ts';
export { normalizeEntryPath, whiteoutOf, isAtOrUnder, OPAQUE_MARKER, WHITEOUT_PREFIX } from './paths.ts';
export { walkLayer, DEFAULT_MAX_BYTES, type LayerWalk, type WalkOptions } from './walk.ts';
export { mergeLayers, buildInventory, type MergedFile } from './merge.ts';
