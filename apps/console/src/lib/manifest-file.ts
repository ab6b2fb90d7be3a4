/**
 * `<image>_<tag-or-digest>.json`, safe as a file name on every system: `/` in the image name
 * and `:` in a digest become `_`.
 */
export function manifestFileName(image: string, reference: string): string {
  return `${image}_${reference}.json`.replace(/[/\\:*?"<>|]/g, '_');
}

/** Saves bytes as a file in the browser, untouched. */
export function saveBytes(bytes: Uint8Array, fileName: string, mediaType: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: mediaType || 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The manifest as indented JSON for reading; the text itself when it does not parse. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
