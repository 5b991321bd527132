#!/usr/bin/env node
// `npm start`: the app on the embedded default (SQLite file under data/, no Redis, demo data on an
// empty database). Any variable already set in the environment wins.
process.env.CONTINGENT_DEMO = process.env.CONTINGENT_DEMO ?? 'true';
require('../dist/main.js');
