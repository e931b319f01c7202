/**
 * Hands an authenticated download to the browser: the file is fetched with the bearer token (a
 * plain link could not carry it), then saved under `filename` from a short-lived object URL.
 */
export async function saveFile(res: Response, filename: string): Promise<void> {
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
