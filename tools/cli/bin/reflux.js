#!/usr/bin/env node
// `npx reflux …` in a clone after `npm ci`: runs the TypeScript sources through the SWC loader.
'use strict';
require('../../../scripts/register.cjs');
require('../src/main.ts');
