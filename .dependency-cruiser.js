/**
 * The layers, checked on the real import graph (`npm run lint:deps`), see docs/CONVENTIONS.md:
 * - a domain/ folder is pure TypeScript: no framework, no I/O library, nothing outside domain/ folders;
 * - src/common is below every feature: it imports no feature module;
 * - no import cycles;
 * - a feature reaches another feature only through that module's public surface — its
 *   `<name>.module.ts`, its services (`*.service.ts`), its pure rules (`domain/`), its errors factory —
 *   or through the contracts of src/common/contracts; never its entities/ (each module owns its
 *   tables) nor its other internals.
 */
const FRAMEWORK = 'node_modules/(@nestjs|typeorm|express|class-validator|class-transformer|bullmq|ioredis|pg|better-sqlite3|@bull-board|nestjs-pino|pino|pino-http|busboy|eta|helmet|cookie-parser|nest-commander|rxjs|argon2)(/|$)';

/** A module's public files: its Nest module, services, registries, errors factory, decorators and guard. */
const PUBLIC_FILE = '^src/[^/]+/[^/]+\\.(module|service|registry|errors|decorators|guard)\\.ts$';

/** Entry points and wiring that may see every module. */
const COMPOSITION = '^src/(app\\.module|app\\.factory|main|cli)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-framework-free',
      comment: 'domain/ holds pure rules: no Nest, TypeORM, Express, validation, queue or database library.',
      severity: 'error',
      from: { path: '(^|/)domain/' },
      to: { path: FRAMEWORK },
    },
    {
      name: 'domain-imports-only-domain',
      comment: 'domain/ imports other domain/ folders only (and Node built-ins or pure libraries), never a service, entity or DTO.',
      severity: 'error',
      from: { path: '(^|/)domain/' },
      to: { dependencyTypes: ['local'], pathNot: '(^|/)domain/' },
    },
    {
      name: 'common-imports-no-feature',
      comment: 'src/common sits below the features: it may use src/config but no feature module.',
      severity: 'error',
      from: { path: '^src/common/' },
      to: { path: '^src/', pathNot: '^src/(common|config)/' },
    },
    {
      name: 'no-circular',
      comment: 'An import cycle makes two modules one; break it with a contract in src/common/contracts.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-circular-modules',
      comment: 'Two feature folders importing each other (through any file) are one module in disguise.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-foreign-entities',
      comment: 'Each module owns its tables: another module asks its service or a contract of src/common/contracts.',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/([^/]+)/entities/', pathNot: '^src/$1/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'feature-public-surface',
      comment: "A feature reaches another only through its module file, services, domain rules or errors factory (or src/common/contracts).",
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: [COMPOSITION, '^src/(cli|bench)/'] },
      to: {
        path: '^src/(?!common/|config/)([^/]+)/',
        pathNot: [
          '^src/$1/',
          PUBLIC_FILE,
          '^src/[^/]+/(domain|dto)/',
          '^src/auth/authenticator\\.ts$',
          '^src/schemes/',
          '^src/[^/]+/entities/',
          '^src/demo/[^/]+\\.ts$',
        ],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Specs are not part of the running graph (a domain spec may load the shipped schemes it checks).
    exclude: { path: ['^src/migrations/', '\\.spec\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
