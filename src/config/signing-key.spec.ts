import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig } from './config';
import { DEMO_AUDIT_SIGNING_KEY } from './signing-key';

const SECRETS = { PATIENT_ID_SECRET: 'patient-secret-0123456789', JWT_SECRET: 'jwt-secret-0123456789abcdef' };

describe('AUDIT_SIGNING_KEY', () => {
  it('uses the demo key in demo mode and requires a key outside it', () => {
    expect(loadConfig({ CONTINGENT_DEMO: 'true' }).auditSigningKey).toBe(DEMO_AUDIT_SIGNING_KEY);
    expect(() => loadConfig(SECRETS)).toThrow(ConfigError);
    expect(() => loadConfig(SECRETS)).toThrow(/AUDIT_SIGNING_KEY: required outside demo mode/);
  });

  it('takes an Ed25519 key as PKCS#8 PEM or as its 32-byte seed in base64', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(loadConfig({ ...SECRETS, AUDIT_SIGNING_KEY: pem }).auditSigningKey).toBe(pem);
    const seed = Buffer.alloc(32, 7).toString('base64');
    expect(createPrivateKey(loadConfig({ ...SECRETS, AUDIT_SIGNING_KEY: seed }).auditSigningKey).asymmetricKeyType).toBe('ed25519');
  });

  it('names the variable and the reason for anything else, without echoing the key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => loadConfig({ ...SECRETS, AUDIT_SIGNING_KEY: rsa })).toThrow(/AUDIT_SIGNING_KEY: must be an Ed25519 key \(got a rsa key\)/);
    expect(() => loadConfig({ ...SECRETS, AUDIT_SIGNING_KEY: 'not-a-key' })).toThrow(/AUDIT_SIGNING_KEY: must be an Ed25519 private key/);
    expect(() => loadConfig({ ...SECRETS, AUDIT_SIGNING_KEY: 'not-a-key' })).not.toThrow(/not-a-key/);
    expect(() => loadConfig({ ...SECRETS, AUDIT_SIGNING_KEY: DEMO_AUDIT_SIGNING_KEY })).toThrow(/the demo key is refused outside demo mode/);
  });
});
