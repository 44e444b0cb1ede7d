import { describe, expect, it } from 'vitest';
import { isAbsolute } from 'node:path';
import { ConfigError, loadConfig, maskUrl } from './config.js';

describe('loadConfig', () => {
	it('serves on 8080 on loopback with data beside the repository by default', () => {
		const config = loadConfig({});
		expect(config.port).toBe(8080);
		expect(config.host).toBe('127.0.0.1');
		expect(config.logLevel).toBe('info');
		expect(isAbsolute(config.dataDir)).toBe(true);
		expect(config.appDir.endsWith('build')).toBe(true);
	});

	it('takes PORT, DATA_DIR and the rest from the environment', () => {
		const config = loadConfig({ PORT: '9090', DATA_DIR: '/tmp/sikho-x', HOST: '0.0.0.0', LOG_LEVEL: 'warn' });
		expect(config).toMatchObject({ port: 9090, dataDir: '/tmp/sikho-x', host: '0.0.0.0', logLevel: 'warn' });
	});

	it('reads the courses to publish at start as a list, and keeps publishing over HTTP off by default', () => {
		expect(loadConfig({}).adminToken).toBeUndefined();
		expect(loadConfig({}).publishCourses).toEqual([]);
		expect(loadConfig({ PUBLISH_COURSES: '/a/course, /b/x.zip' }).publishCourses).toEqual(['/a/course', '/b/x.zip']);
		expect(() => loadConfig({ ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN/);
	});

	it('takes a token secret of at least 32 characters, and none by default', () => {
		expect(loadConfig({}).tokenSecret).toBeUndefined();
		expect(loadConfig({ TOKEN_SECRET: 'x'.repeat(32) }).tokenSecret).toBe('x'.repeat(32));
		expect(() => loadConfig({ TOKEN_SECRET: 'x'.repeat(31) })).toThrow(/TOKEN_SECRET: at least 32/);
	});

	it('treats an empty variable as unset', () => {
		expect(loadConfig({ PORT: '' }).port).toBe(8080);
	});

	it('names every bad setting at once', () => {
		const load = () => loadConfig({ PORT: '70000', LOG_LEVEL: 'loud' });
		expect(load).toThrow(ConfigError);
		expect(load).toThrow(/PORT.*LOG_LEVEL/);
		expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
	});

	it('keeps learners in the embedded store unless COUCHDB_URL names a CouchDB', () => {
		expect(loadConfig({}).couchdbUrl).toBeUndefined();
		const secret = 'x'.repeat(32);
		expect(loadConfig({ COUCHDB_URL: 'http://admin:s3cret@127.0.0.1:5984/', TOKEN_SECRET: secret }).couchdbUrl).toBe('http://admin:s3cret@127.0.0.1:5984/');
		// Servers sharing a CouchDB must share the secret that signs tokens: none may make its own.
		expect(() => loadConfig({ COUCHDB_URL: 'http://admin:s3cret@127.0.0.1:5984/' })).toThrow(/TOKEN_SECRET: required with COUCHDB_URL/);
		expect(() => loadConfig({ COUCHDB_URL: 'not a url' })).toThrow(/COUCHDB_URL/);
		expect(() => loadConfig({ COUCHDB_URL: 'ftp://host/' })).toThrow(/COUCHDB_URL/);
	});

	it('never shows the CouchDB password, not even in the error for a bad URL', () => {
		expect(maskUrl('http://admin:s3cret@127.0.0.1:5984/')).toBe('http://admin:***@127.0.0.1:5984/');
		expect(maskUrl('https://couch.example/db-proxy/')).toBe('https://couch.example/db-proxy/');
		expect(() => loadConfig({ COUCHDB_URL: 'ftp://admin:s3cret@host/' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
	});
});
