/**
 * The architecture, checked in `npm test` (`npm run depcruise`). Rooms follow the story from feed to
 * inbox. Domain rooms import only rooms earlier on the walk and the shared kernel; adapters implement
 * the domain's ports; the composition root (lib/app) wires them; edges (handlers, local, cli, demo,
 * functions) turn events and commands into calls. See the README's "Architecture" section.
 */
const KERNEL = 'lib/(config|log|retry|batches|plural|http-url|plain-text)[.]ts$';
const room = (name) => `^lib/${name}/`;
const rooms = (...names) => `^lib/(${names.join('|')})/`;

/**
 * Every room in the order a story travels, then adapters, the composition root and the edges, each
 * with the rooms it may import (besides itself and the kernel). A room may only name rooms listed
 * before it, so no two rooms can ever import each other: folder-level cycles are impossible by
 * construction, and this file refuses to load if the list breaks that.
 */
const ROOMS = [
  // Domain, along the walk of one story.
  ['classify', []],
  ['reader', []],
  ['feeds', ['reader']],
  ['stories', ['reader', 'classify']],
  ['jobs', []],
  ['ingest', ['feeds', 'reader', 'stories', 'classify', 'jobs']],
  ['subscriptions', []],
  ['digest', ['stories', 'classify', 'subscriptions']],
  ['alerts', ['digest', 'stories', 'classify', 'subscriptions', 'jobs']],
  ['delivery', ['alerts', 'digest', 'stories', 'classify', 'subscriptions', 'jobs']],
  // Adapters: they implement the domain's ports.
  ['aws', []],
  ['queue', ['jobs']],
  ['store', ['feeds', 'stories', 'subscriptions', 'delivery', 'classify']],
  ['mail', ['delivery', 'digest']],
  // The composition root.
  ['app', ['aws', 'store', 'queue', 'mail', 'classify', 'delivery', 'ingest', 'jobs', 'subscriptions']],
  // Edges: the web app, Lambda handler shapes, the local stack, the offline demo, the CLI.
  ['web', ['app', 'store', 'classify', 'delivery', 'digest', 'feeds', 'jobs', 'stories', 'subscriptions']],
  ['handlers', ['app', 'aws', 'alerts', 'delivery', 'ingest', 'jobs', 'web']],
  ['local', ['app', 'aws', 'handlers', 'delivery', 'feeds', 'ingest']],
  ['demo', ['app', 'local', 'delivery', 'feeds', 'jobs', 'subscriptions']],
  [
    'cli',
    [
      'app',
      'handlers',
      'local',
      'demo',
      'classify',
      'delivery',
      'feeds',
      'ingest',
      'jobs',
      'reader',
      'stories',
      'subscriptions',
      'web',
    ],
  ],
];
const DOMAIN_ROOMS = ROOMS.slice(0, 10).map(([name]) => name);
ROOMS.forEach(([name, allowed], index) => {
  const earlier = new Set(ROOMS.slice(0, index).map(([earlierName]) => earlierName));
  for (const other of allowed) {
    if (!earlier.has(other))
      throw new Error(
        `.dependency-cruiser.cjs: lib/${name} may only import rooms listed before it, not lib/${other}`,
      );
  }
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two files one unit that cannot be understood or tested apart.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports is dead code (entry points and config files excepted).',
      from: {
        orphan: true,
        pathNot: [
          '^functions/',
          '^bin/',
          '^bench/',
          '^tests/',
          '^cdk/',
          '[.]d[.]ts$',
          '(^|/)[^/]+[.]config[.]ts$',
          '^[.]dependency-cruiser[.]cjs$',
        ],
      },
      to: {},
    },
    ...ROOMS.map(([name, allowed]) => ({
      name: `room-${name}`,
      severity: 'error',
      comment: DOMAIN_ROOMS.includes(name)
        ? `lib/${name} is a domain room: it may import ${allowed.join(', ') || 'no other room'} and the kernel, never adapters or edges.`
        : `lib/${name} may import ${allowed.join(', ') || 'no other room'} and the kernel.`,
      from: { path: room(name) },
      to: {
        path: '^(lib|functions)/',
        pathNot: [room(name), KERNEL, ...(allowed.length ? [rooms(...allowed)] : [])],
      },
    })),
    {
      name: 'functions-are-entry-points',
      severity: 'error',
      comment: 'functions/ build the app from the configuration and export a handler from lib/handlers.',
      from: { path: '^functions/' },
      to: { path: '^(lib|functions)/', pathNot: [rooms('app', 'handlers'), KERNEL] },
    },
    {
      name: 'kernel-stands-alone',
      severity: 'error',
      comment:
        'The kernel (configuration, logging, retry, batching, plurals, URL parsing, HTML to plain text) is used by every room and imports none of them.',
      from: { path: KERNEL },
      to: { path: '^(lib|functions)/', pathNot: KERNEL },
    },
    {
      name: 'nothing-in-lib-imports-functions',
      severity: 'error',
      comment: 'functions/ are deployment entry points: they import lib/, never the reverse.',
      from: { path: '^lib/' },
      to: { path: '^functions/' },
    },
    {
      name: 'aws-sdk-only-in-adapters',
      severity: 'error',
      comment: 'The AWS SDK is reached through adapters (and the local stack that starts the emulators).',
      from: { path: '^(lib|functions)/', pathNot: [rooms('aws', 'store', 'queue', 'mail', 'app', 'local')] },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer'], path: '@aws-sdk/' },
    },
    {
      name: 'emulators-only-in-the-local-stack',
      severity: 'error',
      comment: 'dynalite and fauxqs are laptop-only; no Lambda bundle may pull them in.',
      from: { pathNot: '^(lib/local|tests|bench)/' },
      to: { path: 'node_modules/(dynalite|fauxqs)/' },
    },
    {
      name: 'no-dev-dependencies-in-shipped-code',
      severity: 'error',
      comment:
        'Code that runs in Lambda or the CLI may not rely on a package installed only for development.',
      from: { path: '^(lib|functions|bin)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
