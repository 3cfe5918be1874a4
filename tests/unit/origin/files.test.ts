import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROOT, type Origin, startOrigin } from '../../../tools/origin/index.ts';
import { bytesEqual, request } from './helpers.ts';

describe('/files/<name>', () => {
  let base: string;
  let root: string;
  let origin: Origin;
  const video = new Uint8Array(5000).map((_, i) => (i * 7 + 3) & 0xff);

  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'origin-files-'));
    root = path.join(base, 'root');
    await mkdir(path.join(root, 'sub'), { recursive: true });
    await writeFile(path.join(root, 'clip.mp4'), video);
    await writeFile(path.join(root, 'clip.webm'), video.subarray(0, 100));
    await writeFile(path.join(root, 'data.bin'), video.subarray(0, 10));
    await writeFile(path.join(root, 'name with space.mp4'), video.subarray(0, 3));
    await writeFile(path.join(root, 'sub', 'nested.mp4'), video.subarray(0, 20));
    await writeFile(path.join(root, 'empty.mp4'), new Uint8Array(0));
    await writeFile(path.join(base, 'secret.txt'), 'secret');
    await symlink(path.join(base, 'secret.txt'), path.join(root, 'escape.mp4'));
    origin = await startOrigin({ root });
  });
  afterAll(async () => {
    await origin.close();
    await rm(base, { recursive: true, force: true });
  });

  it('serves whole files with the content type from the extension', async () => {
    const cases: Array<[string, string, number]> = [
      ['/files/clip.mp4', 'video/mp4', 5000],
      ['/files/clip.webm', 'video/webm', 100],
      ['/files/data.bin', 'application/octet-stream', 10],
      ['/files/name%20with%20space.mp4', 'video/mp4', 3],
      ['/files/sub/nested.mp4', 'video/mp4', 20],
    ];
    for (const [file, type, size] of cases) {
      const response = await request(origin, file);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type')).toBe(type);
      expect(response.headers.get('content-length')).toBe(String(size));
      expect(bytesEqual(response.body, video.subarray(0, size))).toBe(true);
      expect(response.headers.get('etag')).toMatch(new RegExp(`^"${size}-\\d+-0"$`));
      expect(response.headers.get('last-modified')).toMatch(/ GMT$/);
    }
  });

  it('serves byte ranges of files', async () => {
    const response = await request(origin, '/files/clip.mp4', { Range: 'bytes=1000-1999' });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe('bytes 1000-1999/5000');
    expect(bytesEqual(response.body, video.subarray(1000, 2000))).toBe(true);
    const suffix = await request(origin, '/files/clip.mp4', { Range: 'bytes=-1' });
    expect(bytesEqual(suffix.body, video.subarray(4999))).toBe(true);
  });

  it('serves an empty file as 200 and answers ranges on it with 416 bytes */0', async () => {
    const plain = await request(origin, '/files/empty.mp4');
    expect(plain.status).toBe(200);
    expect(plain.body.length).toBe(0);
    for (const range of ['bytes=0-', 'bytes=0-0', 'bytes=-5']) {
      const ranged = await request(origin, '/files/empty.mp4', { Range: range });
      expect(ranged.status, range).toBe(416);
      expect(ranged.headers.get('content-range')).toBe('bytes */0');
    }
  });

  it('404s missing files and directories', async () => {
    for (const file of ['/files/missing.mp4', '/files/sub', '/files/sub/', '/files/']) {
      expect((await request(origin, file)).status, file).toBe(404);
    }
  });

  it('refuses path traversal, including encoded separators and symlinks out of the root', async () => {
    for (const file of [
      '/files/..%2Fsecret.txt',
      '/files/sub%2F..%2F..%2Fsecret.txt',
      '/files/%2E%2E%2Fsecret.txt',
      '/files/..%5C..%2Fsecret.txt',
      `/files/${encodeURIComponent(path.join(base, 'secret.txt'))}`,
      '/files/escape.mp4',
    ]) {
      const response = await request(origin, file);
      expect([403, 404], file).toContain(response.status);
      expect(new TextDecoder().decode(response.body)).not.toContain('secret');
    }
    // Dot segments are removed by URL parsing before routing, so this is not under /files/.
    expect((await request(origin, '/files/../secret.txt')).status).toBe(404);
    expect((await request(origin, '/files/..%2Fsecret.txt')).status).toBe(403);
  });

  it('defaults the root to the repository media/ directory', () => {
    const repo = fileURLToPath(new URL('../../../', import.meta.url));
    expect(path.resolve(DEFAULT_ROOT)).toBe(path.join(repo, 'media'));
  });
});
