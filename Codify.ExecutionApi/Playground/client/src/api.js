// The API key (kept in this browser's localStorage) and the REST calls that carry it.
const keyStorage = 'codify.apiKey';

export const apiKey = {
  get: () => localStorage.getItem(keyStorage) ?? '',
  set: (value) => (value ? localStorage.setItem(keyStorage, value) : localStorage.removeItem(keyStorage)),
};

export async function getJson(path) {
  const key = apiKey.get();
  const response = await fetch(path, { headers: key ? { 'X-API-Key': key } : {} });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error(body?.detail ?? body?.title ?? `${response.status} ${response.statusText}`);
  }
  return body;
}

// Browsers cannot set headers on a WebSocket: the key travels as a subprotocol, base64url so any key is a valid token.
export function socketProtocols() {
  const key = apiKey.get();
  if (!key) {
    return ['codify'];
  }
  const bytes = new TextEncoder().encode(key);
  const base64 = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return ['codify', `codify.key.${base64}`];
}
