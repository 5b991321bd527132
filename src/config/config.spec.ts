import { ConfigError, loadConfig } from './config';

describe('environment check at boot', () => {
  it('defaults to an SQLite file under data/ in demo mode', () => {
    const config = loadConfig({ CONTINGENT_DEMO: 'true' });
    expect(config.database).toEqual({ type: 'sqlite', path: 'data/contingent.sqlite' });
    expect(config.port).toBe(3000);
    expect(config.redisUrl).toBeNull();
  });
  it('requires the secrets outside demo mode, naming them', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(/PATIENT_ID_SECRET/);
    expect(() => loadConfig({})).toThrow(/JWT_SECRET/);
  });
  it('names a wrong variable and its value', () => {
    expect(() => loadConfig({ CONTINGENT_DEMO: 'true', CONTINGENT_NOW: 'yesterday' })).toThrow(/CONTINGENT_NOW.*yesterday/);
    expect(() => loadConfig({ CONTINGENT_DEMO: 'true', PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ CONTINGENT_DEMO: 'true', DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });
  it('fixes the clock from CONTINGENT_NOW', () => {
    const config = loadConfig({ CONTINGENT_DEMO: 'true', CONTINGENT_NOW: '2023-05-31T23:30:00+02:00' });
    expect(config.fixedNow?.toISOString()).toBe('2023-05-31T21:30:00.000Z');
  });
  it('sends notification e-mails only with SMTP_URL, checks it and MAIL_FROM, and never prints the URL (it may hold a password)', () => {
    expect(loadConfig({ CONTINGENT_DEMO: 'true' }).mail).toEqual({ smtpUrl: null, from: 'Contingent <contingent@localhost>', publicUrl: 'http://localhost:3000' });
    const config = loadConfig({ CONTINGENT_DEMO: 'true', SMTP_URL: 'smtps://robot:s3cret@mail.example.org:465', MAIL_FROM: 'Contingent <contingent@example.org>', PUBLIC_URL: 'https://contingent.example.org/' });
    expect(config.mail).toEqual({ smtpUrl: 'smtps://robot:s3cret@mail.example.org:465', from: 'Contingent <contingent@example.org>', publicUrl: 'https://contingent.example.org' });
    expect(() => loadConfig({ CONTINGENT_DEMO: 'true', SMTP_URL: 'http://robot:s3cret@mail.example.org' })).toThrow(/SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(() => loadConfig({ CONTINGENT_DEMO: 'true', SMTP_URL: 'http://robot:s3cret@mail.example.org' })).not.toThrow(/s3cret/);
    expect(() => loadConfig({ CONTINGENT_DEMO: 'true', MAIL_FROM: 'not an address' })).toThrow(/MAIL_FROM.*not an address/);
    expect(() => loadConfig({ CONTINGENT_DEMO: 'true', PUBLIC_URL: 'contingent.example.org' })).toThrow(/PUBLIC_URL/);
  });
  it('reads PostgreSQL URLs', () => {
    const config = loadConfig({ CONTINGENT_DEMO: 'true', DATABASE_URL: 'postgres://root@127.0.0.1:5432/test' });
    expect(config.database).toEqual({ type: 'postgres', url: 'postgres://root@127.0.0.1:5432/test' });
  });

  describe('secrets and empty variables (#12.11)', () => {
    const secrets = { PATIENT_ID_SECRET: 'patient-secret-0123456789', JWT_SECRET: 'jwt-secret-0123456789abcdef', AUDIT_SIGNING_KEY: Buffer.alloc(32, 7).toString('base64') };
    it('refuses the demo secrets outside demo mode', () => {
      expect(() => loadConfig({ ...secrets, JWT_SECRET: 'contingent-demo-secret-not-for-production' })).toThrow(/JWT_SECRET: the demo secret is refused/);
      expect(() => loadConfig({ ...secrets, PATIENT_ID_SECRET: 'contingent-demo-secret-not-for-production' })).toThrow(/PATIENT_ID_SECRET: the demo secret is refused/);
      expect(loadConfig(secrets).jwtSecret).toBe(secrets.JWT_SECRET);
    });
    it('refuses one value for JWT_SECRET and PATIENT_ID_SECRET outside demo mode', () => {
      expect(() => loadConfig({ PATIENT_ID_SECRET: secrets.JWT_SECRET, JWT_SECRET: secrets.JWT_SECRET })).toThrow(/JWT_SECRET: must differ from PATIENT_ID_SECRET/);
    });
    it('takes an empty variable as unset: REDIS_URL= means no Redis', () => {
      const config = loadConfig({ ...secrets, REDIS_URL: '', PORT: '', LOGIN_RATE_LIMIT: '', DATABASE_URL: '', CONTINGENT_NOW: '', LOG_FILE: ' ', TRUST_PROXY: '' });
      expect(config.redisUrl).toBeNull();
      expect(config.port).toBe(3000);
      expect(config.database).toEqual({ type: 'sqlite', path: 'data/contingent.sqlite' });
      expect(config.fixedNow).toBeNull();
      expect(config.trustProxy).toBe(false);
    });
    it('still requires a secret given as an empty value', () => {
      expect(() => loadConfig({ PATIENT_ID_SECRET: '', JWT_SECRET: secrets.JWT_SECRET })).toThrow(/PATIENT_ID_SECRET: required/);
    });
  });

  describe('TRUST_PROXY (#12.9)', () => {
    it('trusts no proxy by default, and reads hops, true and address lists', () => {
      expect(loadConfig({ CONTINGENT_DEMO: 'true' }).trustProxy).toBe(false);
      expect(loadConfig({ CONTINGENT_DEMO: 'true', TRUST_PROXY: '1' }).trustProxy).toBe(1);
      expect(loadConfig({ CONTINGENT_DEMO: 'true', TRUST_PROXY: 'true' }).trustProxy).toBe(true);
      expect(loadConfig({ CONTINGENT_DEMO: 'true', TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    });
    it('refuses a value it cannot read', () => {
      expect(() => loadConfig({ CONTINGENT_DEMO: 'true', TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
    });
  });
});
