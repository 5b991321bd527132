#!/usr/bin/env node
// Writes the app's OpenAPI document (the one served at /api/docs-json) to a file, for `redocly lint` in scripts/test.sh:
// the whole app on an in-memory SQLite database with the demo off and throw-away secrets, nothing listening.
// Usage: node scripts/openapi-document.js test-artifacts/openapi.json
const { generateKeyPairSync, randomBytes } = require('node:crypto');
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname, resolve } = require('node:path');
require('../test/support/ts-register.js');

async function main() {
  const out = resolve(process.argv[2] ?? 'test-artifacts/openapi.json');
  const { loadConfig } = require('../src/config/config.ts');
  const { createApp, apiDocument } = require('../src/app.factory.ts');
  const config = loadConfig({
    CONTINGENT_DEMO: 'false',
    DATABASE_URL: 'sqlite::memory:',
    LOG_LEVEL: 'silent',
    JOBS_CRON: 'false',
    PATIENT_ID_SECRET: randomBytes(24).toString('hex'),
    JWT_SECRET: randomBytes(24).toString('hex'),
    AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  });
  const app = await createApp(config, { logger: false });
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(apiDocument(app), null, 2)}\n`);
  } finally {
    await app.close();
  }
  process.stdout.write(`OpenAPI document written to ${out}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
