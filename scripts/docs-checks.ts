// `npm run docs:checks`: regenerates docs/checks.md from the check registry.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checks } from '../src/audit/checks/index.ts';
import { renderChecksDoc } from '../src/audit/output/checks-doc.ts';

const path = join(import.meta.dirname, '..', 'docs', 'checks.md');
writeFileSync(path, renderChecksDoc(checks));
console.log(`wrote ${path} (${checks.length} checks)`);
